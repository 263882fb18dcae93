/**
 * Task.Supervisor against Elixir's rules. Each `it` names the rule and where it is stated:
 * Elixir's Task.Supervisor docs (https://hexdocs.pm/elixir/Task.Supervisor.html) or its source,
 * lib/elixir/lib/task/supervisor.ex.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Pid, SUPERVISOR_REPORT, type SupervisorReport, receive, setDefaultScheduler, sleep, trapExit } from '../../../runtime/core/index.ts';
import { GenServer, Task, TaskSupervisor } from '../../../runtime/behaviours/index.ts';
import type { TaskRecord } from '../../../runtime/behaviours/index.ts';
import { driven, okPid } from './helpers.ts';
import type { Proc } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function world(options: TaskSupervisor.TaskSupervisorOptions = {}) {
  const { h, d } = driven();
  const sup = okPid(d.run(() => TaskSupervisor.startLink(options)));
  return { h, d, sup };
}

function after<T>(ms: number, value: T): () => Generator<ReturnType<typeof sleep>, T, unknown> {
  return function* () {
    yield sleep(ms);
    return value;
  };
}

describe('asyncNolink', () => {
  it('runs the task as a child of the supervisor, monitored by the caller but not linked to it (async_nolink/3)', () => {
    const { h, d, sup } = world();
    const task = d.run(function* () {
      const t = yield* TaskSupervisor.asyncNolink(sup, after(100, 'v'));
      const info = h.s.info(t.pid)!;
      expect(info.parent).toBe(sup);
      expect(info.links).toEqual([sup]);
      expect(info.monitoredBy).toEqual([d.pid]);
      return t;
    });
    expect(task.owner).toBe(d.pid);
    const awaiting = d.start(() => Task.await(task));
    h.advance(100);
    expect(awaiting).toEqual({ done: true, value: 'v' });
  });

  it("a crashing task leaves the caller running; yield returns ['exit', reason] and await exits with it (async_nolink/3)", () => {
    const { h, d, sup } = world();
    const boom = () => {
      throw new Error('task crashed');
    };
    const a = d.run(() => TaskSupervisor.asyncNolink(sup, boom));
    const b = d.run(() => TaskSupervisor.asyncNolink(sup, boom));
    h.run();
    expect(d.alive()).toBe(true);
    expect(d.run(() => Task.yield(a, 0))).toMatchObject(['exit', { error: { message: 'task crashed' } }]);
    expect(d.exitOf(() => Task.await(b))).toMatchObject({ error: { message: 'task crashed' } });
    expect(h.s.info(sup)).toBeDefined();
  });

  it('delivers [ref, result] and then DOWN to a GenServer that started it, in handleInfo (async_nolink/3, "Compatibility with OTP behaviours")', () => {
    const { d, sup } = world();
    const seen: unknown[] = [];
    const server = okPid(d.run(() => GenServer.startLink<TaskRecord<number> | null>({
      init: () => ['ok', null],
      *handleCall(_request: unknown, _from, _state) {
        const task = yield* TaskSupervisor.asyncNolink(sup, () => 42);
        return ['reply', 'started', task];
      },
      handleInfo(message: unknown, task) {
        if (Array.isArray(message) && message[0] === task!.ref) seen.push(['result', message[1]]);
        else if ((message as { type?: string }).type === 'DOWN') seen.push(['down', (message as { reason: unknown }).reason]);
        return ['noreply', task];
      },
    })));
    expect(d.run(() => GenServer.call(server, 'go'))).toBe('started');
    expect(seen).toEqual([['result', 42], ['down', 'normal']]);
  });
});

describe('async', () => {
  it('links the task to the caller as well, so its crash takes the caller down (async/3)', () => {
    const { h, d, sup } = world();
    const task = d.run(function* () {
      const t = yield* TaskSupervisor.async(sup, after(10, 0));
      expect(h.s.info(t.pid)!.links.sort()).toEqual([d.pid, sup].sort());
      return t;
    });
    h.exit(task.pid, 'boom');
    h.run();
    expect(h.exits.get(d.pid)).toBe('boom');
    expect(h.s.info(sup)).toBeUndefined(); // it was linked to the driver
  });

  it('throws when the supervisor has maxChildren tasks, as Elixir raises (async/3: "Raises an error if supervisor has reached the maximum number of children")', () => {
    const { d, sup } = world({ maxChildren: 1 });
    d.run(() => TaskSupervisor.asyncNolink(sup, after(100, 0)));
    // The driver hands what a job throws to the test; uncaught in a process, it would crash it.
    expect(() => d.start(() => TaskSupervisor.asyncNolink(sup, after(100, 0)))).toThrow(/\bmaximum number of tasks\b.*\bmaxChildren\b/);
  });
});

describe('startChild', () => {
  it("starts a fire-and-forget task linked only to the supervisor, returning ['ok', pid] (start_child/3)", () => {
    const { h, d, sup } = world();
    const seen: Pid[] = [];
    const pid = okPid(d.run(function* () {
      const r = yield* TaskSupervisor.startChild(sup, function* (): Proc {
        yield sleep(50);
        seen.push(h.s.current!.pid);
      });
      expect(h.s.info(okPid(r))!.links).toEqual([sup]);
      return r;
    }));
    expect(d.run(() => TaskSupervisor.children(sup))).toEqual([pid]);
    h.advance(50);
    expect(seen).toEqual([pid]);
    expect(d.run(() => TaskSupervisor.children(sup))).toEqual([]);
    expect(d.mailbox()).toEqual([]);
  });

  it("does not restart a temporary task, but restarts one started with restart: 'permanent' (start_child/3, :restart)", () => {
    const { h, d, sup } = world({ maxRestarts: 5 });
    let runs = 0;
    const crashOnce = () => {
      runs++;
      if (runs === 1) throw new Error('first run fails');
      return receive(() => false);
    };
    okPid(d.run(() => TaskSupervisor.startChild(sup, () => {
      throw new Error('temporary');
    })));
    h.run();
    expect(d.run(() => TaskSupervisor.children(sup))).toEqual([]);
    const first = okPid(d.run(() => TaskSupervisor.startChild(sup, function* (): Proc {
      yield crashOnce();
    }, { restart: 'permanent' })));
    h.run();
    const [second] = d.run(() => TaskSupervisor.children(sup));
    expect(runs).toBe(2);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it("answers ['error', 'max_children'] when full (DynamicSupervisor.start_child/2)", () => {
    const { d, sup } = world({ maxChildren: 1 });
    okPid(d.run(() => TaskSupervisor.startChild(sup, after(100, 0))));
    expect(d.run(() => TaskSupervisor.startChild(sup, after(100, 0)))).toEqual(['error', 'max_children']);
  });

  it('terminateChild stops a task; stopping the supervisor stops them all (terminate_child/2; DynamicSupervisor docs)', () => {
    const { h, d, sup } = world();
    const a = okPid(d.run(() => TaskSupervisor.startChild(sup, after(1000, 0))));
    const b = okPid(d.run(() => TaskSupervisor.startChild(sup, function* (): Proc {
      trapExit(true);
      yield receive(() => false);
    }, { shutdown: 200 })));
    const c = okPid(d.run(() => TaskSupervisor.startChild(sup, after(1000, 0))));
    expect(d.run(() => TaskSupervisor.terminateChild(sup, a))).toBe('ok');
    expect(h.exits.get(a)).toBe('shutdown');
    const stopping = d.start(() => GenServer.stop(sup));
    expect(h.exits.get(c)).toBe('shutdown');
    h.advance(200);
    expect(h.exits.get(b)).toBe('killed');
    expect(stopping).toEqual({ done: true, value: 'ok' });
  });
});

describe('inspection', () => {
  it('shows as TaskSupervisor and publishes a supervisor report of its tasks', () => {
    const { h, d, sup } = world();
    const pid = okPid(d.run(() => TaskSupervisor.startChild(sup, after(100, 0))));
    expect(h.s.info(sup)!.behaviour).toBe('TaskSupervisor');
    const report = (h.s.procs.get(sup)!.ext!.dict!.get(SUPERVISOR_REPORT) as (now: number) => SupervisorReport)(h.s.clock.now());
    expect(report.strategy).toBe('one_for_one');
    expect(report.children).toMatchObject([{ pid, restart: 'temporary', type: 'worker' }]);
  });
});
