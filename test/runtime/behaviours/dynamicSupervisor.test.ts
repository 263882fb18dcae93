/**
 * DynamicSupervisor against Elixir's rules. Each `it` names the rule and where it is stated:
 * Elixir's DynamicSupervisor docs (https://hexdocs.pm/elixir/DynamicSupervisor.html) or its
 * source, lib/elixir/lib/dynamic_supervisor.ex.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Pid, SUPERVISOR_REPORT, type SupervisorReport, defineModule, exit, receive, setDefaultScheduler,
} from '../../../runtime/core/index.ts';
import { DynamicSupervisor, GenServer } from '../../../runtime/behaviours/index.ts';
import type { DynamicChildSpec } from '../../../runtime/behaviours/index.ts';
import { type Log, driven, driver, harness, okPid, stubbornChild, worker } from './helpers.ts';
import type { Proc } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function world(options: DynamicSupervisor.DynamicSupervisorOptions = {}) {
  const { h, d } = driven();
  const sup = okPid(d.run(() => DynamicSupervisor.startLink(options)));
  return { h, d, sup };
}

function workerSpec(id: string, log: Log, extra: Partial<DynamicChildSpec> = {}, options: Parameters<typeof worker>[2] = {}): DynamicChildSpec {
  return { id, start: () => GenServer.startLink(worker(id, log, options)), ...extra };
}

function crash(h: ReturnType<typeof harness>, pid: Pid, reason: unknown = 'boom'): void {
  h.exit(pid, reason);
  h.run();
}

describe('startChild', () => {
  it('starts with no children and starts each child on demand (DynamicSupervisor docs, start_child/2)', () => {
    const { d, sup } = world();
    expect(d.run(() => DynamicSupervisor.countChildren(sup))).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    const log: Log = [];
    const a = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('a', log))));
    const b = okPid(d.run(() => DynamicSupervisor.startChild(sup, { ...workerSpec('a', log), type: 'supervisor' })));
    expect(log).toEqual([['start', 'a'], ['start', 'a']]);
    expect(d.run(() => DynamicSupervisor.whichChildren(sup))).toEqual([
      { id: null, pid: a, type: 'worker' },
      { id: null, pid: b, type: 'supervisor' },
    ]);
    expect(d.run(() => DynamicSupervisor.countChildren(sup))).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });
  });

  it("keeps nothing when the start returns 'ignore' or an error, and returns it (start_child/2)", () => {
    const { d, sup } = world();
    expect(d.run(() => DynamicSupervisor.startChild(sup, { start: () => 'ignore' }))).toBe('ignore');
    expect(d.run(() => DynamicSupervisor.startChild(sup, { start: () => ['error', 'no_db'] }))).toEqual(['error', 'no_db']);
    // Anything else is answered as {:error, other}, not wrapped (DynamicSupervisor.start_child/2 source: "other -> {:error, other}").
    expect(d.run(() => DynamicSupervisor.startChild(sup, { start: () => 'what' as never }))).toEqual(['error', 'what']);
    expect(d.run(() => DynamicSupervisor.countChildren(sup)).specs).toBe(0);
  });

  it('answers a spec that does not check out with an error, and keeps running (start_child/2: "{:error, error}")', () => {
    const { d, sup } = world();
    expect(d.run(() => DynamicSupervisor.startChild(sup, { start: () => 'ignore', restart: 'sometimes' as never }))).toEqual([
      'error', { invalid_restart_type: 'sometimes' },
    ]);
    expect(d.run(() => DynamicSupervisor.countChildren(sup)).specs).toBe(0);
  });

  it("returns ['error', 'max_children'] once maxChildren children run (start_link/1, :max_children)", () => {
    const { d, sup } = world({ maxChildren: 1 });
    const log: Log = [];
    okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('a', log))));
    expect(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('b', log)))).toEqual(['error', 'max_children']);
    expect(log).toEqual([['start', 'a']]);
  });

  it('prepends extraArguments to the arguments of each child start (start_link/1, :extra_arguments)', () => {
    const seen: unknown[][] = [];
    defineModule('test.dyn.echo', function* echo(...args: unknown[]): Proc {
      seen.push(args);
      yield receive(() => false);
    });
    const { d, sup } = world({ extraArguments: ['pool', 1] });
    okPid(d.run(() => DynamicSupervisor.startChild(sup, { start: ['test.dyn.echo', ['own']] })));
    okPid(d.run(() => DynamicSupervisor.startChild(sup, {
      start: (...extra: unknown[]) => {
        seen.push(['fn', ...extra]);
        return GenServer.startLink(worker('f', []));
      },
    })));
    expect(seen).toEqual([['pool', 1, 'own'], ['fn', 'pool', 1]]);
  });

  it('is reached by its registered name (start_link/1, :name)', () => {
    const { d } = world({ name: 'test.dyn.named' });
    okPid(d.run(() => DynamicSupervisor.startChild('test.dyn.named', workerSpec('a', []))));
    expect(d.run(() => DynamicSupervisor.countChildren('test.dyn.named')).active).toBe(1);
  });
});

describe('terminateChild', () => {
  it("stops the child as its shutdown says and forgets it; an unknown pid is ['error', 'not_found'] (terminate_child/2)", () => {
    const { h, d, sup } = world();
    const log: Log = [];
    const a = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('a', log, {}, { trap: true }))));
    expect(d.run(() => DynamicSupervisor.terminateChild(sup, a))).toBe('ok');
    expect(log).toEqual([['start', 'a'], ['terminate', 'a', 'shutdown']]);
    expect(h.s.info(a)).toBeUndefined();
    expect(d.run(() => DynamicSupervisor.countChildren(sup)).specs).toBe(0);
    expect(d.run(() => DynamicSupervisor.terminateChild(sup, a))).toEqual(['error', 'not_found']);
  });
});

describe('restart types', () => {
  it('restarts a permanent child under a new pid after any exit, and reports the restart (Supervisor docs, "Restart values")', () => {
    const { h, d, sup } = world();
    const log: Log = [];
    const a = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('a', log))));
    crash(h, a, 'normal_is_not_enough');
    const [child] = d.run(() => DynamicSupervisor.whichChildren(sup));
    expect(child!.pid).not.toBe(a);
    expect(h.s.info(child!.pid as Pid)).toBeDefined();
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'restart', supervisor: sup, oldPid: a, newPid: child!.pid, reason: 'normal_is_not_enough' }));
  });

  it('restarts a transient child only after an abnormal exit, and forgets it after a normal one (dynamic_supervisor.ex, maybe_restart_child)', () => {
    const { h, d, sup } = world();
    const a = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('t', [], { restart: 'transient' }))));
    crash(h, a, 'boom');
    const [again] = d.run(() => DynamicSupervisor.whichChildren(sup));
    expect(again!.pid).not.toBe(a);
    crash(h, again!.pid as Pid, { shutdown: 'done' });
    expect(d.run(() => DynamicSupervisor.countChildren(sup)).specs).toBe(0);
  });

  it('never restarts a temporary child and forgets it however it exits (Supervisor docs, "Restart values")', () => {
    const { h, d, sup } = world();
    const a = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('t', [], { restart: 'temporary' }))));
    crash(h, a, 'boom');
    expect(d.run(() => DynamicSupervisor.whichChildren(sup))).toEqual([]);
  });

  it('exits with shutdown after more than maxRestarts restarts in maxSeconds, stopping the other children (start_link/1, :max_restarts)', () => {
    const { h, d, sup } = world({ maxRestarts: 2, maxSeconds: 5 });
    const log: Log = [];
    const calm = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('calm', log, {}, { trap: true }))));
    let crashing = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('c', []))));
    const current = () => d.run(() => DynamicSupervisor.whichChildren(sup)).map((c) => c.pid).find((p) => p !== calm) as Pid;
    for (let i = 0; i < 2; i++) {
      crash(h, crashing);
      h.advance(1000);
      crashing = current();
    }
    expect(h.s.info(sup)).toBeDefined();
    crash(h, crashing);
    expect(h.exits.get(sup)).toBe('shutdown');
    expect(log).toEqual([['start', 'calm'], ['terminate', 'calm', 'shutdown']]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'intensity', supervisor: sup, restarts: 3, intensity: 2 }));
  });

  it('counts only the restarts inside the window (Supervisor docs, "max_restarts in max_seconds")', () => {
    const { h, d, sup } = world({ maxRestarts: 1, maxSeconds: 5 });
    let pid = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('c', []))));
    for (let i = 0; i < 3; i++) {
      crash(h, pid);
      h.advance(6000);
      pid = d.run(() => DynamicSupervisor.whichChildren(sup))[0]!.pid as Pid;
    }
    expect(h.s.info(sup)).toBeDefined();
  });

  it('tries a failed restart again through its mailbox, showing the child as restarting, each try counted (dynamic_supervisor.ex, restart_child: :try_again)', () => {
    const { h, d, sup } = world({ maxRestarts: 10 });
    let failures = 0;
    const pid = okPid(d.run(() => DynamicSupervisor.startChild(sup, {
      start: () => (failures-- > 0 ? ['error', 'down'] : GenServer.startLink(worker('r', []))),
    })));
    failures = 1;
    // The call is queued behind the child's EXIT and ahead of the second try.
    const during = d.run(function* () {
      exit(pid, 'boom');
      return yield* DynamicSupervisor.whichChildren(sup);
    });
    expect(during).toEqual([{ id: null, pid: 'restarting', type: 'worker' }]);
    const [after] = d.run(() => DynamicSupervisor.whichChildren(sup));
    expect(after!.pid).not.toBe('restarting');
    expect(h.s.info(after!.pid as Pid)).toBeDefined();
    const report = (h.s.procs.get(sup)!.ext!.dict!.get(SUPERVISOR_REPORT) as (now: number) => SupervisorReport)(h.s.clock.now());
    expect(report.restartsInWindow).toBe(2);
  });
});

describe('shutdown', () => {
  it('stops its children all at once when it stops, each by its shutdown (dynamic_supervisor.ex, terminate_children)', () => {
    const { h, d, sup } = world();
    const log: Log = [];
    for (const id of ['a', 'b', 'c']) okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec(id, log, {}, { trap: true, slowTerminate: 1000 }))));
    const stopping = d.start(() => DynamicSupervisor.stop(sup));
    expect(log.filter((e) => e[0] === 'terminate').map((e) => e[1]).sort()).toEqual(['a', 'b', 'c']);
    h.advance(999);
    expect(stopping.done).toBe(false);
    // One after the other would take 3000 ms; together, 1000.
    h.advance(1);
    expect(stopping).toMatchObject({ done: true, value: 'ok' });
    expect(h.s.info(sup)).toBeUndefined();
  });

  it('kills a child still alive when its shutdown time runs out, and brutal_kill ones at once (Supervisor docs, "Shutdown values")', () => {
    const { h, d, sup } = world();
    const slow = okPid(d.run(() => DynamicSupervisor.startChild(sup, { start: stubbornChild, shutdown: 300 })));
    const brutal = okPid(d.run(() => DynamicSupervisor.startChild(sup, { start: stubbornChild, shutdown: 'brutal_kill' })));
    const stopping = d.start(() => DynamicSupervisor.stop(sup));
    expect(h.exits.get(brutal)).toBe('killed');
    expect(h.s.info(slow)).toBeDefined();
    h.advance(300);
    expect(h.exits.get(slow)).toBe('killed');
    expect(stopping).toMatchObject({ done: true, value: 'ok' });
  });

  it('stops with its parent, children first (start_link/1: linked to the parent)', () => {
    const h = harness();
    const log: Log = [];
    let sup: Pid | null = null;
    const parent = h.s.spawn(function* (): Proc {
      sup = okPid(yield* DynamicSupervisor.startLink());
      okPid(yield* DynamicSupervisor.startChild(sup, workerSpec('a', log, {}, { trap: true })));
      exit('bye');
    });
    h.run();
    expect(h.exits.get(parent)).toBe('bye');
    expect(h.exits.get(sup!)).toBe('bye');
    expect(log).toEqual([['start', 'a'], ['terminate', 'a', 'shutdown']]);
  });
});

describe('reports and modules', () => {
  it('publishes a one_for_one supervisor report for the inspector and shows as DynamicSupervisor', () => {
    const { h, d, sup } = world({ maxRestarts: 7, maxSeconds: 9 });
    const a = okPid(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('w', [], { restart: 'transient' }))));
    const report = (h.s.procs.get(sup)!.ext!.dict!.get(SUPERVISOR_REPORT) as (now: number) => SupervisorReport)(h.s.clock.now());
    expect(report).toEqual({
      strategy: 'one_for_one', intensity: 7, period: 9, restartsInWindow: 0,
      children: [{ id: 'w', pid: a, restart: 'transient', type: 'worker', restarts: 0, lastExitReason: null, lastRestartAt: null }],
    });
    expect(h.s.info(sup)!.behaviour).toBe('DynamicSupervisor');
  });

  it('starts a module-based supervisor whose init returns the flags, or ignore (DynamicSupervisor docs, "Module-based supervisors")', () => {
    DynamicSupervisor.define('test.dyn.module', { init: (max: number | null) => (max === null ? 'ignore' : ['ok', { maxChildren: max }]) });
    const h = harness();
    // Trapping: a start_link whose init fails also sends the starter that exit.
    const d = driver(h, { trapExit: true });
    const sup = okPid(d.run(() => DynamicSupervisor.startLink('test.dyn.module', 0)));
    expect(d.run(() => DynamicSupervisor.startChild(sup, workerSpec('a', [])))).toEqual(['error', 'max_children']);
    expect(d.run(() => DynamicSupervisor.startLink('test.dyn.module', null))).toBe('ignore');
    expect(d.run(() => DynamicSupervisor.startLink({ maxRestarts: -1 }))).toEqual(['error', { supervisor_data: { invalid_intensity: -1 } }]);
  });
});

describe('error reports (DynamicSupervisor source, report_error :start_error / :shutdown_error)', () => {
  it('reports shutdown_error for a child killed after its shutdown time, and start_error for a failed restart', () => {
    const { h, d, sup } = world();
    const stubborn = okPid(d.run(() => DynamicSupervisor.startChild(sup, { start: stubbornChild, shutdown: 10 })));
    const stopping = d.start(() => DynamicSupervisor.terminateChild(sup, stubborn));
    h.advance(10);
    expect(stopping.done).toBe(true);
    let fail = false;
    const flaky = okPid(d.run(() => DynamicSupervisor.startChild(sup, { id: 'flaky', start: () => (fail ? ['error', 'down'] : GenServer.startLink(worker('flaky', []), null)) })));
    fail = true;
    h.exit(flaky, 'kill');
    h.run();
    const reports = h.events.filter((e) => e.type === 'supervisor_report');
    expect(reports[0]).toMatchObject({ context: 'shutdown_error', reason: 'killed', pid: stubborn, supervisor: sup });
    expect(reports[1]).toMatchObject({ context: 'start_error', reason: 'down', childId: 'flaky', pid: null });
  });
});
