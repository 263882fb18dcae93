/**
 * Task: a process that runs one function and hands its result to the process that started it
 * (its owner), with Elixir's Task semantics. https://hexdocs.pm/elixir/Task.html
 *
 * - `async(fn)` starts a task linked to the caller and monitored by it, and returns
 *   `{ pid, ref, owner }`. `fn` may be a plain function or a generator function (to block). The
 *   result comes back as the message `[ref, result]` (Elixir's `{ref, result}`) through an
 *   alias: once the owner has stopped waiting for it (await timed out, shutdown, ignore), a late
 *   result is dropped.
 * - `await(task, timeout = 5000)` returns the result. When the time runs out the caller exits
 *   with `timeout` (catchable with try/catch, as with catch in Erlang). A task that crashes
 *   takes its owner down through the link; an owner that traps exits gets the exit from await.
 * - `yield(task, timeout = 5000)` returns `['ok', result]`, `['exit', reason]` when the task
 *   died, or null when the time ran out; the task stays monitored, so it can be yielded again.
 *   `yieldMany(tasks, timeout)` waits for all of them within one time limit and returns
 *   `[task, result]` pairs in the order given.
 * - `shutdown(task, timeout | 'brutal_kill')` unlinks the task and stops it (`shutdown`, then
 *   `kill` when the time runs out), then returns `['ok', result]` if the result arrived
 *   meanwhile, `['exit', reason]` if the task died of something else, or null.
 * - Only the owner may await, yield, ignore or shut down a task; anyone else is badarg.
 */
import {
  type Pid, type Process, type Ref, type Scheduler, type Wait, OrchardError, ProcessExit, TIMEOUT, currentScheduler,
  isDownMessage, receive, isGenerator, demonitor, exit, monitor, unlink,
} from '../core/index.ts';
import { NONE, take } from '../core/mailbox.ts';
import { RefSet } from '../core/RefTable.ts';
import type { ChildSpec } from './childSpec.ts';

// --- API ---

export { awaitTask as await, yieldTask as yield };

/** Starts a task linked to the caller and monitored by it (Task.async/1). */
export function async<T>(fn: TaskFn<T>): Task<T> {
  const s = currentScheduler();
  const me = s.self();
  const pid = s.spawn(_taskMain, [me.pid, fn, true], { link: true });
  return _watch(s, me, pid);
}

/** Waits for the task's result; exits with `timeout` when it takes longer (Task.await/2). */
function* awaitTask<T>(task: Task<T>, timeout: number = DEFAULT_TIMEOUT): Generator<Wait, T, unknown> {
  const s = currentScheduler();
  const me = owned(s, task, 'await');
  const m = yield receive((x: unknown) => isReply(x, task.ref) || (isDownMessage(x) && x.ref === task.ref), { after: ms(timeout) });
  if (m === TIMEOUT) {
    forget(s, me, task.ref);
    throw new ProcessExit('timeout');
  }
  if (isDownMessage(m)) {
    forget(s, me, task.ref);
    throw new ProcessExit(m.reason);
  }
  forget(s, me, task.ref);
  return (m as TaskReply<T>)[1];
}

/** Waits for every task within one time limit and returns their results in order (Task.await_many/2). */
export function* awaitMany<T>(tasks: Array<Task<T>>, timeout: number = DEFAULT_TIMEOUT): Generator<Wait, T[], unknown> {
  const s = currentScheduler();
  const me = s.self();
  for (const t of tasks) owned(s, t, 'awaitMany');
  const pending = new Set(tasks.map((t) => t.ref));
  const results = new Map<Ref, T>();
  const deadline = timeout === Infinity ? Infinity : s.clock.now() + timeout;
  while (pending.size > 0) {
    const m = yield receive((x: unknown) => isReplyFrom(x, pending) || (isDownMessage(x) && pending.has(x.ref)), { after: remaining(s, deadline) });
    if (m === TIMEOUT || isDownMessage(m)) {
      for (const ref of pending) forget(s, me, ref);
      throw new ProcessExit(m === TIMEOUT ? 'timeout' : m.reason);
    }
    const [ref, value] = m as TaskReply<T>;
    forget(s, me, ref);
    pending.delete(ref);
    results.set(ref, value);
  }
  return tasks.map((t) => results.get(t.ref)!);
}

/** The result if it comes within `timeout`, the task's exit, or null; the task stays monitored (Task.yield/2). */
function* yieldTask<T>(task: Task<T>, timeout: number = DEFAULT_TIMEOUT): Generator<Wait, TaskResult<T> | null, unknown> {
  const s = currentScheduler();
  const me = owned(s, task, 'yield');
  const m = yield receive((x: unknown) => isReply(x, task.ref) || (isDownMessage(x) && x.ref === task.ref), { after: ms(timeout) });
  if (m === TIMEOUT) return null;
  forget(s, me, task.ref);
  if (isDownMessage(m)) return ['exit', m.reason];
  return ['ok', (m as TaskReply<T>)[1]];
}

/**
 * Waits for all tasks within one time limit (Task.yield_many/2). Returns `[task, result]` in the
 * order given; the result is null for a task still running, which `onTimeout` may then ignore
 * (`'ignore'`) or kill (`'kill_task'`). With `limit`, returns once that many have answered.
 */
export function* yieldMany<T>(tasks: Array<Task<T>>, options: number | YieldManyOptions = {}): Generator<Wait, Array<[Task<T>, TaskResult<T> | null]>, unknown> {
  const o = typeof options === 'number' ? { timeout: options } : options;
  const s = currentScheduler();
  const me = s.self();
  for (const t of tasks) owned(s, t, 'yieldMany');
  const results = new Map<Ref, TaskResult<T> | null>(tasks.map((t) => [t.ref, null]));
  const pending = new Set(results.keys());
  const deadline = (o.timeout ?? DEFAULT_TIMEOUT) === Infinity ? Infinity : s.clock.now() + (o.timeout ?? DEFAULT_TIMEOUT);
  let left = o.limit ?? pending.size;
  let timedOut = false;
  while (left > 0 && pending.size > 0) {
    const m = yield receive((x: unknown) => isReplyFrom(x, pending) || (isDownMessage(x) && pending.has(x.ref)), { after: remaining(s, deadline) });
    if (m === TIMEOUT) {
      timedOut = true;
      break;
    }
    const ref = isDownMessage(m) ? m.ref : (m as TaskReply<T>)[0];
    forget(s, me, ref);
    pending.delete(ref);
    results.set(ref, isDownMessage(m) ? ['exit', m.reason] : ['ok', (m as TaskReply<T>)[1]]);
    left--;
  }
  const out: Array<[Task<T>, TaskResult<T> | null]> = [];
  for (const t of tasks) {
    let r: TaskResult<T> | null = results.get(t.ref)!;
    if (r === null && timedOut && o.onTimeout === 'kill_task') r = yield* shutdown(t, 'brutal_kill');
    else if (r === null && timedOut && o.onTimeout === 'ignore') r = ignore(t);
    out.push([t, r]);
  }
  return out;
}

/**
 * Leaves the task running, unlinked and unwatched; returns its result or exit if already in,
 * else null (Task.ignore/1).
 */
export function ignore<T>(task: Task<T>): TaskResult<T> | null {
  const s = currentScheduler();
  const me = owned(s, task, 'ignore');
  const m = take(me, (x) => isReply(x, task.ref) || (isDownMessage(x) && x.ref === task.ref));
  if (isDownMessage(m)) {
    forget(s, me, task.ref);
    return ['exit', m.reason];
  }
  unlink(task.pid);
  forget(s, me, task.ref);
  return m === NONE ? null : ['ok', (m as TaskReply<T>)[1]];
}

/**
 * Unlinks and stops the task, then checks for its result (Task.shutdown/2): `['ok', result]` if
 * it arrived meanwhile, `['exit', reason]` if the task died of another reason, else null.
 */
export function* shutdown<T>(task: Task<T>, how: number | 'brutal_kill' = DEFAULT_TIMEOUT): Generator<Wait, TaskResult<T> | null, unknown> {
  const s = currentScheduler();
  const me = owned(s, task, 'shutdown');
  const mon = monitor(task.pid);
  // Unlink and exit in one step: nothing runs between them on this scheduler, so the task
  // cannot be left running unlinked (Elixir spawns an enforcer process for that).
  unlink(task.pid);
  exit(task.pid, how === 'brutal_kill' ? 'kill' : 'shutdown');
  let expected = how === 'brutal_kill' ? 'killed' : 'shutdown';
  const isMon = (x: unknown) => isDownMessage(x) && x.ref === mon;
  let down = yield receive(isMon, { after: how === 'brutal_kill' ? -1 : ms(how) });
  if (down === TIMEOUT) {
    exit(task.pid, 'kill');
    expected = 'shutdown'; // after a kill for the timeout, `killed` is reported as an exit
    down = yield receive(isMon);
  }
  let reason = (down as { reason: unknown }).reason;
  if (reason === 'noproc') {
    // Gone before we asked: its own DOWN, if still queued, says why.
    const own = take(me, (x) => isDownMessage(x) && x.ref === task.ref);
    reason = isDownMessage(own) ? own.reason : 'noproc';
  }
  const reply = take(me, (x) => isReply(x, task.ref));
  forget(s, me, task.ref);
  if (reply !== NONE) return ['ok', (reply as TaskReply<T>)[1]];
  return reason === expected ? null : ['exit', reason];
}

/** Starts a task linked to the caller, for its side effects: nobody awaits it (Task.start_link/1). */
export function startLink(fn: TaskFn<unknown>): ['ok', Pid] {
  const s = currentScheduler();
  s.self();
  return ['ok', s.spawn(_taskMain, [null, fn, false], { link: true })];
}

/** Starts a task without a link (Task.start/1). */
export function start(fn: TaskFn<unknown>): ['ok', Pid] {
  return ['ok', currentScheduler().spawn(_taskMain, [null, fn, false])];
}

/** A child spec running `fn` as a temporary child (Task.child_spec/1). */
export function childSpec(fn: TaskFn<unknown>, overrides: Partial<Omit<ChildSpec, 'start'>> = {}): ChildSpec {
  return { id: BEHAVIOUR, restart: 'temporary', ...overrides, start: () => startLink(fn) };
}

// --- Types ---

export const BEHAVIOUR = 'Task';
export const DEFAULT_TIMEOUT = 5000;

/** Elixir's %Task{}: what the owner needs to await the result. Cloneable. */
export interface Task<T = unknown> {
  readonly pid: Pid;
  /** The monitor's ref, which also tags the result message. */
  readonly ref: Ref;
  readonly owner: Pid;
  /** Type only: what the task returns; never set. */
  readonly __result?: T;
}

/** A task's function: plain, or a generator function that may block (`yield* GenServer.call(…)`). */
export type TaskFn<T> = () => T | Generator<Wait, T, unknown>;

export type TaskResult<T> = ['ok', T] | ['exit', unknown];

/** The message a task sends its owner (Elixir's `{ref, result}`). */
export type TaskReply<T = unknown> = [ref: Ref, result: T];

export interface YieldManyOptions {
  /** Ms to wait for all of them together; default 5000. */
  timeout?: number;
  /** Return once this many have answered. */
  limit?: number;
  /** What to do with the tasks still running when the time is up; default 'nothing'. */
  onTimeout?: 'nothing' | 'ignore' | 'kill_task';
}

interface Go {
  type: '$task_go';
  ref: Ref;
}

// --- The task process ---

/**
 * @internal The body of a task process. A watched task first waits for its owner's go, which
 * brings the ref to answer to: the owner can make that ref (monitor) only after the spawn.
 */
export function* _taskMain(owner: Pid | null, fn: TaskFn<unknown>, watched: boolean): Generator<Wait, void, unknown> {
  const s = currentScheduler();
  s.self().extension().behaviour = BEHAVIOUR;
  let ref: Ref | null = null;
  if (watched) ref = ((yield receive((x: unknown) => (x as Go)?.type === '$task_go')) as Go).ref;
  const r = fn();
  const result = isGenerator(r) ? yield* r : r;
  if (ref !== null && owner !== null) s.sendAlias(owner, ref, [ref, result] satisfies TaskReply);
}

/** @internal The owner's side of a watched task: monitor, an alias for the result, then go. */
export function _watch<T>(s: Scheduler, me: Process, pid: Pid): Task<T> {
  const ref = monitor(pid);
  (me.extension().aliases ??= new RefSet()).add(ref);
  s.send(pid, { type: '$task_go', ref } satisfies Go);
  return { pid, ref, owner: me.pid };
}

// --- Helpers ---

function owned(s: Scheduler, task: Task<unknown>, op: string): Process {
  const me = s.self();
  if (typeof task !== 'object' || task === null || typeof task.ref !== 'string') {
    throw new OrchardError('badarg', `badarg: ${op} needs a task from async, got ${JSON.stringify(task)}`);
  }
  if (task.owner !== me.pid) {
    throw new OrchardError('badarg', `badarg: task ${task.pid} must be queried from its owner ${task.owner}, but ${op} was called from ${me.pid}`);
  }
  return me;
}

/** Stops watching: no DOWN, and a result that comes later is dropped at the alias. */
function forget(s: Scheduler, me: Process, ref: Ref): void {
  demonitor(ref, { flush: true });
  me.ext?.aliases?.delete(ref);
}

function isReply(x: unknown, ref: Ref): boolean {
  return Array.isArray(x) && x.length === 2 && x[0] === ref;
}

function isReplyFrom(x: unknown, refs: Set<Ref>): boolean {
  return Array.isArray(x) && x.length === 2 && refs.has(x[0]);
}

function ms(timeout: number): number {
  return timeout === Infinity ? -1 : timeout;
}

function remaining(s: Scheduler, deadline: number): number {
  return deadline === Infinity ? -1 : Math.max(0, deadline - s.clock.now());
}

