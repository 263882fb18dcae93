/**
 * How processes end and what their end sets off: exit signals (reference manual, "Receiving
 * Exit Signals"), the exit itself, and the EXIT signals and DOWN messages it sends to linked and
 * monitoring processes, local or on other schedulers:
 * https://www.erlang.org/doc/system/ref_man_processes.html#receiving-exit-signals
 *
 * They take the scheduler they act on: they are the rules of dying, while the scheduler is the
 * loop that runs the living. The BIFs (bifs.ts) call them for the calling process; the host
 * (the node, the inspector, a test) calls `sendExit` with `s.hostPid` as the sender.
 */
import { badarg } from './errors.ts';
import { describe } from './describe.ts';
import { CRASH_REPORT, type CrashReport } from './info.ts';
import { type Pid, type Ref, isPid, isRemote } from './pid.ts';
import { Flag, type Process, Status } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';
import { sealMessage } from './sealMessage.ts';

/**
 * An exit signal from `from` reaches `p` (reference manual, "Receiving Exit Signals").
 * `viaLink` tells a link's signal (sent because `from` exited) from exit/2's.
 */
export function exitSignal(s: Scheduler, from: Pid, p: Process, reason: unknown, viaLink: boolean): void {
  if (p.status >= Status.Exiting) return;
  // exit(Pid, kill) cannot be trapped; a linked process exiting with reason kill can.
  if (!viaLink && reason === 'kill') return exitProcess(s, p, 'killed');
  if ((p.flags & Flag.TrapExit) !== 0) return s.deliver(p, { type: 'EXIT', from, reason });
  if (reason === 'normal') {
    // exit(self(), normal) ends the caller; a normal signal from anyone else is ignored.
    if (!viaLink && from === p.pid) exitProcess(s, p, 'normal');
    return;
  }
  exitProcess(s, p, reason);
}

/** exit/2 from the host or a process: sends an exit signal from `from` to `to`. */
export function sendExit(s: Scheduler, to: Pid, reason: unknown, from: Pid): void {
  const p = s.procs.get(to);
  if (p !== undefined) exitSignal(s, from, p, s.freezeMessages ? s.asValue(reason, to, 'the exit reason') : reason, false);
  else if (s._route !== null && isRemote(s.id, to)) s._route({ kind: 'exit', from, to, reason, link: false });
  else if (!isPid(to)) throw badarg(`exit: ${describe(to)} is not a pid`);
}

/**
 * Ends a process. Deaths caused while another is being processed queue up and are worked
 * off in a loop, so a long chain of links cannot overflow the stack.
 */
export function exitProcess(s: Scheduler, p: Process, reason: unknown): void {
  if (p.status >= Status.Exiting) return;
  p.status = Status.Exiting;
  const dying = s._dying;
  if (s._draining) {
    dying.push(p, reason);
    return;
  }
  s._draining = true;
  try {
    // The first death directly: most set off no other, and then the queue is never touched
    // (emptying an array that held something costs more than the rest of a short exit).
    finishExit(s, p, reason);
    for (let i = 0; i < dying.length; i += 2) finishExit(s, dying[i] as Process, dying[i + 1]);
  } finally {
    if (dying.length !== 0) dying.length = 0;
    s._draining = false;
  }
}

function finishExit(s: Scheduler, p: Process, reason: unknown): void {
  const pid = p.pid;
  // The reason reaches every linked and monitoring process: a value, as messages are.
  if (s.freezeMessages && typeof reason === 'object' && reason !== null) reason = sealMessage(reason);
  if (p.waitTimer !== null) s.timers.cancelHandle(p.waitTimer);
  // The name is freed before any DOWN or EXIT goes out, so whoever reacts can register it.
  const name = p.ext?.name;
  if (name != null) s.names.release(name, pid);
  s.procs.delete(pid);
  if (s.exitHooks.length !== 0) for (const hook of s.exitHooks) hook(pid, reason);
  p.mbox = null;
  p.wait = null;
  p.gen = null;
  s.exited++;
  const route = s._route;
  if (p.links !== null) {
    const links = p.links;
    p.links = null;
    for (const other of links) {
      const q = s.procs.get(other);
      if (q !== undefined) {
        q.links?.delete(pid);
        if (s.watch !== null) s.changed(q);
        exitSignal(s, pid, q, reason, true);
      } else if (route !== null && isRemote(s.id, other)) {
        route({ kind: 'exit', from: pid, to: other, reason, link: true });
      }
    }
  }
  if (p.monitors !== null) {
    const monitorNames = s._monitorNames;
    for (const [ref, target] of p.monitors) {
      if (monitorNames.size !== 0) monitorNames.delete(ref);
      const t = s.procs.get(target);
      if (t !== undefined) t.monitoredBy?.delete(ref);
      else if (route !== null && isRemote(s.id, target)) route({ kind: 'demonitor', from: pid, to: target, ref });
    }
    p.monitors = null;
  }
  if (p.monitoredBy !== null) {
    for (const [ref, watcher] of p.monitoredBy) down(s, pid, watcher, ref, pid, reason);
    p.monitoredBy = null;
  }
  p.status = Status.Exited;
  if ((p.flags & Flag.Traced) !== 0) s.tracing--;
  if (s.watch !== null) s.changed(p);
  const emit = s.onEvent;
  if (emit !== null) {
    const crash = p.ext?.dict?.get(CRASH_REPORT) as CrashReport | undefined;
    emit(crash === undefined ? { type: 'exit', at: s.clock.now(), pid, reason } : { type: 'exit', at: s.clock.now(), pid, reason, crash });
  }
}

/**
 * Sends `{DOWN, ref, pid, reason}` to a watcher, local or remote. A watcher that has
 * demonitored `ref` in the meantime gets nothing.
 */
export function down(s: Scheduler, from: Pid, watcher: Pid, ref: Ref, pid: Pid | string, reason: unknown): void {
  const w = s.procs.get(watcher);
  if (w !== undefined) {
    if (w.monitors !== null && w.monitors.delete(ref)) {
      // erlang:monitor/2: a monitor made with a registered name reports that name.
      const monitorNames = s._monitorNames;
      const name = monitorNames.size === 0 ? undefined : monitorNames.get(ref);
      if (name !== undefined) monitorNames.delete(ref);
      s.deliver(w, { type: 'DOWN', ref, pid: name ?? pid, reason });
      const emit = s.onEvent;
      if (s.watch !== null && emit !== null) emit({ type: 'down', at: s.clock.now(), pid: watcher, target: from, reason, ref });
    }
  } else if (s._route !== null && isRemote(s.id, watcher)) {
    s._route({ kind: 'down', from, to: watcher, ref, reason });
  }
}
