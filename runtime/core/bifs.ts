/**
 * The process API, named as Erlang's BIFs are: called from inside a process, they act on the
 * calling process and the scheduler running it. Called from outside any process (a test, the
 * host page), the ones that need no caller act on the default scheduler as the host.
 */
import { currentScheduler } from './context.ts';
import { badarg } from './errors.ts';
import { sendExit } from './exit.ts';
import { link as linkProcess, unlink as unlinkProcess } from './links.ts';
import { demonitor as demonitorProcess, monitor as monitorProcess } from './monitors.ts';
import { messages } from './mailbox.ts';
import { type Pid, type Ref, isPid, isRef } from './pid.ts';
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
  return [pid, monitorProcess(s, me, pid)];
}

/** `Dest ! Msg`. Never blocks; a dead pid drops it; an unregistered name throws `badarg`. */
export function send(to: Pid | string, message: unknown): void {
  currentScheduler().send(to, message);
}

/**
 * link/1: links the caller and `pid` both ways. To a local process that is gone: a `noproc` error
 * (OrchardError), or `{'EXIT', Pid, noproc}` for a caller that traps exits.
 */
export function link(pid: Pid): true {
  const s = currentScheduler();
  linkProcess(s, s.self(), pid);
  return true;
}

/** unlink/1: removes the link both ways; no exit signal from it arrives afterwards. */
export function unlink(pid: Pid): true {
  const s = currentScheduler();
  unlinkProcess(s, s.self(), pid);
  return true;
}

/** monitor(process, Pid | Name): one DOWN message when the target exits, at once with `noproc` if it is gone. */
export function monitor(target: Pid | string): Ref {
  const s = currentScheduler();
  return monitorProcess(s, s.self(), target);
}

/** demonitor/2's options, as OTP names them: `flush` and `info`. */
export interface DemonitorOptions {
  /** Also removes the monitor's DOWN message if it is already in the mailbox. */
  flush?: boolean;
  /** Return whether the monitor was still active instead of always `true`. */
  info?: boolean;
}

/**
 * demonitor/1,2: after it, no DOWN for `ref` arrives. Returns `true`; with `{ info: true }`,
 * whether the monitor was still active: `false` means its DOWN was already delivered (or, with
 * `flush`, was removed from the mailbox), or `ref` was no monitor of the caller.
 */
export function demonitor(ref: Ref, options: DemonitorOptions & { info: true }): boolean;
export function demonitor(ref: Ref, options?: DemonitorOptions): boolean;
export function demonitor(ref: Ref, options?: DemonitorOptions): boolean {
  const s = currentScheduler();
  const me = s.self();
  if (!isRef(ref)) throw badarg(`demonitor: ${describe(ref)} is not a monitor reference`);
  let flush = false;
  let info = false;
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null) throw badarg(`demonitor: options must be an object, got ${describe(options)}`);
    for (const key of Object.keys(options)) {
      const v = (options as Record<string, unknown>)[key];
      if ((key !== 'flush' && key !== 'info') || (v !== undefined && typeof v !== 'boolean')) {
        throw badarg(`demonitor: unknown option ${describe(key)}: ${describe(v)} (flush and info take a boolean)`);
      }
    }
    flush = options.flush === true;
    info = options.info === true;
  }
  const active = demonitorProcess(s, me, ref, flush);
  return info ? active : true;
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
  sendExit(s, args[0] as Pid, args[1], s.current?.pid ?? s.hostPid);
  // The signal may have ended the caller: to itself, or back over a link from the one it killed.
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

/** The items `processInfo(pid, item)` reads, named as process_info/2's are. */
export type ProcessInfoItem = 'messages' | 'message_queue_len';

/**
 * process_info/1,2: what the scheduler knows of a local process, or `undefined` when it is not
 * alive (or runs on another scheduler). With an item, only that: `'messages'` is the mailbox in
 * order, as a new array (the process's own queue is never handed out); `'message_queue_len'`
 * its length.
 */
export function processInfo(pid: Pid): ProcessInfo | undefined;
export function processInfo(pid: Pid, item: 'messages'): unknown[] | undefined;
export function processInfo(pid: Pid, item: 'message_queue_len'): number | undefined;
export function processInfo(pid: Pid, item?: ProcessInfoItem): ProcessInfo | unknown[] | number | undefined {
  const s = currentScheduler();
  if (item === undefined) return s.info(pid);
  if (item !== 'messages' && item !== 'message_queue_len') {
    throw badarg(`processInfo: ${describe(item)} is not an item it reads ('messages', 'message_queue_len')`);
  }
  if (!isPid(pid)) throw badarg(`processInfo: ${describe(pid)} is not a pid`);
  const p = s.procs.get(pid);
  if (p === undefined || !p.alive) return undefined;
  return item === 'messages' ? messages(p) : p.mailboxLength;
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
