/**
 * Links (reference manual, "Links"): bidirectional, so each side records the other; when one
 * side exits, the other gets an exit signal (see exit.ts).
 * https://www.erlang.org/doc/system/ref_man_processes.html#links
 *
 * A link to a local process that is gone fails as erlang:link/1 does: a caller that traps exits
 * gets `{'EXIT', Pid, noproc}` and `true`; any other caller gets a `noproc` error it may catch.
 * A link to a pid on another scheduler cannot be checked at once: it is recorded here and
 * completed there by a `link` signal, and a process that is gone there answers with a `noproc`
 * exit signal, as a pid on another node does on the BEAM.
 */
import { OrchardError, badarg } from './errors.ts';
import { describe } from './describe.ts';
import { exitSignal } from './exit.ts';
import { type Pid, isPid, isRemote } from './pid.ts';
import { Flag, type Process } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';

/** link/1: bidirectional; to a dead pid a `noproc` error, or an EXIT message for a trapping caller. */
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
  if ((self.flags & Flag.TrapExit) === 0) throw new OrchardError('noproc', `noproc: link to ${to}: no such process`);
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
