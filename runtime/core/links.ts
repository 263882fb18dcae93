/**
 * Links (reference manual, "Links"): bidirectional, so each side records the other; when one
 * side exits, the other gets an exit signal (see exit.ts). A link to a pid on another scheduler
 * is recorded here at once and completed there by a `link` signal; one to a process that is
 * gone turns into a `noproc` exit signal, as Erlang's link/1 does.
 * https://www.erlang.org/doc/system/ref_man_processes.html#links
 */
import { badarg } from './errors.ts';
import { describe } from './describe.ts';
import { exitSignal } from './exit.ts';
import { type Pid, isPid, isRemote } from './pid.ts';
import type { Process } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';

/** link/1: bidirectional; to a dead pid the caller gets `noproc` (exit, or EXIT message). */
export function link(s: Scheduler, self: Process, to: Pid): void {
  if (to === self.pid) return;
  const t = s.procs.get(to);
  if (t !== undefined && t.alive) return addLink(s, self, t);
  if (s._route !== null && isRemote(s.id, to)) {
    (self.links ??= new Set()).add(to);
    if (s.watch !== null) watchLink(s, 'link', self, to);
    s._route({ kind: 'link', from: self.pid, to });
    return;
  }
  if (!isPid(to)) throw badarg(`link: ${describe(to)} is not a pid`);
  exitSignal(s, to, self, 'noproc', true);
}

export function addLink(s: Scheduler, a: Process, b: Process): void {
  (a.links ??= new Set()).add(b.pid);
  (b.links ??= new Set()).add(a.pid);
  if (s.watch !== null) watchLink(s, 'link', a, b.pid);
}

/** unlink/1: removes the link both ways; no exit signal from it arrives afterwards. */
export function unlink(s: Scheduler, self: Process, to: Pid): void {
  if (!isPid(to)) throw badarg(`unlink: ${describe(to)} is not a pid`);
  if (s.watch !== null && self.links?.has(to) === true) watchLink(s, 'unlink', self, to);
  self.links?.delete(to);
  const t = s.procs.get(to);
  if (t !== undefined) t.links?.delete(self.pid);
  else if (s._route !== null && isRemote(s.id, to)) s._route({ kind: 'unlink', from: self.pid, to });
}

function watchLink(s: Scheduler, type: 'link' | 'unlink', a: Process, other: Pid): void {
  s.changed(a);
  const b = s.procs.get(other);
  if (b !== undefined) s.changed(b);
  const emit = s.onEvent;
  if (emit !== null) emit({ type, at: s.clock.now(), pid: a.pid, other });
}
