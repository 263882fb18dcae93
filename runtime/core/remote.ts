/**
 * Signals between schedulers. A signal for a pid of another scheduler leaves through the
 * scheduler's `route` (the node's transport, which keeps per-pair order) as a `RemoteSignal`;
 * one that arrives is applied here by `accept`, after which it acts exactly as a local one
 * would. A spawn placed here by another scheduler arrives the same way, under a pid this
 * scheduler reserved for it (`Scheduler.reservePids`).
 */
import { exitSignal, down } from './exit.ts';
import { type ModuleDef, lookupModule } from './modules.ts';
import type { Pid, Ref } from './pid.ts';
import { type Body, Flag, Process } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';
import { RefMap } from './RefTable.ts';

/** A signal bound for a pid on another scheduler; the node's transport carries it in order. */
export type RemoteSignal =
  | { kind: 'message'; from: Pid; to: Pid | string; message: unknown; alias?: Ref }
  | { kind: 'exit'; from: Pid; to: Pid; reason: unknown; link: boolean }
  | { kind: 'link'; from: Pid; to: Pid }
  | { kind: 'unlink'; from: Pid; to: Pid }
  | { kind: 'monitor'; from: Pid; to: Pid; ref: Ref }
  | { kind: 'demonitor'; from: Pid; to: Pid; ref: Ref }
  | { kind: 'down'; from: Pid; to: Pid; ref: Ref; reason: unknown }
  | RemoteSpawn;

/**
 * A process spawned on this scheduler by another one, under a pid this scheduler reserved for
 * it (`reservePids`). The spawner has already claimed the name and recorded the link.
 */
export interface RemoteSpawn {
  kind: 'spawn';
  from: Pid;
  to: Pid;
  parent: Pid | null;
  module: string;
  args: unknown[];
  options: { link?: boolean; name?: string; label?: string; trapExit?: boolean };
}

/**
 * Applies a signal that the node's transport brought from another scheduler. The transport
 * keeps per-pair order; from here on the signal acts exactly as a local one would.
 */
export function accept(s: Scheduler, signal: RemoteSignal): void {
  switch (signal.kind) {
    case 'message': {
      const to = signal.to;
      const pid = to.charCodeAt(0) === 60 ? (to as Pid) : s.names.get(to);
      const p = pid === undefined ? undefined : s.procs.get(pid);
      if (p === undefined) {
        if (pid === s.hostPid && s._onHostMessage !== null) s._onHostMessage(signal.message, signal.from);
        return;
      }
      if (signal.alias !== undefined && p.ext?.aliases?.has(signal.alias) !== true) return;
      s.deliver(p, signal.message);
      return;
    }
    case 'exit': {
      const p = s.procs.get(signal.to);
      if (p === undefined) return;
      if (signal.link) {
        // A link's signal counts only while the link stands: an unlink sent before it wins.
        if (p.links === null || !p.links.delete(signal.from)) return;
      }
      exitSignal(s, signal.from, p, signal.reason, signal.link);
      return;
    }
    case 'link': {
      const p = s.procs.get(signal.to);
      if (p !== undefined && p.alive) {
        (p.links ??= new Set()).add(signal.from);
        if (s.watch !== null) s.changed(p);
      } else s._route?.({ kind: 'exit', from: signal.to, to: signal.from, reason: 'noproc', link: true });
      return;
    }
    case 'unlink': {
      const p = s.procs.get(signal.to);
      p?.links?.delete(signal.from);
      if (p !== undefined && s.watch !== null) s.changed(p);
      return;
    }
    case 'monitor': {
      const p = s.procs.get(signal.to);
      if (p !== undefined && p.alive) (p.monitoredBy ??= new RefMap()).set(signal.ref, signal.from);
      else s._route?.({ kind: 'down', from: signal.to, to: signal.from, ref: signal.ref, reason: 'noproc' });
      return;
    }
    case 'demonitor':
      s.procs.get(signal.to)?.monitoredBy?.delete(signal.ref);
      return;
    case 'down':
      down(s, signal.from, signal.to, signal.ref, signal.from, signal.reason);
      return;
    case 'spawn':
      acceptSpawn(s, signal);
      return;
  }
}

function acceptSpawn(s: Scheduler, spawn: RemoteSpawn): void {
  let def: ModuleDef | null = null;
  let fn: Body;
  try {
    def = lookupModule(spawn.module);
    fn = def.body;
  } catch (e) {
    // The spawner knew the module: this worker loaded other code. The process dies of it.
    fn = () => {
      throw e;
    };
  }
  const args = spawn.args;
  const p = new Process(spawn.to, spawn.module, spawn.parent, s.clock.now(), () => fn(...args));
  if (def?.behaviour !== undefined) p.extension().behaviour = def.behaviour;
  const o = spawn.options;
  if (o.trapExit === true) p.flags |= Flag.TrapExit;
  if (o.label !== undefined) p.extension().label = String(o.label);
  if (o.name !== undefined) p.extension().name = o.name;
  if (o.link === true) p.links = new Set([spawn.from]);
  s.procs.add(p);
  s.spawned++;
  if (s.watch !== null) s.changed(p);
  const emit = s.onEvent;
  if (emit !== null) emit({ type: 'spawn', at: s.clock.now(), pid: p.pid, parent: p.parent, init: p.init });
  s._enqueue(p);
}
