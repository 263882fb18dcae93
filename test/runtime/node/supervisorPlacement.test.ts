/**
 * A Supervisor on one scheduler placing `[module, args]` children on others (ChildSpec's
 * `scheduler`), with real worker threads: the child runs where its spec says, comes back there
 * when it is restarted, and a child spec without a scheduler starts beside its supervisor, as on
 * the BEAM. The same for a DynamicSupervisor's children. The supervisor itself runs on scheduler 0.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Pid, isPid, schedulerOf } from '../../../runtime/core/index.ts';
import type { ChildSpec, DynamicChildSpec, WhichChild } from '../../../runtime/behaviours/index.ts';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import { Driver } from './driver.ts';
import type { HostRequest } from './fixtures/placement.ts';

const ENTRY = new URL('./fixtures/placementWorker.ts', import.meta.url);

let node: OrchardNode;

beforeAll(async () => {
  node = await startNode({ schedulers: 3, workerEntry: ENTRY, watchdog: { intervalMs: 100, timeoutMs: 5_000 } });
});

afterAll(() => node?.stop());

/** Each test's host: killing it takes its supervisor and the children down (they are linked). */
const hosts: Pid[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) node.exit(host, 'kill');
});

let asked = 0;

/** The supervisor's children as whichChildren reports them. */
async function whichChildren(d: Driver, host: Pid): Promise<WhichChild[]> {
  const which = ++asked;
  node.send(host, { which } satisfies HostRequest);
  return (await d.inbox((m) => m?.which === which)).children;
}

/** The supervisor's children, id → pid. */
async function children(d: Driver, host: Pid): Promise<Map<string, WhichChild['pid']>> {
  return new Map((await whichChildren(d, host)).map((c) => [c.id, c.pid]));
}

/** startChild on the host's supervisor: what it returned. */
async function startChild(d: Driver, host: Pid, spec: ChildSpec | DynamicChildSpec): Promise<any> {
  const tag = ++asked;
  node.send(host, { startChild: spec, tag } satisfies HostRequest);
  return (await d.inbox((m) => m?.startedChild === tag)).result;
}

/** A host on scheduler 0 with its supervisor: `placement.sup` with `arg` as its child specs, or `placement.dynsup` with `arg` as its extra arguments. */
async function startHost(d: Driver, arg: ChildSpec[] | unknown[], dynamic = false): Promise<Pid> {
  const host = node.spawn('placement.host', [arg, node.pid, dynamic], { scheduler: 0 });
  hosts.push(host);
  const started = await d.inbox((m) => m?.supStarted !== undefined);
  expect(started.supStarted[0]).toBe('ok');
  expect(schedulerOf(started.supStarted[1])).toBe(0);
  return host;
}

async function pong(d: Driver, pid: Pid, tag: string): Promise<Pid> {
  return (await ping(d, pid, tag)).from;
}

/** The whole answer of a child to a ping. */
async function ping(d: Driver, pid: Pid, tag: string): Promise<any> {
  node.send(pid, { ping: tag, replyTo: node.pid });
  return d.inbox((m) => m?.pong === tag);
}

/** Polls until `current()` is a pid other than `old` (a restart); returns it. */
async function restarted(old: Pid, current: () => Promise<WhichChild['pid'] | undefined>): Promise<Pid> {
  let again: WhichChild['pid'] | undefined = old;
  for (let i = 0; i < 100 && (again === old || !isPid(again)); i++) {
    await new Promise((r) => setTimeout(r, 20));
    again = await current();
  }
  expect(isPid(again)).toBe(true);
  expect(again).not.toBe(old);
  return again as Pid;
}

describe('Supervisor with placed children', () => {
  it('starts each [module, args] child on the scheduler its spec names, and one without a scheduler beside the supervisor (childSpec.ts, ChildSpec.scheduler; erlang:spawn_opt/4 for the BEAM analogue)', async () => {
    const d = new Driver(node);
    const host = await startHost(d, [
      { id: 'server1', start: ['placement.server', [1]], scheduler: 1 },
      { id: 'plain2', start: ['placement.plain', []], scheduler: 2 },
      { id: 'home', start: ['placement.server', [0]] },
    ]);
    const kids = await children(d, host);
    const at = (id: string) => schedulerOf(kids.get(id) as Pid);
    expect([at('server1'), at('plain2'), at('home')]).toEqual([1, 2, 0]);
    // They run there: each answers from the pid the supervisor holds.
    expect(await pong(d, kids.get('server1') as Pid, 's1')).toBe(kids.get('server1'));
    expect(await pong(d, kids.get('plain2') as Pid, 'p2')).toBe(kids.get('plain2'));
  });

  it('restarts a placed child on the same scheduler, under a new pid (supervisor docs, "one_for_one"; the spec is the same at each restart)', async () => {
    const d = new Driver(node);
    const host = await startHost(d, [{ id: 'worker', start: ['placement.server', [null]], scheduler: 2 }]);
    const first = (await children(d, host)).get('worker') as Pid;
    expect(schedulerOf(first)).toBe(2);
    node.exit(first, 'kill');
    const again = await restarted(first, async () => (await children(d, host)).get('worker'));
    expect(schedulerOf(again)).toBe(2);
    expect(await pong(d, again, 'again')).toBe(again);
  });

  it("places a child added with startChild, least_loaded included; a scheduler that is not running fails that start only, as {error, Reason} (supervisor docs, start_child/2)", async () => {
    const d = new Driver(node);
    const host = await startHost(d, []);
    const onOne = await startChild(d, host, { id: 'one', start: ['placement.server', [1]], scheduler: 1 });
    expect(onOne[0]).toBe('ok');
    expect(schedulerOf(onOne[1])).toBe(1);
    const anywhere = await startChild(d, host, { id: 'anywhere', start: ['placement.plain', []], scheduler: 'least_loaded' });
    expect(anywhere[0]).toBe('ok');
    expect([0, 1, 2]).toContain(schedulerOf(anywhere[1]));
    const nowhere = await startChild(d, host, { id: 'nowhere', start: ['placement.server', [9]], scheduler: 9 });
    expect(nowhere[0]).toBe('error');
    expect(JSON.stringify(nowhere[1])).toMatch(/\bnot running\b/);
    // The supervisor carries on: the children it has are still there, the failed one is not.
    const kids = await children(d, host);
    expect([...kids.keys()].sort()).toEqual(['anywhere', 'one']);
  });
});

describe('DynamicSupervisor with placed children', () => {
  it('starts a [module, args] child on the scheduler its spec names, the extra arguments in front, and one without a scheduler beside the supervisor (DynamicSupervisor.start_child/2 and init/1 :extra_arguments, Elixir docs; ChildSpec.scheduler)', async () => {
    const d = new Driver(node);
    const host = await startHost(d, ['extra'], true);
    const there = await startChild(d, host, { start: ['placement.args', ['a']], scheduler: 2 });
    const home = await startChild(d, host, { start: ['placement.args', ['b']] });
    const anywhere = await startChild(d, host, { start: ['placement.args', ['c']], scheduler: 'least_loaded' });
    expect([there[0], home[0], anywhere[0]]).toEqual(['ok', 'ok', 'ok']);
    expect([schedulerOf(there[1]), schedulerOf(home[1])]).toEqual([2, 0]);
    expect([0, 1, 2]).toContain(schedulerOf(anywhere[1]));
    // Each runs where its pid says, started with the supervisor's extra arguments first.
    expect(await ping(d, there[1], 'there')).toEqual({ pong: 'there', from: there[1], args: ['extra', 'a'] });
    expect(await ping(d, home[1], 'home')).toEqual({ pong: 'home', from: home[1], args: ['extra', 'b'] });
    expect((await whichChildren(d, host)).map((c) => c.pid).sort()).toEqual([there[1], home[1], anywhere[1]].sort());
  });

  it('restarts a placed permanent child on the same scheduler, under a new pid (DynamicSupervisor docs, "permanent": always restarted)', async () => {
    const d = new Driver(node);
    const host = await startHost(d, [], true);
    const first = await startChild(d, host, { start: ['placement.server', [null]], scheduler: 1 });
    expect(first[0]).toBe('ok');
    expect(schedulerOf(first[1])).toBe(1);
    node.exit(first[1], 'kill');
    const again = await restarted(first[1], async () => (await whichChildren(d, host))[0]?.pid);
    expect(schedulerOf(again)).toBe(1);
    expect(await pong(d, again, 'dyn again')).toBe(again);
  });
});
