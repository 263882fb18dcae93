import { afterEach, describe, expect, it } from 'vitest';
import {
  OrchardError,
  defineModule,
  exit,
  isDownMessage,
  isRef,
  processInfo,
  receive,
  self,
  send,
  setDefaultScheduler,
  spawn,
  spawnLink,
  spawnMonitor,
  trapExit,
  type Pid,
  type Ref,
} from '../../../runtime/core/index.ts';
import { type Proc, collector, dead, setup, thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('spawn', () => {
  it('runs a local function with its arguments in a new process, after spawn has returned (erlang:spawn/1 docs)', () => {
    const h = setup();
    const seen: unknown[] = [];
    const pid = spawn((a: number, b: string) => {
      seen.push(a, b, self());
    }, [1, 'two']);
    expect(seen).toEqual([]);
    h.run();
    expect(seen).toEqual([1, 'two', pid]);
  });

  it('spawns a module defined with defineModule by name, with cloneable arguments (erlang:spawn/3 docs)', () => {
    const h = setup();
    defineModule('test.spawn.echo', function* (to: Pid, payload: unknown): Proc {
      const m = yield receive();
      send(to, { payload, got: m, me: self() });
    });
    const out = collector(h);
    const pid = spawn('test.spawn.echo', [out.pid, { n: 1, list: [1, 2], nested: { ok: true } }]);
    expect(h.s.info(pid)?.initialCall).toBe('test.spawn.echo');
    h.run();
    send(pid, 'hi');
    h.run();
    expect(out.messages).toEqual([{ payload: { n: 1, list: [1, 2], nested: { ok: true } }, got: 'hi', me: pid }]);
    expect(h.exits.get(pid)).toBe('normal');
  });

  it("fails with 'undef' naming the module when no module has that name (Erlang reference manual, Errors, 'Exit Reasons': undef)", () => {
    const h = setup();
    const before = h.s.stats().processes;
    const e = thrown(() => spawn('test.no.such.module', []));
    expect(e).toBeInstanceOf(OrchardError);
    expect((e as OrchardError).code).toBe('undef');
    expect(e.message).toMatch(/\bundef\b/);
    expect(e.message).toMatch(/test\.no\.such\.module/);
    expect(h.s.stats().processes).toBe(before);
  });
});

describe('spawnLink', () => {
  it('links atomically: a child that dies at once still takes its parent down (erlang:spawn_link/1 docs)', () => {
    const h = setup();
    let linksRightAfter: Pid[] = [];
    let child = '' as Pid;
    const parent = spawn(function* (): Proc {
      child = spawnLink(() => {
        throw new Error('child boom');
      });
      linksRightAfter = processInfo(self())!.links;
      yield receive();
    });
    h.run();
    expect(linksRightAfter).toEqual([child]);
    expect(dead(h, child)).toBe(true);
    expect(dead(h, parent)).toBe(true);
    expect(h.exits.get(parent)).toMatchObject({ error: { name: 'Error', message: 'child boom' } });
  });

  it('gives a trapping parent the EXIT of a child that died at once, never noproc (erlang:spawn_link/1 docs)', () => {
    const h = setup();
    const got: unknown[] = [];
    let child = '' as Pid;
    spawn(function* (): Proc {
      trapExit(true);
      child = spawnLink(() => exit('early'));
      got.push(yield receive());
    });
    h.run();
    expect(got).toEqual([{ type: 'EXIT', from: child, reason: 'early' }]);
  });
});

describe('spawnMonitor', () => {
  it('monitors atomically: a child that dies at once gives DOWN with its own reason, not noproc (erlang:spawn_monitor/1 docs)', () => {
    const h = setup();
    const got: unknown[] = [];
    let spawned: [Pid, Ref] | null = null;
    const parent = spawn(function* (): Proc {
      spawned = spawnMonitor(() => exit('early'));
      got.push(yield receive());
    });
    h.run();
    expect(spawned).not.toBeNull();
    const [child, ref] = spawned!;
    expect(isRef(ref)).toBe(true);
    expect(got).toEqual([{ type: 'DOWN', ref, pid: child, reason: 'early' }]);
    expect(isDownMessage(got[0])).toBe(true);
    expect(h.exits.get(parent)).toBe('normal');
  });
});

describe('self', () => {
  it('returns the pid of the calling process (erlang:self/0 docs)', () => {
    const h = setup();
    const seen: Pid[] = [];
    const a = spawn(() => void seen.push(self()));
    const b = spawn(() => void seen.push(self()));
    h.run();
    expect(seen).toEqual([a, b]);
    expect(a).toMatch(/^<0\.\d+\.0>$/);
  });

  it("throws 'not_in_process' when called outside any process (erlang:self/0 is only meaningful in a process)", () => {
    setup();
    const e = thrown(() => self());
    expect(e.message).toMatch(/\bnot_in_process\b/);
  });
});
