/**
 * Supervisor against supervisor's rules. Each `it` names the rule and where OTP states it: the
 * supervisor reference manual (https://www.erlang.org/doc/apps/stdlib/supervisor.html), OTP's
 * supervisor.erl, or a test case of lib/stdlib/test/supervisor_SUITE.erl. The children are
 * GenServers that trap exits and log their init and terminate, so the log shows the exact order
 * in which a supervisor stops and starts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Pid, type RuntimeEvent, SUPERVISOR_REPORT, type SupervisorReport, type Wait, receive, setDefaultScheduler,
} from '../../../runtime/core/index.ts';
import { GenServer, Supervisor } from '../../../runtime/behaviours/index.ts';
import type { ChildSpec, StartResult, SupervisorOptions, WhichChild } from '../../../runtime/behaviours/index.ts';
import { type Driver, type Log, type WorkerOptions, driven, driver, harness, okPid, stubbornChild, worker } from './helpers.ts';
import { supervisorReport } from '../../../runtime/inspector/rows.ts';

afterEach(() => setDefaultScheduler(null));

type H = ReturnType<typeof harness>;

/** A worker child that traps exits (so its terminate runs and is logged) unless told otherwise. */
function spec(id: string, log: Log, extra: Partial<ChildSpec> = {}, options: WorkerOptions = { trap: true }): ChildSpec {
  return { id, start: () => GenServer.startLink(worker(id, log, options), null), ...extra };
}

function specs(log: Log, ...ids: string[]): ChildSpec[] {
  return ids.map((id) => spec(id, log));
}

function startSup(d: Driver, children: ChildSpec[], options?: SupervisorOptions): Pid {
  return okPid(d.run(() => Supervisor.startLink(children, options)));
}

function which(d: Driver, sup: Pid | string): WhichChild[] {
  return d.run(() => Supervisor.whichChildren(sup));
}

function pidOf(d: Driver, sup: Pid | string, id: string): Pid {
  const child = which(d, sup).find((c) => c.id === id);
  if (child === undefined || typeof child.pid !== 'string' || child.pid === 'restarting') {
    throw new Error(`child ${id} is not running`);
  }
  return child.pid;
}

function pids(d: Driver, sup: Pid): Record<string, unknown> {
  return Object.fromEntries(which(d, sup).map((c) => [c.id, c.pid]));
}

function kill(h: H, pid: Pid): void {
  h.exit(pid, 'kill');
  h.run();
}

function report(h: H, sup: Pid): SupervisorReport {
  const fn = h.s.procs.get(sup)!.ext!.dict!.get(SUPERVISOR_REPORT) as (now: number) => SupervisorReport;
  return fn(h.s.clock.now());
}

function eventsOf<T extends RuntimeEvent['type']>(h: H, type: T): Array<Extract<RuntimeEvent, { type: T }>> {
  return h.events.filter((e): e is Extract<RuntimeEvent, { type: T }> => e.type === type);
}

describe('startLink', () => {
  it('starts the children in order, left to right, before it returns (supervisor docs, "Supervision Principles")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3'));
    expect(log).toEqual([['start', 'c1'], ['start', 'c2'], ['start', 'c3']]);
    const info = h.s.info(sup)!;
    expect(info.behaviour).toBe('Supervisor');
    expect(info.trapExit).toBe(true);
    expect(info.links).toContain(d.pid);
    for (const c of which(d, sup)) expect(h.s.info(c.pid as Pid)!.links).toContain(sup);
  });

  it('starts children given as [module, args] through their behaviour, and supervisor modules defined with define (supervisor docs, child_spec "start")', () => {
    const { h, d } = driven();
    const log: Log = [];
    GenServer.define('supervisor.test.worker', {
      init: (id: string) => (log.push(['start', id]), ['ok', id]),
      handleCall: (_r, _f, id: string) => ['reply', id, id],
    });
    Supervisor.define('supervisor.test.tree', {
      init: (ids: string[]) => ['ok', [{ strategy: 'one_for_all' }, ids.map((id) => ({ id, start: ['supervisor.test.worker', [id]] }))]],
    });
    const top = startSup(d, [
      { id: 'w', start: ['supervisor.test.worker', ['w']] },
      { id: 'tree', start: ['supervisor.test.tree', [['t1', 't2']]], type: 'supervisor' },
    ]);
    expect(log).toEqual([['start', 'w'], ['start', 't1'], ['start', 't2']]);
    const tree = pidOf(d, top, 'tree');
    expect(h.s.info(tree)!.behaviour).toBe('Supervisor');
    expect(report(h, tree).strategy).toBe('one_for_all');
    const t2 = pidOf(d, tree, 't2');
    expect(d.run(() => GenServer.call(t2, 'id'))).toBe('t2');
    expect(d.run(() => Supervisor.countChildren(top))).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });
  });

  it('registers the supervisor under options.name; a taken name gives {error, {already_started, Pid}} (supervisor docs, start_link/3)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'), { name: 'sup_named' });
    expect(h.s.whereis('sup_named')).toBe(sup);
    expect(which(d, 'sup_named').map((c) => c.id)).toEqual(['c1']);
    expect(d.run(() => Supervisor.startLink(specs(log, 'c2'), { name: 'sup_named' }))).toEqual(['error', { already_started: sup }]);
    expect(log).toEqual([['start', 'c1']]); // the second supervisor started no child
  });

  it('defaults to one_for_one, at most 3 restarts in 5 seconds (Elixir Supervisor docs, init/2 options: max_restarts 3, max_seconds 5)', () => {
    const { h, d } = driven();
    const sup = startSup(d, []);
    expect(Supervisor.DEFAULT_FLAGS).toEqual({ strategy: 'one_for_one', intensity: 3, period: 5, autoShutdown: 'never' });
    expect(report(h, sup)).toMatchObject({ strategy: 'one_for_one', intensity: 3, period: 5, restartsInWindow: 0, children: [] });
    const aliased = startSup(d, [], { strategy: 'rest_for_one', maxRestarts: 7, maxSeconds: 2 });
    expect(report(h, aliased)).toMatchObject({ strategy: 'rest_for_one', intensity: 7, period: 2 });
  });

  it('fails with {supervisor_data, _} on bad flags and {start_spec, _} on bad child specs (supervisor.erl init/1; supervisor_SUITE, sup_start_map_faulty_specs)', () => {
    const { d } = driven({ trapExit: true });
    const log: Log = [];
    expect(d.run(() => Supervisor.startLink([], { strategy: 'one_for_none' as never }))).toEqual([
      'error', { supervisor_data: { invalid_strategy: 'one_for_none' } },
    ]);
    expect(d.run(() => Supervisor.startLink([], { intensity: -1 }))).toEqual(['error', { supervisor_data: { invalid_intensity: -1 } }]);
    expect(d.run(() => Supervisor.startLink([{ start: () => ['error', 'x'] } as never]))).toEqual(['error', { start_spec: 'missing_id' }]);
    expect(d.run(() => Supervisor.startLink([{ id: 'c2' } as never]))).toEqual(['error', { start_spec: 'missing_start' }]);
    expect(d.run(() => Supervisor.startLink(['child4' as never]))).toEqual(['error', { start_spec: { invalid_child_spec: 'child4' } }]);
    expect(d.run(() => Supervisor.startLink(specs(log, 'c1', 'c1')))).toEqual(['error', { start_spec: { duplicate_child_name: 'c1' } }]);
    expect(log).toEqual([]); // specs are checked before any child starts
  });

  it('fails with {shutdown, {failed_to_start_child, Id, Reason}} when a child fails to start, after stopping the started ones in reverse order (supervisor docs, start_link/3)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const failing: ChildSpec = { id: 'c3', start: () => ['error', 'no_db'] };
    const r = d.run(() => Supervisor.startLink([...specs(log, 'c1', 'c2'), failing, spec('c4', log)]));
    expect(r).toEqual(['error', { shutdown: { failed_to_start_child: ['c3', 'no_db'] } }]);
    expect(log).toEqual([
      ['start', 'c1'], ['start', 'c2'],
      ['terminate', 'c2', 'shutdown'], ['terminate', 'c1', 'shutdown'],
    ]);
    const sup = eventsOf(h, 'spawn').find((e) => e.parent === d.pid)!.pid;
    expect(h.exits.get(sup)).toEqual({ shutdown: { failed_to_start_child: ['c3', 'no_db'] } });
    // OTP 26+: the failed start_link consumes the supervisor's EXIT (proc_lib docs, start_link/5).
    expect(d.mailbox()).toEqual([]);
  });

  it('reports a child whose init crashes as failed_to_start_child with the crash reason (supervisor_SUITE, sup_start_fail)', () => {
    const { d } = driven({ trapExit: true });
    const crashing: ChildSpec = {
      id: 'bad',
      start: () => GenServer.startLink({ init: () => { throw new Error('init crashed'); } }, null),
    };
    const r = d.run(() => Supervisor.startLink([crashing]));
    expect(r).toMatchObject(['error', { shutdown: { failed_to_start_child: ['bad', { error: { message: 'init crashed' } }] } }]);
  });

  it("keeps the spec of a child whose start returns ignore, with no pid, except a temporary child's (supervisor_SUITE, sup_start_ignore_child and sup_start_ignore_temporary_child)", () => {
    const { d } = driven();
    const log: Log = [];
    const sup = startSup(d, [
      { id: 'ignored', start: () => 'ignore' },
      { id: 'ignored_temp', start: () => 'ignore', restart: 'temporary' },
      spec('c2', log),
    ]);
    expect(which(d, sup).map((c) => [c.id, c.pid === null])).toEqual([['c2', false], ['ignored', true]]);
    expect(d.run(() => Supervisor.countChildren(sup))).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
  });

  it('returns ignore when a supervisor module init returns ignore, and exits normal (supervisor_SUITE, sup_start_ignore_init)', () => {
    const { h, d } = driven();
    Supervisor.define('supervisor.test.ignore', { init: () => 'ignore' });
    expect(d.run(() => Supervisor.startLink('supervisor.test.ignore'))).toBe('ignore');
    const sup = eventsOf(h, 'spawn').find((e) => e.parent === d.pid)!.pid;
    expect(h.exits.get(sup)).toBe('normal');
  });
});

describe('termination of the supervisor', () => {
  it('terminates the children in reverse start order, each with shutdown, when its parent exits (supervisor docs, "Supervision Principles")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3', 'c4'));
    const children = Object.values(pids(d, sup)) as Pid[];
    log.length = 0;
    h.exit(d.pid, 'boom');
    h.run();
    expect(log).toEqual([
      ['terminate', 'c4', 'shutdown'], ['terminate', 'c3', 'shutdown'],
      ['terminate', 'c2', 'shutdown'], ['terminate', 'c1', 'shutdown'],
    ]);
    expect(h.exits.get(sup)).toBe('boom');
    for (const c of children) expect(h.exits.get(c)).toBe('shutdown');
  });

  it('terminates its children too when stopped with GenServer.stop (supervisor_SUITE, sup_stop_infinity)', () => {
    const { d } = driven({ trapExit: true }); // the supervisor's exit signal must not take the driver down
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2'));
    log.length = 0;
    expect(d.run(() => GenServer.stop(sup, 'shutdown'))).toBe('ok');
    expect(log).toEqual([['terminate', 'c2', 'shutdown'], ['terminate', 'c1', 'shutdown']]);
  });
});

describe('one_for_one', () => {
  it('restarts only the child that terminated (supervisor docs, "Restart Strategies"; supervisor_SUITE, one_for_one)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3', 'c4'));
    const before = pids(d, sup);
    log.length = 0;
    kill(h, before.c2 as Pid);
    expect(log).toEqual([['start', 'c2']]);
    const after = pids(d, sup);
    expect(after.c2).not.toBe(before.c2);
    expect({ ...after, c2: null }).toEqual({ ...before, c2: null });
  });
});

describe('one_for_all', () => {
  it('terminates all the other children in reverse start order, then starts all in start order (supervisor docs, "Restart Strategies"; supervisor_SUITE, one_for_all)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3', 'c4'), { strategy: 'one_for_all' });
    const before = pids(d, sup);
    log.length = 0;
    kill(h, before.c2 as Pid);
    expect(log).toEqual([
      ['terminate', 'c4', 'shutdown'], ['terminate', 'c3', 'shutdown'], ['terminate', 'c1', 'shutdown'],
      ['start', 'c1'], ['start', 'c2'], ['start', 'c3'], ['start', 'c4'],
    ]);
    const after = pids(d, sup);
    for (const id of ['c1', 'c2', 'c3', 'c4']) expect(after[id]).not.toBe(before[id]);
    expect(report(h, sup).restartsInWindow).toBe(1); // one restart, however many children it took
  });

  it('counts one restart when two children die together: the second EXIT is consumed while terminating it (supervisor.erl shutdown/2, unlink_flush)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3'), { strategy: 'one_for_all' });
    const before = pids(d, sup);
    log.length = 0;
    h.exit(before.c1 as Pid, 'kill');
    h.exit(before.c3 as Pid, 'kill');
    h.run();
    expect(log).toEqual([['terminate', 'c2', 'shutdown'], ['start', 'c1'], ['start', 'c2'], ['start', 'c3']]);
    expect(report(h, sup).restartsInWindow).toBe(1);
    expect(report(h, sup).children.map((c) => c.restarts)).toEqual([1, 1, 1]);
  });
});

describe('rest_for_one', () => {
  it('terminates the children started after it in reverse order, then restarts it and them in order (supervisor docs, "Restart Strategies"; supervisor_SUITE, rest_for_one)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3', 'c4'), { strategy: 'rest_for_one' });
    const before = pids(d, sup);
    log.length = 0;
    kill(h, before.c2 as Pid);
    expect(log).toEqual([
      ['terminate', 'c4', 'shutdown'], ['terminate', 'c3', 'shutdown'],
      ['start', 'c2'], ['start', 'c3'], ['start', 'c4'],
    ]);
    const after = pids(d, sup);
    expect(after.c1).toBe(before.c1);
    for (const id of ['c2', 'c3', 'c4']) expect(after[id]).not.toBe(before[id]);
  });

  it('restarts only the last child when the last one terminates (supervisor docs, "Restart Strategies")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3'), { strategy: 'rest_for_one' });
    log.length = 0;
    kill(h, pidOf(d, sup, 'c3'));
    expect(log).toEqual([['start', 'c3']]);
  });
});

describe('restart types', () => {
  it('restarts a permanent child whatever the reason, even normal (supervisor docs, child_spec "restart"; supervisor_SUITE, permanent_normal)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'p'), { intensity: 10 });
    for (const reason of ['normal', 'shutdown', { shutdown: 'x' }, 'crash']) {
      const old = pidOf(d, sup, 'p');
      GenServer.cast(old, { stop: reason });
      h.run();
      expect(pidOf(d, sup, 'p')).not.toBe(old);
    }
  });

  it('restarts a transient child only after an abnormal exit, not normal, shutdown or {shutdown, _} (supervisor docs, child_spec "restart"; supervisor_SUITE, transient_normal, transient_shutdown, transient_abnormal)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('t', log, { restart: 'transient' })]);
    for (const reason of ['normal', 'shutdown', { shutdown: 'x' }]) {
      d.run(() => Supervisor.restartChild(sup, 't'));
      GenServer.cast(pidOf(d, sup, 't'), { stop: reason });
      h.run();
      expect(which(d, sup)).toEqual([{ id: 't', pid: null, type: 'worker' }]);
    }
    d.run(() => Supervisor.restartChild(sup, 't'));
    const old = pidOf(d, sup, 't');
    GenServer.cast(old, { stop: 'crash' });
    h.run();
    const now = which(d, sup)[0]!.pid;
    expect(typeof now === 'string' && now !== old && now !== 'restarting').toBe(true);
  });

  it('never restarts a temporary child and forgets its spec, after a normal or abnormal exit (supervisor docs, child_spec "restart"; supervisor_SUITE, temporary_normal, temporary_abnormal)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('t1', log, { restart: 'temporary' }), spec('t2', log, { restart: 'temporary' })]);
    GenServer.cast(pidOf(d, sup, 't1'), { stop: 'normal' });
    kill(h, pidOf(d, sup, 't2'));
    expect(which(d, sup)).toEqual([]);
    expect(log.filter((e) => e[0] === 'start')).toHaveLength(2);
    expect(report(h, sup).restartsInWindow).toBe(0);
  });

  it('does not restart a temporary child terminated because a sibling died, and forgets it (supervisor docs, child_spec "restart"; supervisor_SUITE, temporary_bystander)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('perm', log), spec('temp', log, { restart: 'temporary' })], { strategy: 'one_for_all' });
    log.length = 0;
    kill(h, pidOf(d, sup, 'perm'));
    expect(log).toEqual([['terminate', 'temp', 'shutdown'], ['start', 'perm']]);
    expect(which(d, sup).map((c) => c.id)).toEqual(['perm']);
  });
});

describe('restart intensity', () => {
  it('a 4th restart within 5 seconds makes the supervisor terminate its children and exit with shutdown (supervisor docs, "Restart intensity and period")', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2', 'c3'));
    for (let i = 0; i < 3; i++) {
      kill(h, pidOf(d, sup, 'c2'));
      h.advance(1000);
    }
    expect(h.s.info(sup)).toBeDefined();
    log.length = 0;
    kill(h, pidOf(d, sup, 'c2'));
    expect(h.exits.get(sup)).toBe('shutdown');
    expect(log).toEqual([['terminate', 'c3', 'shutdown'], ['terminate', 'c1', 'shutdown']]);
    expect(d.mailbox()).toEqual([{ type: 'EXIT', from: sup, reason: 'shutdown' }]);
  });

  it('forgets restarts older than the period (supervisor.erl add_restart/3)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'), { intensity: 1, period: 5 });
    kill(h, pidOf(d, sup, 'c1'));
    h.advance(5001);
    kill(h, pidOf(d, sup, 'c1'));
    expect(h.s.info(sup)).toBeDefined();
    expect(report(h, sup).restartsInWindow).toBe(1);
  });

  it('counts a restart exactly one period old as inside the window (supervisor.erl add_restart/3: R >= Now - Period)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'), { intensity: 1, period: 5 });
    kill(h, pidOf(d, sup, 'c1'));
    h.advance(5000);
    kill(h, pidOf(d, sup, 'c1'));
    expect(h.exits.get(sup)).toBe('shutdown');
  });

  it('with intensity 0 gives up at the first restart (supervisor docs, "Restart intensity and period")', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2'), { intensity: 0 });
    log.length = 0;
    kill(h, pidOf(d, sup, 'c1'));
    expect(log).toEqual([['terminate', 'c2', 'shutdown']]);
    expect(h.exits.get(sup)).toBe('shutdown');
  });

  it('retries a child that fails to restart through its mailbox, answering calls in between, and counts each try (supervisor.erl restart/2, try_again_restart)', () => {
    const { h, d } = driven();
    const log: Log = [];
    let starts = 0;
    const flaky: ChildSpec = {
      id: 'flaky',
      *start(): Generator<Wait, StartResult, unknown> {
        starts++;
        yield receive(() => false, { after: 10 }); // a slow start: the supervisor's mailbox fills meanwhile
        if (starts === 1 || starts === 4) return yield* GenServer.startLink(worker('flaky', log), null);
        return ['error', 'not yet'];
      },
    };
    const out = d.start(() => Supervisor.startLink([flaky], { intensity: 5 }));
    h.advance(10);
    const sup = okPid(out.value);
    kill(h, pidOf(d, sup, 'flaky'));
    // Three callers whose requests queue up while the supervisor waits on the failing start.
    const listed = d.start(() => Supervisor.whichChildren(sup));
    const restarted = driver(h).start(() => Supervisor.restartChild(sup, 'flaky'));
    const deleted = driver(h).start(() => Supervisor.deleteChild(sup, 'flaky'));
    h.advance(10); // the first restart fails; the calls queued meanwhile are answered before the retry
    expect(listed.value).toEqual([{ id: 'flaky', pid: 'restarting', type: 'worker' }]);
    expect(restarted.value).toEqual(['error', 'restarting']);
    expect(deleted.value).toEqual(['error', 'restarting']);
    h.advance(10); // the second try fails too
    h.advance(10); // the third succeeds
    expect(starts).toBe(4);
    expect(typeof which(d, sup)[0]!.pid === 'string' && which(d, sup)[0]!.pid !== 'restarting').toBe(true);
    expect(report(h, sup).restartsInWindow).toBe(3);
  });

  it('drops the pending retry of a restarting child that is terminated meanwhile (supervisor.erl handle_cast try_again_restart)', () => {
    const { h, d } = driven();
    const log: Log = [];
    let starts = 0;
    const flaky: ChildSpec = {
      id: 'flaky',
      *start(): Generator<Wait, StartResult, unknown> {
        starts++;
        if (starts > 1) yield receive(() => false, { after: 10 });
        return starts === 1 ? yield* GenServer.startLink(worker('flaky', log), null) : ['error', 'not yet'];
      },
    };
    const sup = startSup(d, [flaky], { intensity: 5 });
    kill(h, pidOf(d, sup, 'flaky'));
    const terminated = d.start(() => Supervisor.terminateChild(sup, 'flaky'));
    h.advance(10); // the restart fails; the terminate_child call comes before the retry
    expect(terminated.value).toBe('ok');
    h.advance(100);
    expect(starts).toBe(2);
    expect(which(d, sup)).toEqual([{ id: 'flaky', pid: null, type: 'worker' }]);
  });

  it('gives up when the failed restarts exceed the intensity: one start per counted restart (supervisor_SUITE, hanging_restart_loop)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    let starts = 0;
    const flaky: ChildSpec = {
      id: 'flaky',
      start: (): Generator<Wait, StartResult, unknown> | StartResult => {
        starts++;
        return starts === 1 ? GenServer.startLink(worker('flaky', log), null) : ['error', 'broken'];
      },
    };
    const sup = startSup(d, [flaky, spec('other', log)]);
    log.length = 0;
    kill(h, pidOf(d, sup, 'flaky'));
    expect(starts).toBe(1 + 3); // restarts 1, 2 and 3 each try once; the 4th exceeds the intensity
    expect(h.exits.get(sup)).toBe('shutdown');
    expect(log).toEqual([['terminate', 'other', 'shutdown']]);
  });

  it('escalates: a child supervisor that gives up exits with shutdown and its own supervisor restarts it (supervisor_SUITE, one_for_one_escalation)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const inner: ChildSpec = {
      id: 'inner',
      type: 'supervisor',
      start: () => Supervisor.startLink([spec('w', log)], { intensity: 0 }),
    };
    const top = startSup(d, [inner, spec('sibling', log)], { intensity: 1 });
    const innerBefore = pidOf(d, top, 'inner');
    log.length = 0;
    kill(h, pidOf(d, innerBefore, 'w'));
    expect(h.exits.get(innerBefore)).toBe('shutdown');
    const innerAfter = pidOf(d, top, 'inner');
    expect(innerAfter).not.toBe(innerBefore);
    expect(log).toEqual([['start', 'w']]); // the new inner supervisor started its worker again
    expect(report(h, top).restartsInWindow).toBe(1);

    // Once more within the period: now the top supervisor gives up in turn.
    log.length = 0;
    kill(h, pidOf(d, innerAfter, 'w'));
    expect(h.exits.get(innerAfter)).toBe('shutdown');
    expect(h.exits.get(top)).toBe('shutdown');
    expect(log).toEqual([['terminate', 'sibling', 'shutdown']]);
    expect(d.mailbox()).toEqual([{ type: 'EXIT', from: top, reason: 'shutdown' }]);
  });
});

describe('shutdown', () => {
  it('a time in ms: sends shutdown and the child, trapping exits, terminates with it (supervisor docs, child_spec "shutdown"; supervisor_SUITE, sup_stop_timeout)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log, { shutdown: 1000 })]);
    const child = pidOf(d, sup, 'c1');
    expect(d.run(() => Supervisor.terminateChild(sup, 'c1'))).toBe('ok');
    expect(log.at(-1)).toEqual(['terminate', 'c1', 'shutdown']);
    expect(h.exits.get(child)).toBe('shutdown');
  });

  it('a time in ms: kills a child that has not exited when the time runs out (supervisor docs, child_spec "shutdown"; supervisor_SUITE, sup_stop_timeout)', () => {
    const { h, d } = driven();
    const sup = startSup(d, [{ id: 'stubborn', start: stubbornChild, shutdown: 1000 }]);
    const child = pidOf(d, sup, 'stubborn');
    const out = d.start(() => Supervisor.terminateChild(sup, 'stubborn'));
    h.advance(999);
    expect(out.done).toBe(false);
    expect(h.s.info(child)).toBeDefined();
    h.advance(1);
    expect(out.value).toBe('ok');
    expect(h.exits.get(child)).toBe('killed');
  });

  it('defaults to 5000 ms for a worker (supervisor docs, child_spec "shutdown")', () => {
    const { h, d } = driven();
    const sup = startSup(d, [{ id: 'stubborn', start: stubbornChild }]);
    const child = pidOf(d, sup, 'stubborn');
    const out = d.start(() => Supervisor.terminateChild(sup, 'stubborn'));
    h.advance(4999);
    expect(out.done).toBe(false);
    h.advance(1);
    expect(out.value).toBe('ok');
    expect(h.exits.get(child)).toBe('killed');
  });

  it('brutal_kill kills at once, even a child that traps exits (supervisor docs, child_spec "shutdown"; supervisor_SUITE, sup_stop_brutal_kill)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log, { shutdown: 'brutal_kill' })]);
    const child = pidOf(d, sup, 'c1');
    log.length = 0;
    expect(d.run(() => Supervisor.terminateChild(sup, 'c1'))).toBe('ok');
    expect(log).toEqual([]); // no terminate: kill cannot be trapped
    expect(h.exits.get(child)).toBe('killed');
  });

  it('infinity waits as long as the child takes to terminate (supervisor docs, child_spec "shutdown"; supervisor_SUITE, sup_stop_infinity)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('slow', log, { shutdown: 'infinity' }, { trap: true, slowTerminate: 60_000 })]);
    const child = pidOf(d, sup, 'slow');
    const out = d.start(() => Supervisor.terminateChild(sup, 'slow'));
    h.advance(59_999);
    expect(out.done).toBe(false);
    h.advance(1);
    expect(out.value).toBe('ok');
    expect(h.exits.get(child)).toBe('shutdown');
  });

  it('when the supervisor itself terminates, each child gets its own shutdown time, in reverse order (supervisor docs, "Supervision Principles"; supervisor_SUITE, sup_stop_timeout)', () => {
    const { h, d } = driven({ trapExit: true }); // the supervisor's exit signal must not take the driver down
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log), { id: 'stubborn', start: stubbornChild, shutdown: 2000 }]);
    const stubborn = pidOf(d, sup, 'stubborn');
    log.length = 0;
    const out = d.start(() => GenServer.stop(sup, 'shutdown'));
    h.advance(1999);
    expect(out.done).toBe(false);
    expect(log).toEqual([]); // c1 waits its turn: the stubborn child, started last, goes first
    h.advance(1);
    expect(out.value).toBe('ok');
    expect(h.exits.get(stubborn)).toBe('killed');
    expect(log).toEqual([['terminate', 'c1', 'shutdown']]);
  });
});

describe('whichChildren and countChildren', () => {
  it('lists id, pid (or undefined) and type of every child, the last started first (supervisor docs, which_children/1; supervisor_SUITE, sup_start_ignore_child)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log), spec('s1', log, { type: 'supervisor' })]);
    d.run(() => Supervisor.startChild(sup, spec('c2', log)));
    d.run(() => Supervisor.terminateChild(sup, 'c1'));
    const list = which(d, sup);
    expect(list.map((c) => [c.id, c.type])).toEqual([['c2', 'worker'], ['s1', 'supervisor'], ['c1', 'worker']]);
    expect(list[2]!.pid).toBeNull();
    expect(h.s.info(list[0]!.pid as Pid)).toBeDefined();
  });

  it('counts specs, active children, supervisors and workers (supervisor docs, count_children/1; supervisor_SUITE, count_children)', () => {
    const { d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log), spec('c2', log), spec('s1', log, { type: 'supervisor' })]);
    d.run(() => Supervisor.terminateChild(sup, 'c2'));
    expect(d.run(() => Supervisor.countChildren(sup))).toEqual({ specs: 3, active: 2, supervisors: 1, workers: 2 });
  });
});

describe('startChild', () => {
  it('starts and adds a child, which then stops first, being the last started (supervisor docs, start_child/2)', () => {
    const { d } = driven({ trapExit: true }); // the supervisor's exit signal must not take the driver down
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'));
    const r = d.run(() => Supervisor.startChild(sup, spec('c2', log)));
    expect(pidOf(d, sup, 'c2')).toBe(okPid(r));
    log.length = 0;
    d.run(() => GenServer.stop(sup, 'shutdown'));
    expect(log).toEqual([['terminate', 'c2', 'shutdown'], ['terminate', 'c1', 'shutdown']]);
  });

  it('returns {error, {already_started, Pid}} for a running id and {error, already_present} for a stopped one (supervisor docs, start_child/2; supervisor_SUITE, child_adm)', () => {
    const { d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'));
    const c1 = pidOf(d, sup, 'c1');
    log.length = 0;
    expect(d.run(() => Supervisor.startChild(sup, spec('c1', log)))).toEqual(['error', { already_started: c1 }]);
    d.run(() => Supervisor.terminateChild(sup, 'c1'));
    expect(d.run(() => Supervisor.startChild(sup, spec('c1', log)))).toEqual(['error', 'already_present']);
    expect(log.filter((e) => e[0] === 'start')).toEqual([]);
  });

  it('returns the error of a failing start and forgets the spec (supervisor docs, start_child/2)', () => {
    const { d } = driven();
    const sup = startSup(d, []);
    expect(d.run(() => Supervisor.startChild(sup, { id: 'bad', start: () => ['error', 'nope'] }))).toEqual(['error', 'nope']);
    expect(which(d, sup)).toEqual([]);
  });

  it('rejects an invalid spec with an error value and keeps running (supervisor.erl handle_call start_child; supervisor_SUITE, child_specs)', () => {
    const { h, d } = driven();
    const sup = startSup(d, []);
    expect(d.run(() => Supervisor.startChild(sup, { id: 'x', start: () => 'ignore', restart: 'sometimes' as never }))).toEqual([
      'error', { invalid_restart_type: 'sometimes' },
    ]);
    expect(h.s.info(sup)).toBeDefined();
  });

  it('answers {ok, undefined} for a start that returns ignore, keeping the spec with no pid unless the child is temporary (supervisor docs, start_child/2: "{ok, undefined}"; supervisor_SUITE, sup_start_ignore_temporary_child_start_child)', () => {
    const { d } = driven();
    const sup = startSup(d, []);
    expect(d.run(() => Supervisor.startChild(sup, { id: 't', start: () => 'ignore', restart: 'temporary' }))).toEqual(['ok', null]);
    expect(d.run(() => Supervisor.startChild(sup, { id: 'p', start: () => 'ignore' }))).toEqual(['ok', null]);
    expect(which(d, sup)).toEqual([{ id: 'p', pid: null, type: 'worker' }]);
  });

  it('answers {error, Term} with the term itself when a start returns something else (supervisor.erl do_start_child_i: "What -> {error, What}")', () => {
    const { d } = driven();
    const sup = startSup(d, []);
    expect(d.run(() => Supervisor.startChild(sup, { id: 'odd', start: () => 'what' as never }))).toEqual(['error', 'what']);
    expect(d.run(() => Supervisor.startChild(sup, { id: 'odd', start: () => ({ ok: 1 }) as never }))).toEqual(['error', { ok: 1 }]);
    expect(which(d, sup)).toEqual([]);
  });
});

describe('terminateChild', () => {
  it('terminates the child and keeps its spec; the supervisor does not restart it nor count it (supervisor docs, terminate_child/2; supervisor_SUITE, child_adm)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'));
    const child = pidOf(d, sup, 'c1');
    expect(d.run(() => Supervisor.terminateChild(sup, 'c1'))).toBe('ok');
    expect(h.exits.get(child)).toBe('shutdown');
    expect(which(d, sup)).toEqual([{ id: 'c1', pid: null, type: 'worker' }]);
    expect(report(h, sup).restartsInWindow).toBe(0);
    expect(d.run(() => Supervisor.terminateChild(sup, 'c1'))).toBe('ok'); // already stopped: still ok
    expect(d.run(() => Supervisor.terminateChild(sup, 'nope'))).toEqual(['error', 'not_found']);
  });

  it('forgets a temporary child once terminated (supervisor docs, terminate_child/2)', () => {
    const { d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('t', log, { restart: 'temporary' })]);
    expect(d.run(() => Supervisor.terminateChild(sup, 't'))).toBe('ok');
    expect(which(d, sup)).toEqual([]);
  });
});

describe('restartChild', () => {
  it('restarts a stopped child; {error, running} when it runs, {error, not_found} when unknown (supervisor docs, restart_child/2; supervisor_SUITE, child_adm)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'));
    expect(d.run(() => Supervisor.restartChild(sup, 'c1'))).toEqual(['error', 'running']);
    d.run(() => Supervisor.terminateChild(sup, 'c1'));
    const r = d.run(() => Supervisor.restartChild(sup, 'c1'));
    expect(pidOf(d, sup, 'c1')).toBe(okPid(r));
    expect(d.run(() => Supervisor.restartChild(sup, 'nope'))).toEqual(['error', 'not_found']);
    expect(report(h, sup).restartsInWindow).toBe(0); // an explicit restart is not counted
  });

  it('answers {ok, undefined} when the restarted start returns ignore, and keeps the spec with no pid (supervisor docs, restart_child/2: "{ok, undefined}")', () => {
    const { d } = driven();
    let ignore = false;
    const sup = startSup(d, [{ id: 'c1', start: () => (ignore ? 'ignore' : GenServer.startLink(worker('c1', []), null)) }]);
    d.run(() => Supervisor.terminateChild(sup, 'c1'));
    ignore = true;
    expect(d.run(() => Supervisor.restartChild(sup, 'c1'))).toEqual(['ok', null]);
    expect(which(d, sup)).toEqual([{ id: 'c1', pid: null, type: 'worker' }]);
  });
});

describe('deleteChild', () => {
  it('deletes a stopped child\'s spec; {error, running} when it runs, {error, not_found} when unknown (supervisor docs, delete_child/2; supervisor_SUITE, child_adm)', () => {
    const { d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2'));
    expect(d.run(() => Supervisor.deleteChild(sup, 'c1'))).toEqual(['error', 'running']);
    d.run(() => Supervisor.terminateChild(sup, 'c1'));
    expect(d.run(() => Supervisor.deleteChild(sup, 'c1'))).toBe('ok');
    expect(which(d, sup).map((c) => c.id)).toEqual(['c2']);
    expect(d.run(() => Supervisor.deleteChild(sup, 'c1'))).toEqual(['error', 'not_found']);
  });
});

describe('placement (ChildSpec.scheduler)', () => {
  type PlaceCall = { body: unknown; scheduler: unknown; link: unknown };

  /** A scheduler whose `place` records each placed spawn and then spawns it here (as a node does for its own index). */
  function placing(): { h: H; calls: PlaceCall[] } {
    const calls: PlaceCall[] = [];
    const h = harness({ place: (body, _args, options) => (calls.push({ body, scheduler: options.scheduler, link: options.link }), null) });
    return { h, calls };
  }

  it('spawns a [module, args] child with the spec\'s scheduler, linked, at start and again at each restart (childSpec.ts; spawn option scheduler)', () => {
    const { h, calls } = placing();
    const log: Log = [];
    GenServer.define('test.sup.placed', worker('placed', log));
    const d = driver(h);
    const sup = startSup(d, [
      { id: 'placed', start: ['test.sup.placed', [null]], scheduler: 3 },
      { id: 'here', start: ['test.sup.placed', [null]] },
    ]);
    expect(calls).toEqual([{ body: 'test.sup.placed', scheduler: 3, link: true }]);
    const first = pidOf(d, sup, 'placed');
    kill(h, first);
    expect(pidOf(d, sup, 'placed')).not.toBe(first);
    expect(calls).toEqual([
      { body: 'test.sup.placed', scheduler: 3, link: true },
      { body: 'test.sup.placed', scheduler: 3, link: true },
    ]);
  });

  it("places a child added with startChild, and only the spawn of the child itself: the child's own spawns stay unplaced (childSpec.ts)", () => {
    const { h, calls } = placing();
    const log: Log = [];
    GenServer.define('test.sup.placedLater', worker('later', log));
    Supervisor.define('test.sup.placedInner', { init: () => ['ok', [{ strategy: 'one_for_one' }, [{ id: 'inner', start: ['test.sup.placedLater', [null]] }]]] });
    const d = driver(h);
    const sup = startSup(d, []);
    okPid(d.run(() => Supervisor.startChild(sup, { id: 'sub', start: ['test.sup.placedInner', [null]], type: 'supervisor', scheduler: 'least_loaded' })));
    expect(calls).toEqual([{ body: 'test.sup.placedInner', scheduler: 'least_loaded', link: true }]);
  });

  it('fails startChild with {invalid_scheduler, X} for a bad scheduler, starting nothing (supervisor docs, start_child/2: {error, Reason} for a bad spec)', () => {
    const { h, calls } = placing();
    const d = driver(h);
    const sup = startSup(d, []);
    expect(d.run(() => Supervisor.startChild(sup, { id: 'bad', start: ['mod', []], scheduler: -1 }))).toEqual(['error', { invalid_scheduler: -1 }]);
    expect(calls).toEqual([]);
    expect(which(d, sup)).toEqual([]);
  });
});

describe('report for the inspector', () => {
  it('publishes flags, the restarts in the current window and, per child, restarts, last exit reason and last restart time (runtime/core info.ts, SupervisorReport)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log), spec('c2', log, { restart: 'transient', type: 'supervisor' })], {
      strategy: 'one_for_all', intensity: 4, period: 10,
    });
    h.advance(1234);
    kill(h, pidOf(d, sup, 'c1'));
    const r = report(h, sup);
    expect(r).toMatchObject({ strategy: 'one_for_all', intensity: 4, period: 10, restartsInWindow: 1 });
    expect(r.children).toEqual([
      { id: 'c1', pid: pidOf(d, sup, 'c1'), restart: 'permanent', type: 'worker', restarts: 1, lastExitReason: 'killed', lastRestartAt: 1234 },
      { id: 'c2', pid: pidOf(d, sup, 'c2'), restart: 'transient', type: 'supervisor', restarts: 1, lastExitReason: 'shutdown', lastRestartAt: 1234 },
    ]);
    h.advance(10_001);
    expect(report(h, sup).restartsInWindow).toBe(0);
    expect(h.s.procs.get(sup)!.ext!.reportState!()).toEqual(report(h, sup)); // formatStatus shows the same
  });

  it("emits a 'restart' event for each child it restarts, with the old and new pid and the reason (runtime/core info.ts, RuntimeEvent)", () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1', 'c2'), { strategy: 'rest_for_one' });
    const before = pids(d, sup);
    kill(h, before.c1 as Pid);
    const after = pids(d, sup);
    expect(eventsOf(h, 'restart').map(({ at: _at, ...e }) => e)).toEqual([
      { type: 'restart', supervisor: sup, childId: 'c1', oldPid: before.c1, newPid: after.c1, reason: 'killed', count: 1 },
      { type: 'restart', supervisor: sup, childId: 'c2', oldPid: before.c2, newPid: after.c2, reason: 'shutdown', count: 1 },
    ]);
  });

  it("emits an 'intensity' event when it gives up, before it exits with shutdown (runtime/core info.ts, RuntimeEvent)", () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'), { intensity: 1, period: 3 });
    kill(h, pidOf(d, sup, 'c1'));
    kill(h, pidOf(d, sup, 'c1'));
    const i = h.events.findIndex((e) => e.type === 'intensity');
    expect(h.events[i]).toMatchObject({ type: 'intensity', supervisor: sup, restarts: 2, intensity: 1, period: 3, childId: 'c1', reason: 'killed' });
    const exitAt = h.events.findIndex((e) => e.type === 'exit' && e.pid === sup);
    expect(exitAt).toBeGreaterThan(i);
    expect(h.events[exitAt]).toMatchObject({ reason: 'shutdown' });
  });
});

describe('auto_shutdown and significant children (supervisor docs, "Automatic Shutdown", OTP 24+; Elixir Supervisor, :auto_shutdown)', () => {
  /** A child that stops itself with `reason`, as a significant child ends "by itself". */
  function stopItself(d: Driver, pid: Pid, reason: unknown): void {
    d.run(() => GenServer.cast(pid, { stop: reason }));
  }

  it('rejects a bad auto_shutdown flag with {invalid_auto_shutdown, What} (supervisor.erl check_flags, validAutoShutdown)', () => {
    const { d } = driven({ trapExit: true });
    expect(d.run(() => Supervisor.startLink([], { autoShutdown: 'sometimes' as never }))).toEqual([
      'error', { supervisor_data: { invalid_auto_shutdown: 'sometimes' } },
    ]);
  });

  it('rejects a significant child under auto_shutdown never, a significant permanent child, and a non-boolean significant (supervisor.erl check_childspec, validSignificant)', () => {
    const { d } = driven({ trapExit: true });
    const log: Log = [];
    expect(d.run(() => Supervisor.startLink([spec('c1', log, { restart: 'transient', significant: true })]))).toEqual([
      'error', { start_spec: { bad_combination: [['auto_shutdown', 'never'], ['significant', true]] } },
    ]);
    expect(d.run(() => Supervisor.startLink([spec('c1', log, { significant: true })], { autoShutdown: 'any_significant' }))).toEqual([
      'error', { start_spec: { bad_combination: [['restart', 'permanent'], ['significant', true]] } },
    ]);
    expect(d.run(() => Supervisor.startLink([spec('c1', log, { significant: 'yes' as never })], { autoShutdown: 'any_significant' }))).toEqual([
      'error', { start_spec: { invalid_significant: 'yes' } },
    ]);
    expect(log).toEqual([]);
    // The same checks answer startChild, and the supervisor keeps running.
    const sup = startSup(d, []);
    expect(d.run(() => Supervisor.startChild(sup, spec('c2', log, { restart: 'temporary', significant: true })))).toEqual([
      'error', { bad_combination: [['auto_shutdown', 'never'], ['significant', true]] },
    ]);
    expect(which(d, sup)).toEqual([]);
  });

  it('any_significant: a significant transient child that exits normally shuts the supervisor down, its other children first (supervisor docs, auto_shutdown "any_significant")', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log), spec('sig', log, { restart: 'transient', significant: true }), spec('c3', log)], { autoShutdown: 'any_significant' });
    const sig = pidOf(d, sup, 'sig');
    log.length = 0;
    stopItself(d, sig, 'normal');
    expect(h.exits.get(sup)).toBe('shutdown');
    expect(log).toEqual([['terminate', 'sig', 'normal'], ['terminate', 'c3', 'shutdown'], ['terminate', 'c1', 'shutdown']]);
  });

  it('any_significant: a significant transient child that crashes is restarted, and the supervisor goes on (supervisor.erl do_restart: transient, abnormal)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, [spec('sig', log, { restart: 'transient', significant: true })], { autoShutdown: 'any_significant' });
    const old = pidOf(d, sup, 'sig');
    kill(h, old);
    expect(h.s.procs.has(sup)).toBe(true);
    expect(pidOf(d, sup, 'sig')).not.toBe(old);
  });

  it('any_significant: a temporary child that is not significant ends without stopping the supervisor (supervisor.erl do_auto_shutdown: "not ?is_significant")', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, [spec('t', log, { restart: 'temporary' }), spec('sig', log, { restart: 'temporary', significant: true })], { autoShutdown: 'any_significant' });
    kill(h, pidOf(d, sup, 't'));
    expect(h.s.procs.has(sup)).toBe(true);
    expect(which(d, sup).map((c) => c.id)).toEqual(['sig']);
  });

  it('all_significant: the supervisor shuts down only when the last running significant child has ended (supervisor docs, auto_shutdown "all_significant")', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, [
      spec('a', log, { restart: 'temporary', significant: true }),
      spec('b', log, { restart: 'temporary', significant: true }),
      spec('other', log),
    ], { autoShutdown: 'all_significant' });
    kill(h, pidOf(d, sup, 'a'));
    expect(h.s.procs.has(sup)).toBe(true);
    kill(h, pidOf(d, sup, 'b'));
    expect(h.exits.get(sup)).toBe('shutdown');
    expect(log.at(-1)).toEqual(['terminate', 'other', 'shutdown']);
  });

  it('a significant child that the supervisor terminates does not set it off (supervisor docs, "Automatic Shutdown": only children that terminate by themselves)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const sup = startSup(d, [spec('sig', log, { restart: 'transient', significant: true })], { autoShutdown: 'any_significant' });
    expect(d.run(() => Supervisor.terminateChild(sup, 'sig'))).toBe('ok');
    expect(h.s.procs.has(sup)).toBe(true);
  });
});

describe('error reports (supervisor.erl ?report_error: errorContext start_error / shutdown_error, with the offender)', () => {
  it('reports start_error naming the child that failed to start when the supervisor starts (supervisor.erl start_children/2)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    d.run(() => Supervisor.startLink([spec('c1', log), { id: 'c2', start: () => ['error', 'no_db'] }]));
    expect(eventsOf(h, 'supervisor_report')).toMatchObject([{ context: 'start_error', childId: 'c2', reason: 'no_db', pid: null }]);
  });

  it('reports start_error for each failed restart (supervisor.erl restart/2)', () => {
    const { h, d } = driven();
    let fail = false;
    const sup = startSup(d, [{ id: 'flaky', start: () => (fail ? ['error', 'still_down'] : GenServer.startLink(worker('flaky', []), null)) }], { intensity: 10 });
    fail = true;
    kill(h, pidOf(d, sup, 'flaky'));
    const reports = eventsOf(h, 'supervisor_report');
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports.every((r) => r.context === 'start_error' && r.childId === 'flaky' && r.reason === 'still_down' && r.supervisor === sup)).toBe(true);
  });

  it('reports shutdown_error with reason killed when a child outlives its shutdown time, naming it and its pid (supervisor.erl do_terminate/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, [spec('c1', log), { id: 'stubborn', start: stubbornChild, shutdown: 10 }]);
    const stubborn = pidOf(d, sup, 'stubborn');
    const stopping = d.start(() => Supervisor.terminateChild(sup, 'stubborn'));
    h.advance(10);
    expect(stopping).toEqual({ done: true, value: 'ok' });
    d.run(() => Supervisor.terminateChild(sup, 'c1')); // a clean shutdown: no report
    expect(eventsOf(h, 'supervisor_report')).toEqual([
      { type: 'supervisor_report', at: 10, supervisor: sup, context: 'shutdown_error', reason: 'killed', childId: 'stubborn', pid: stubborn },
    ]);
  });
});

describe('the report the inspector reads', () => {
  it('is a function of the time, read from outside any slice with no scheduler set (report(state, now))', () => {
    const { h, d } = driven();
    const log: Log = [];
    const sup = startSup(d, specs(log, 'c1'), { intensity: 5, period: 2 });
    kill(h, pidOf(d, sup, 'c1'));
    setDefaultScheduler(null);
    expect(supervisorReport(h.s.procs.get(sup)!, h.s)).toMatchObject({ intensity: 5, period: 2, restartsInWindow: 1, children: [{ id: 'c1', restarts: 1 }] });
    h.clock.advance(2001);
    expect(supervisorReport(h.s.procs.get(sup)!, h.s)!.restartsInWindow).toBe(0);
  });
});
