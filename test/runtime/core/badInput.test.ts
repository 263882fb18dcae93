import { afterEach, describe, expect, it } from 'vitest';
import {
  OrchardError,
  exit,
  link,
  monitor,
  receive,
  receiveLoop,
  register,
  send,
  setDefaultScheduler,
  spawn,
  unlink,
  type Pid,
} from '../../../runtime/core/index.ts';
import * as core from '../../../runtime/core/index.ts';
import { type Harness, type Proc, alive, inProcess, setup, thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

const NOT_PIDS: unknown[] = ['<0.x.0>', '<bogus>', 42, null, { pid: 1 }];

/** A bystander process that counts messages: proves the scheduler keeps running others. */
function bystander(h: Harness): { pid: Pid; count: () => number } {
  let n = 0;
  const pid = spawn(() => receiveLoop(() => void n++));
  h.run();
  return { pid, count: () => n };
}

function expectStillRunning(h: Harness, b: { pid: Pid; count: () => number }): void {
  const before = b.count();
  h.s.send(b.pid, 'still there?');
  h.run();
  expect(b.count()).toBe(before + 1);
}

/** Runs `call` inside a process, expects badarg naming `culprit`, and that the process lives on. */
function expectBadargInProcess(h: Harness, call: () => unknown, culprit: RegExp): void {
  let caught: unknown = null;
  const pid = spawn(function* (): Proc {
    try {
      call();
    } catch (e) {
      caught = e;
    }
    yield receive(() => false);
  });
  h.run();
  expect(caught).toBeInstanceOf(Error);
  expect((caught as Error).message).toMatch(/\bbadarg\b/);
  expect((caught as Error).message).toMatch(culprit);
  expect(alive(h, pid)).toBe(true);
}

function culpritOf(bad: unknown): RegExp {
  const text = typeof bad === 'string' ? bad : JSON.stringify(bad);
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

describe('bad input', () => {
  it('send to something that is not a pid throws badarg naming it, and the scheduler runs on (erlang:send/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const b = bystander(h);
    for (const bad of NOT_PIDS) {
      expectBadargInProcess(h, () => send(bad as Pid, 'x'), culpritOf(bad));
      expect(() => h.s.send(bad as Pid, 'x')).toThrow(culpritOf(bad));
    }
    expectStillRunning(h, b);
  });

  it('exit/2 to something that is not a pid throws badarg naming it, and the scheduler runs on (erlang:exit/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const b = bystander(h);
    for (const bad of NOT_PIDS) {
      expectBadargInProcess(h, () => exit(bad as Pid, 'kill'), culpritOf(bad));
      expect(() => h.exit(bad as Pid, 'kill')).toThrow(culpritOf(bad));
    }
    expectStillRunning(h, b);
  });

  it('link to something that is not a pid throws badarg naming it, and the scheduler runs on (erlang:link/1 docs, "Failure: badarg")', () => {
    const h = setup();
    const b = bystander(h);
    for (const bad of NOT_PIDS) expectBadargInProcess(h, () => link(bad as Pid), culpritOf(bad));
    expectStillRunning(h, b);
  });

  it('unlink of something that is not a pid throws badarg naming it (erlang:unlink/1 docs, "Failure: badarg")', () => {
    const h = setup();
    const b = bystander(h);
    for (const bad of NOT_PIDS) expectBadargInProcess(h, () => unlink(bad as Pid), culpritOf(bad));
    expectStillRunning(h, b);
  });

  it('monitor of something that is neither a pid nor a name throws badarg naming it, and the scheduler runs on (erlang:monitor/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const b = bystander(h);
    for (const bad of NOT_PIDS) expectBadargInProcess(h, () => monitor(bad as Pid), culpritOf(bad));
    expectStillRunning(h, b);
  });

  it('spawn of an unknown module throws undef naming it, and the scheduler runs on (erlang:spawn/3; Erlang reference manual, Errors: undef)', () => {
    const h = setup();
    const b = bystander(h);
    const out = inProcess(h, () => spawn('test.bad.missing'));
    expect(out.error).toBeInstanceOf(OrchardError);
    expect((out.error as Error).message).toMatch(/\bundef\b/);
    expect((out.error as Error).message).toMatch(/test\.bad\.missing/);
    expectStillRunning(h, b);
  });

  it('register of a taken name throws badarg naming the name and its owner, and the scheduler runs on (erlang:register/2 docs)', () => {
    const h = setup();
    const b = bystander(h);
    register('test.bad.taken', b.pid);
    expectBadargInProcess(h, () => register('test.bad.taken'), new RegExp(`test\\.bad\\.taken.*${b.pid.replace(/[.<>]/g, '\\$&')}`));
    expectStillRunning(h, b);
  });

  it('send to an unregistered name throws badarg naming the name, and the scheduler runs on (erlang:send/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const b = bystander(h);
    expectBadargInProcess(h, () => send('test.bad.nobody', 'x'), /test\.bad\.nobody/);
    expectStillRunning(h, b);
  });

  it('an uncaught badarg ends only the process that made the call (Erlang reference manual, Errors, "Exit Reasons")', () => {
    const h = setup();
    const b = bystander(h);
    const culprit = spawn(() => send('test.bad.nobody', 'x'));
    h.run();
    expect(h.exits.get(culprit)).toMatchObject({ error: { message: expect.stringMatching(/\bbadarg\b/) } });
    expectStillRunning(h, b);
  });

  it('spawn arguments that are not an array throw badarg (erlang:spawn/3 docs, "Args" is a list)', () => {
    const h = setup();
    expect(() => spawn(() => {}, 'not a list' as unknown as unknown[])).toThrow(/\bbadarg\b.*not a list/);
    expect(h.s.stats().processes).toBe(0);
  });

  it('a BIF called where no scheduler runs throws not_in_process, naming how to make one that exists (STYLE G7)', () => {
    setDefaultScheduler(null);
    const e = thrown(() => send('<0.1.0>', 'x'));
    expect(e).toBeInstanceOf(OrchardError);
    expect((e as OrchardError).code).toBe('not_in_process');
    expect(e.message).toMatch(/\bnew Scheduler\(\)/);
    expect(e.message).toMatch(/\bsetDefaultScheduler\b/);
    // Every name the message tells the user to call is exported by the core.
    for (const [, name] of e.message.matchAll(/`(?:new )?(\w+)\(/g)) expect(core).toHaveProperty(name!);
  });
});
