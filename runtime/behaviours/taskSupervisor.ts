/**
 * Task.Supervisor: a DynamicSupervisor for tasks, with Elixir's Task.Supervisor semantics.
 * https://hexdocs.pm/elixir/Task.Supervisor.html
 *
 * - Tasks run as children of the supervisor (it is their parent and their link), `temporary`
 *   and with a 5000 ms shutdown unless told otherwise; they stop with the supervisor.
 * - `asyncNolink(sup, fn)` starts a task that the caller monitors but is not linked to: it may
 *   crash without taking the caller down, and `Task.await`/`yield`/`shutdown` work on it as on
 *   any task. `async(sup, fn)` also links it to the caller, as `Task.async` does.
 * - `startChild(sup, fn)` starts a task for its side effects only: nobody is linked to it or
 *   waits for it. It returns `['ok', pid]`, or `['error', 'max_children']`.
 * - `async` and `asyncNolink` on a supervisor that has `maxChildren` tasks throw, as Elixir raises.
 */
import { type Pid, type Wait, currentScheduler, isPid, link as linkTo } from '../core/index.ts';
import type { RestartType, Shutdown } from './childSpec.ts';
import * as DynamicSupervisor from './dynamicSupervisor.ts';
import type { StartResult } from './procLib.ts';
import type { ServerName, ServerRef } from './serverName.ts';
import { type Task, type TaskFn, _taskMain, _watch } from './task.ts';

// --- API ---

export function startLink(options: TaskSupervisorOptions = {}): Generator<Wait, StartResult, unknown> {
  return DynamicSupervisor.startLink({ ...options, behaviour: BEHAVIOUR });
}

/** Starts a task under `sup`, linked to and monitored by the caller (Task.Supervisor.async/3). */
export function async<T>(sup: ServerRef, fn: TaskFn<T>, options: AsyncOptions = {}): Generator<Wait, Task<T>, unknown> {
  return startAsync(sup, fn, true, options);
}

/** Starts a task under `sup`, monitored by the caller but not linked to it (Task.Supervisor.async_nolink/3). */
export function asyncNolink<T>(sup: ServerRef, fn: TaskFn<T>, options: AsyncOptions = {}): Generator<Wait, Task<T>, unknown> {
  return startAsync(sup, fn, false, options);
}

/** Starts a fire-and-forget task under `sup` (Task.Supervisor.start_child/3). */
export function startChild(sup: ServerRef, fn: TaskFn<unknown>, options: StartChildOptions = {}): Generator<Wait, StartResult | ['error', 'max_children'], unknown> {
  const owner = currentScheduler().self().pid;
  return DynamicSupervisor.startChild(sup, {
    start: () => spawnTask(owner, fn, false),
    restart: options.restart ?? 'temporary',
    shutdown: options.shutdown ?? DEFAULT_SHUTDOWN,
  });
}

/** The pids of the running tasks (Task.Supervisor.children/1). */
export function* children(sup: ServerRef): Generator<Wait, Pid[], unknown> {
  const which = yield* DynamicSupervisor.whichChildren(sup);
  return which.filter((c) => isPid(c.pid)).map((c) => c.pid as Pid);
}

export function terminateChild(sup: ServerRef, pid: Pid): Generator<Wait, 'ok' | ['error', 'not_found'], unknown> {
  return DynamicSupervisor.terminateChild(sup, pid);
}

// --- Types ---

export const BEHAVIOUR = 'TaskSupervisor';
export const DEFAULT_SHUTDOWN = 5000;

export interface TaskSupervisorOptions {
  name?: ServerName;
  label?: string;
  maxRestarts?: number;
  maxSeconds?: number;
  maxChildren?: number | 'infinity';
}

export interface AsyncOptions {
  /** How the supervisor stops the task: ms to wait after `shutdown`, or 'brutal_kill'. Default 5000. */
  shutdown?: Shutdown;
}

export interface StartChildOptions extends AsyncOptions {
  restart?: RestartType;
}

// --- Handlers ---

function* startAsync<T>(sup: ServerRef, fn: TaskFn<T>, link: boolean, options: AsyncOptions): Generator<Wait, Task<T>, unknown> {
  const s = currentScheduler();
  const me = s.self();
  const r = yield* DynamicSupervisor.startChild(sup, {
    start: () => spawnTask(me.pid, fn as TaskFn<unknown>, true),
    restart: 'temporary',
    shutdown: options.shutdown ?? DEFAULT_SHUTDOWN,
  });
  if (r === 'ignore' || r[0] !== 'ok') {
    throw new Error(
      `reached the maximum number of tasks for task supervisor ${String(sup)} (${JSON.stringify(r)}): ` +
        'configure it with the maxChildren option of TaskSupervisor.startLink',
    );
  }
  const pid = r[1];
  // The task runs nothing before the go that _watch sends: link and monitor are in place first.
  if (link) linkTo(pid);
  return _watch<T>(s, me, pid);
}

/** Runs in the supervisor: the task is its child, linked to it. */
function spawnTask(owner: Pid, fn: TaskFn<unknown>, watched: boolean): ['ok', Pid] {
  return ['ok', currentScheduler().spawn(_taskMain, [owner, fn, watched], { link: true })];
}
