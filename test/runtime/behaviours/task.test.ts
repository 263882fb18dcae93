/**
 * Task against Elixir's rules. Each `it` names the rule and where it is stated: Elixir's Task
 * docs (https://hexdocs.pm/elixir/Task.html) or its source, lib/elixir/lib/task.ex.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Pid, receive, setDefaultScheduler, sleep, trapExit } from '../../../runtime/core/index.ts';
import { Supervisor, Task } from '../../../runtime/behaviours/index.ts';
import type { TaskRecord } from '../../../runtime/behaviours/index.ts';
import { driver, harness, okPid } from './helpers.ts';
import { type Proc, thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function world(options: { trapExit?: boolean } = {}) {
  const h = harness();
  const d = driver(h, options);
  return { h, d };
}

/** A task body that sleeps `ms` and then returns `value`. */
function after<T>(ms: number, value: T): () => Generator<ReturnType<typeof sleep>, T, unknown> {
  return function* () {
    yield sleep(ms);
    return value;
  };
}

/** A task that traps exits and never returns: only `kill` stops it. */
function* stubborn(): Proc {
  trapExit(true);
  yield receive(() => false);
}

describe('async and await', () => {
  it('runs the function in a new process linked to and monitored by the caller, and await returns its result (async/1, await/2)', () => {
    const { h, d } = world();
    const task = d.run(() => {
      const t = Task.async(() => 1 + 1);
      // Looked at before the task has run.
      expect(t.owner).toBe(d.pid);
      expect(h.s.info(t.pid)!.links).toEqual([d.pid]);
      expect(h.s.info(t.pid)!.monitoredBy).toEqual([d.pid]);
      return t;
    });
    expect(d.run(() => Task.await(task))).toBe(2);
    expect(h.exits.get(task.pid)).toBe('normal');
    // Nothing is left behind: no DOWN, no reply.
    expect(d.mailbox()).toEqual([]);
  });

  it('runs a generator function, which may block, and await waits for it (async/1)', () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(after(1000, 'slow')));
    const awaiting = d.start(() => Task.await(task));
    h.advance(999);
    expect(awaiting.done).toBe(false);
    expect(h.s.info(task.pid)!.behaviour).toBe('Task');
    h.advance(1);
    expect(awaiting).toEqual({ done: true, value: 'slow' });
  });

  it('exits the caller with timeout when the time runs out, catchably, and drops the late result (await/2)', () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(after(6000, 'late')));
    const awaiting = d.start(() => Task.await(task));
    h.advance(4999);
    expect(awaiting.done).toBe(false);
    h.advance(1);
    expect(awaiting).toEqual({ done: true, exit: 'timeout' });
    h.advance(1000);
    expect(h.exits.get(task.pid)).toBe('normal');
    expect(d.mailbox()).toEqual([]);
  });

  it('a task that crashes takes its owner down through the link (async/1, "Linking")', () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(() => {
      throw new Error('task failed');
    }));
    h.run();
    expect(h.exits.get(task.pid)).toMatchObject({ error: { message: 'task failed' } });
    expect(h.exits.get(d.pid)).toMatchObject({ error: { message: 'task failed' } });
  });

  it('an owner that traps exits gets the crash from await, as an exit with the task\'s reason (await/2: "the caller process will exit with the same reason")', () => {
    const { d } = world({ trapExit: true });
    const task = d.run(() => Task.async(() => {
      throw new Error('task failed');
    }));
    expect(d.exitOf(() => Task.await(task))).toMatchObject({ error: { message: 'task failed' } });
  });

  it('may be awaited only by its owner; anyone else is badarg (await/2, "must be queried from the owner")', () => {
    const { h, d } = world();
    const other = driver(h);
    const task = d.run(() => Task.async(after(10, 1)));
    let e: Error | null = null;
    other.run(() => {
      e = thrown(() => Task.await(task).next());
    });
    expect(e!.message).toMatch(/\bbadarg\b/);
    expect(e!.message).toContain(task.owner);
    expect(e!.message).toMatch(/must be queried from its owner/);
  });

  it('awaitMany returns the results in the order given, within one time limit (await_many/2)', () => {
    const { h, d } = world();
    const tasks = d.run(() => [Task.async(after(300, 'a')), Task.async(after(100, 'b')), Task.async(() => 'c')]);
    const awaiting = d.start(() => Task.awaitMany(tasks, 1000));
    h.advance(300);
    expect(awaiting).toEqual({ done: true, value: ['a', 'b', 'c'] });
    const slow = d.run(() => [Task.async(after(400, 1)), Task.async(after(700, 2))]);
    const late = d.start(() => Task.awaitMany(slow, 500));
    h.advance(500);
    expect(late).toEqual({ done: true, exit: 'timeout' });
  });
});

describe('yield', () => {
  it("returns ['ok', result], or null when the time runs out, and the task can be yielded again (yield/2)", () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(after(1000, 'done')));
    const first = d.start(() => Task.yield(task, 500));
    h.advance(500);
    expect(first).toEqual({ done: true, value: null });
    const second = d.start(() => Task.yield(task, 1000));
    h.advance(500);
    expect(second).toEqual({ done: true, value: ['ok', 'done'] });
  });

  it("returns ['exit', reason] when the task died (yield/2)", () => {
    const { h, d } = world({ trapExit: true });
    const task: TaskRecord<number> = d.run(() => Task.async(after(100, 1)));
    h.exit(task.pid, 'kill');
    h.run();
    expect(d.run(() => Task.yield(task, 0))).toEqual(['exit', 'killed']);
  });

  it('yieldMany gives all tasks one time limit and returns [task, result] pairs in order (yield_many/2)', () => {
    const { h, d } = world();
    const tasks = d.run(() => [Task.async(after(1000, 'slow')), Task.async(after(100, 'fast')), Task.async(after(300, 'mid'))]);
    const yielding = d.start(() => Task.yieldMany(tasks, 500));
    h.advance(499);
    expect(yielding.done).toBe(false);
    // 500 ms in all, not 500 ms per task.
    h.advance(1);
    expect(yielding).toEqual({ done: true, value: [[tasks[0], null], [tasks[1], ['ok', 'fast']], [tasks[2], ['ok', 'mid']]] });
    expect(h.s.info(tasks[0]!.pid)).toBeDefined();
  });

  it('runs the docs example: ten tasks sleeping 1..10 s, yieldMany for 5 s, then `res || Task.shutdown(task, :brutal_kill)` gives 1 to 5 (yield_many/2 docs example)', () => {
    const { h, d } = world();
    const tasks = d.run(() => Array.from({ length: 10 }, (_, k) => Task.async(after((k + 1) * 1000, k + 1))));
    const out = d.start(function* () {
      const withResults = yield* Task.yieldMany(tasks, { timeout: 5000 });
      const results = [];
      // Shut down the tasks that did not reply nor exit.
      for (const [task, res] of withResults) results.push(res ?? (yield* Task.shutdown(task, 'brutal_kill')));
      return results.flatMap((r) => (r !== null && r[0] === 'ok' ? [r[1]] : []));
    });
    h.advance(5000);
    expect(out).toEqual({ done: true, value: [1, 2, 3, 4, 5] });
    for (const t of tasks.slice(5)) expect(h.exits.get(t.pid)).toBe('killed');
    expect(d.mailbox()).toEqual([]);
    expect(d.alive()).toBe(true);
  });

  it("yieldMany with onTimeout 'kill_task' kills the tasks still running; with limit it returns early (yield_many/2 options)", () => {
    const { h, d } = world();
    const tasks = d.run(() => [Task.async(after(1000, 'slow')), Task.async(after(100, 'fast'))]);
    const yielding = d.start(() => Task.yieldMany(tasks, { timeout: 500, onTimeout: 'kill_task' }));
    h.advance(500);
    expect(yielding.value).toEqual([[tasks[0], null], [tasks[1], ['ok', 'fast']]]);
    expect(h.exits.get(tasks[0]!.pid)).toBe('killed');
    expect(d.alive()).toBe(true);
    const more = d.run(() => [Task.async(after(100, 1)), Task.async(after(200, 2)), Task.async(after(900, 3))]);
    const limited = d.start(() => Task.yieldMany(more, { timeout: 5000, limit: 2 }));
    h.advance(200);
    expect(limited.value).toEqual([[more[0], ['ok', 1]], [more[1], ['ok', 2]], [more[2], null]]);
  });
});

describe('shutdown and ignore', () => {
  it('unlinks and stops a running task and returns null; the owner is unharmed (shutdown/2)', () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(after(1000, 'never')));
    expect(d.run(() => Task.shutdown(task))).toBeNull();
    expect(h.exits.get(task.pid)).toBe('shutdown');
    expect(d.alive()).toBe(true);
    expect(d.mailbox()).toEqual([]);
  });

  it("returns ['ok', result] when the result came in before the shutdown (shutdown/2)", () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(() => 'quick'));
    h.run();
    expect(d.run(() => Task.shutdown(task))).toEqual(['ok', 'quick']);
  });

  it("returns ['exit', reason] for a task that died of something else first (shutdown/2)", () => {
    const { h, d } = world({ trapExit: true });
    const task = d.run(() => Task.async(after(100, 1)));
    h.exit(task.pid, 'boom');
    h.run();
    expect(d.run(() => Task.shutdown(task))).toEqual(['exit', 'boom']);
  });

  it("kills a task that outlives the shutdown time, returning ['exit', 'killed'], and brutal_kill kills at once (shutdown/2)", () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(stubborn));
    const stopping = d.start(() => Task.shutdown(task, 300));
    h.advance(299);
    expect(stopping.done).toBe(false);
    h.advance(1);
    expect(stopping).toEqual({ done: true, value: ['exit', 'killed'] });
    const other = d.run(() => Task.async(stubborn));
    expect(d.run(() => Task.shutdown(other, 'brutal_kill'))).toBeNull();
    expect(h.exits.get(other.pid)).toBe('killed');
  });

  it('ignore leaves the task running, unlinked, and its result is dropped (ignore/1)', () => {
    const { h, d } = world();
    const task = d.run(() => Task.async(after(100, 'unwanted')));
    expect(d.run(() => Task.ignore(task))).toBeNull();
    expect(h.s.info(task.pid)!.links).toEqual([]);
    h.advance(100);
    expect(h.exits.get(task.pid)).toBe('normal');
    expect(d.mailbox()).toEqual([]);
  });
});

describe('start and supervision', () => {
  it("start and startLink run a task nobody awaits and return ['ok', pid] (start/1, start_link/1)", () => {
    const { h, d } = world();
    const seen: string[] = [];
    const [, linked] = d.run(() => Task.startLink(() => void seen.push('linked')));
    const [, free] = d.run(() => Task.start(() => void seen.push('free')));
    h.run();
    expect(seen.sort()).toEqual(['free', 'linked']);
    expect(h.exits.get(linked)).toBe('normal');
    expect(h.exits.get(free as Pid)).toBe('normal');
  });

  it('childSpec makes a temporary child, which is not restarted (Task docs, "Supervised tasks": restart: :temporary)', () => {
    const { h, d } = world();
    let runs = 0;
    const sup = okPid(d.run(() => Supervisor.startLink([Task.childSpec(() => {
      runs++;
      throw new Error('once');
    })])));
    h.run();
    expect(runs).toBe(1);
    expect(d.run(() => Supervisor.whichChildren(sup))).toEqual([]);
  });
});
