/**
 * Monitors (reference manual, "Monitors"): one-way; the watcher gets one DOWN message when the
 * target exits (sent from exit.ts), or at once with `noproc` when it is already gone. A monitor
 * made by registered name reports that name in its DOWN, so the scheduler keeps ref → name for
 * those (`_monitorNames`).
 * https://www.erlang.org/doc/system/ref_man_processes.html#monitors
 */
import { badarg } from './errors.ts';
import { describe } from './describe.ts';
import { type Pid, type Ref, isPid, isRemote } from './pid.ts';
import type { Process } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';
import { isDownMessage } from './signals.ts';
import { take } from './mailbox.ts';
import { RefMap } from './RefTable.ts';

/** monitor(process, Pid | Name): a DOWN message arrives when the target exits, `noproc` at once if it is gone. */
export function monitor(s: Scheduler, self: Process, target: Pid | string): Ref {
  if (typeof target !== 'string') throw badarg(`monitor: ${describe(target)} is not a pid or a registered name`);
  const byPid = target.charCodeAt(0) === 60;
  const pid: Pid | undefined = byPid ? (target as Pid) : s.names.get(target);
  const t = pid === undefined ? undefined : s.procs.get(pid);
  if (t !== undefined && t.alive) {
    const ref = s.makeRef();
    (self.monitors ??= new RefMap()).set(ref, t.pid);
    (t.monitoredBy ??= new RefMap()).set(ref, self.pid);
    if (!byPid) s._monitorNames.set(ref, target);
    const emit = s.onEvent;
    if (s.watch !== null && emit !== null) emit({ type: 'monitor', at: s.clock.now(), pid: self.pid, target: t.pid, ref });
    return ref;
  }
  // A malformed pid is misuse, not a process that has gone: badarg, never a DOWN with noproc.
  if (byPid && !isPid(target)) throw badarg(`monitor: ${describe(target)} is not a pid`);
  const ref = s.makeRef();
  if (pid !== undefined && s._route !== null && isRemote(s.id, pid)) {
    (self.monitors ??= new RefMap()).set(ref, pid);
    if (!byPid) s._monitorNames.set(ref, target);
    s._route({ kind: 'monitor', from: self.pid, to: pid, ref });
  } else {
    s.deliver(self, { type: 'DOWN', ref, pid: target, reason: 'noproc' });
  }
  return ref;
}

/**
 * demonitor/2: no DOWN for `ref` arrives afterwards; `flush` also removes one already queued.
 * Returns whether the monitor was still active: false when its DOWN was already on its way or
 * in the mailbox, or the ref was never this process's monitor (erlang:demonitor/2, `info`).
 */
export function demonitor(s: Scheduler, self: Process, ref: Ref, flush: boolean): boolean {
  const target = self.monitors?.get(ref);
  if (target !== undefined) {
    self.monitors!.delete(ref);
    if (s._monitorNames.size !== 0) s._monitorNames.delete(ref);
    const t = s.procs.get(target);
    if (t !== undefined) t.monitoredBy?.delete(ref);
    else if (s._route !== null && isRemote(s.id, target)) s._route({ kind: 'demonitor', from: self.pid, to: target, ref });
    // An active monitor has no DOWN queued yet: nothing to flush.
    return true;
  }
  if (flush) take(self, (m) => isDownMessage(m) && m.ref === ref);
  return false;
}
