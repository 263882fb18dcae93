/**
 * The process API, named as Erlang's BIFs are: called from inside a process, they act on the
 * calling process and the scheduler running it. Called from outside any process (a test, the
 * host page), the ones that need no caller act on the default scheduler as the host.
 */
import { currentScheduler } from './context.ts';
import { badarg } from './errors.ts';
import type { Pid, Ref } from './pid.ts';
import { Flag, type Body, type Process } from './Process.ts';
import type { Wait } from './receive.ts';
import { describe } from './describe.ts';
import { NO_ARGS, type Scheduler, type SpawnOptions } from './Scheduler.ts';
import { ProcessExit } from './signals.ts';
import type { ProcessInfo } from './info.ts';
import type { TimerRef } from './TimerHeap.ts';

/** The calling process's pid. */
export function self(): Pid {
  return currentScheduler().self().pid;
}

/** spawn/1,3: starts a process running `body(...args)`, or the module registered as `body`. */
export function spawn(body: Body | string, args: readonly unknown[] = NO_ARGS, options?: SpawnOptions): Pid {
  return currentScheduler().spawn(body, args, options);
}

/** spawn_link: spawns and links in one step, so the new process cannot die unlinked. */
export function spawnLink(body: Body | string, args: readonly unknown[] = NO_ARGS, options?: SpawnOptions): Pid {
  const s = currentScheduler();
  s.self();
  return s.spawn(body, args, { ...options, link: true });
}

/** spawn_monitor: spawns and monitors in one step. */
export function spawnMonitor(body: Body | string, args: readonly unknown[] = NO_ARGS, options?: SpawnOptions): [Pid, Ref] {
  const s = currentScheduler();
  const me = s.self();
  const pid = s.spawn(body, args, options);
  return [pid, s.monitor(me, pid)];
}

/** `Dest ! Msg`. Never blocks; a dead pid drops it; an unregistered name throws `badarg`. */
export function send(to: Pid | string, message: unknown): void {
  currentScheduler().send(to, message);
}

export function link(pid: Pid): true {
  const s = currentScheduler();
  s.link(s.self(), pid);
  s.checkSelf();
  return true;
}

export function unlink(pid: Pid): true {
  const s = currentScheduler();
  s.unlink(s.self(), pid);
  return true;
}

export function monitor(target: Pid | string): Ref {
  const s = currentScheduler();
  return s.monitor(s.self(), target);
}

export function demonitor(ref: Ref, options?: { flush?: boolean }): true {
  const s = currentScheduler();
  s.demonitor(s.self(), ref, options?.flush === true);
  return true;
}

/**
 * exit/1 (one argument): ends the calling process with `reason`; like Erlang's, the exception
 * can be caught by the process's own code.
 * exit/2 (two arguments): sends an exit signal with `reason` to `pid`.
 */
export function exit(reason: unknown): never;
export function exit(pid: Pid, reason: unknown): true;
export function exit(...args: unknown[]): true {
  const s = currentScheduler();
  if (args.length === 1) {
    s.self();
    throw new ProcessExit(args[0]);
  }
  if (args.length !== 2) throw badarg(`exit takes (reason) or (pid, reason), got ${args.length} arguments`);
  s.exit(args[0] as Pid, args[1]);
  s.checkSelf();
  return true;
}

/** process_flag(trap_exit, Flag): returns the previous value. */
export function trapExit(on: boolean): boolean {
  const p = currentScheduler().self();
  const was = (p.flags & Flag.TrapExit) !== 0;
  if (on) p.flags |= Flag.TrapExit;
  else p.flags &= ~Flag.TrapExit;
  return was;
}

export function register(name: string, pid?: Pid): true {
  const s = currentScheduler();
  return s.register(name, pid ?? s.self().pid);
}

export function unregister(name: string): true {
  return currentScheduler().unregister(name);
}

export function whereis(name: string): Pid | undefined {
  return currentScheduler().whereis(name);
}

export function registered(): string[] {
  return currentScheduler().names.names();
}

/** proc_lib:set_label/1 (OTP 27): free text the inspector shows beside the pid. */
export function setLabel(label: string): void {
  currentScheduler().self().extension().label = String(label);
}

export function isAlive(pid: Pid): boolean {
  return currentScheduler().procs.get(pid)?.alive ?? false;
}

export function processInfo(pid: Pid): ProcessInfo | undefined {
  return currentScheduler().info(pid);
}

export function sendAfter(ms: number, to: Pid | string, message: unknown): TimerRef {
  return currentScheduler().sendAfter(ms, to, message);
}

export function cancelTimer(ref: TimerRef): number | false {
  return currentScheduler().cancelTimer(ref);
}

/**
 * Handles every message with `handler`, in arrival order, for the rest of the process's life:
 * the loop a behaviour runs. It allocates nothing per message. A handler may return a generator
 * (a blocking call such as a GenServer call): the loop waits until it returns.
 */
export function receiveLoop(handler: (message: unknown) => void | Generator<Wait, unknown, unknown>): void {
  const s = currentScheduler();
  s.self().wait = new LoopWait(s, handler);
}

/** One object per looping process: the handler and the scheduler, `resume` a shared method. */
class LoopWait implements Wait {
  readonly match = null;
  readonly after = -1;
  readonly persistent = true;
  constructor(
    private readonly s: Scheduler,
    private readonly handler: (message: unknown) => void | Generator<Wait, unknown, unknown>,
  ) {}

  resume(p: Process, message: unknown): void {
    const r = this.handler(message);
    if (r !== undefined) this.s.runGenerator(p, r);
  }
}

export { describe };
