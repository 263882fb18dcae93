/**
 * How a live process, a supervisor's report and a scheduler event become protocol rows and
 * events. Pure functions of the record plus a clock offset; the cost of each is a handful of
 * field reads, because a delta builds one row per changed process.
 */
import { enter, leave } from '../core/context.ts';
import { formatReason } from '../core/exitReason.ts';
import { type CrashReport, SUPERVISOR_REPORT, type RuntimeEvent, type SupervisorReport, estimateMemory } from '../core/info.ts';
import type { Pid } from '../core/pid.ts';
import { type Process, STATUS_NAMES } from '../core/Process.ts';
import type { Scheduler } from '../core/Scheduler.ts';
import {
  type CrashReportFields, type ExitedEvent, type InspectorEvent, LIMITS, type ProcessRow, type SupervisorRow, type UnexpectedMessageEvent,
} from '../protocol/messages.ts';
import { previewText } from '../protocol/preview.ts';

/** What a supervisor's report says about one of its children, kept per child pid. */
export interface ChildInfo {
  supervisor: Pid;
  childId: string;
  restarts: number;
  lastExitReason: string | null;
}

export const APPLICATION_KEY = 'orchard.application';

const NO_PIDS: Pid[] = [];

/** At most `cap` of the pids, in insertion order, without copying a large set whole. */
function firstPids(pids: Iterable<Pid>, size: number, cap: number): Pid[] {
  if (size === 0) return NO_PIDS;
  const out: Pid[] = [];
  for (const pid of pids) {
    if (out.length === cap) break;
    out.push(pid);
  }
  return out;
}

/**
 * A process's row. Its links and monitors are cut to `pidCap` (LIMITS.rowPids in a table row;
 * a process linked to 100,000 others would otherwise send 1.4 MB a tick), with the whole count
 * in `linkCount` / `monitorCount` when cut.
 */
export function processRow(
  p: Process, scheduler: number, reductionsDelta: number, memory: number, child: ChildInfo | undefined, epoch: number,
  pidCap: number = LIMITS.rowPids,
): ProcessRow {
  const ext = p.ext;
  const linkCount = p.links === null ? 0 : p.links.size;
  const monitorCount = p.monitors === null ? 0 : p.monitors.size;
  const row: ProcessRow = {
    pid: p.pid,
    name: ext === null ? null : ext.name,
    label: ext === null ? null : ext.label,
    behaviour: ext === null ? null : ext.behaviour,
    initialCall: p.init,
    status: STATUS_NAMES[p.status],
    mailbox: p.mailboxLength,
    reductions: p.reductions,
    reductionsDelta,
    memory,
    scheduler,
    links: p.links === null ? NO_PIDS : firstPids(p.links, linkCount, pidCap),
    monitors: p.monitors === null ? NO_PIDS : firstPids(p.monitors.values(), monitorCount, pidCap),
    parent: p.parent,
    startedAt: Math.round(p.startedAt + epoch),
    trapExit: p.trapExit,
    supervisor: child === undefined ? null : child.supervisor,
    childId: child === undefined ? null : child.childId,
    restarts: child === undefined ? 0 : child.restarts,
    lastExitReason: child === undefined ? null : child.lastExitReason,
  };
  if (linkCount > pidCap) row.linkCount = linkCount;
  if (monitorCount > pidCap) row.monitorCount = monitorCount;
  return row;
}

export { estimateMemory };

export function isSupervisor(p: Process): boolean {
  return typeof p.ext?.dict?.get(SUPERVISOR_REPORT) === 'function';
}

/** The supervisor's live report at its scheduler's time, or null for any other process (or a report that throws). */
export function supervisorReport(p: Process, s: Scheduler): SupervisorReport | null {
  const fn = p.ext?.dict?.get(SUPERVISOR_REPORT);
  if (typeof fn !== 'function') return null;
  try {
    return (fn as (now: number) => SupervisorReport)(s.clock.now());
  } catch {
    return null;
  }
}

/**
 * Runs a behaviour's reporting function as if inside its scheduler's slice: reports read the
 * scheduler's clock through currentScheduler(), which outside a slice may be no scheduler at all.
 */
export function inContext<T, F>(s: Scheduler, fn: () => T, fallback: F): T | F {
  enter(s);
  try {
    return fn();
  } catch {
    return fallback;
  } finally {
    leave(s);
  }
}

export function supervisorRow(pid: Pid, r: SupervisorReport, epoch: number): SupervisorRow {
  return {
    pid,
    strategy: r.strategy,
    intensity: r.intensity,
    period: r.period,
    restartsInWindow: r.restartsInWindow,
    children: r.children.map((c) => ({
      id: c.id,
      pid: c.pid,
      type: c.type,
      restart: c.restart,
      restarts: c.restarts,
      lastExitReason: reasonText(c.lastExitReason),
      lastRestartAt: c.lastRestartAt === null ? null : Math.round(c.lastRestartAt + epoch),
    })),
  };
}

/** The application an application master runs, if `p` is one. */
export function applicationOf(p: Process): { name: string; root: Pid | null } | null {
  const a = p.ext?.dict?.get(APPLICATION_KEY) as { name?: unknown; root?: unknown } | undefined;
  if (a === undefined || typeof a.name !== 'string') return null;
  return { name: a.name, root: typeof a.root === 'string' ? (a.root as Pid) : null };
}

export function reasonText(reason: unknown): string | null {
  if (reason === null || reason === undefined) return null;
  if (typeof reason === 'string') return reason.length > 400 ? previewText(reason) : reason;
  if (typeof reason === 'object' && 'error' in reason) return previewText(formatReason(reason));
  return previewText(reason);
}

/** A scheduler's event as the protocol's flight-recorder event. */
export function toInspectorEvent(e: RuntimeEvent, epoch: number): InspectorEvent {
  const at = Math.round(e.at + epoch);
  switch (e.type) {
    case 'spawn':
      return { type: 'orchard.process.spawned', at, pid: e.pid, parent: e.parent, initialCall: e.init };
    case 'exit': {
      const exited: ExitedEvent = { type: 'orchard.process.exited', at, pid: e.pid, reason: reasonText(e.reason) ?? 'undefined' };
      if (e.crash !== undefined) exited.crash = crashFields(e.crash);
      return exited;
    }
    case 'restart':
      return {
        type: 'orchard.supervisor.restarted', at, supervisor: e.supervisor, childId: e.childId, oldPid: e.oldPid, newPid: e.newPid,
        reason: reasonText(e.reason) ?? 'undefined', ...(e.count === undefined ? {} : { count: e.count }),
      };
    case 'intensity':
      return {
        type: 'orchard.supervisor.intensity_exceeded', at, supervisor: e.supervisor, restarts: e.restarts, intensity: e.intensity, period: e.period,
        ...(e.childId === undefined ? {} : { childId: e.childId, reason: reasonText(e.reason) ?? 'undefined' }),
      };
    case 'supervisor_report':
      return {
        type: 'orchard.supervisor.report', at, supervisor: e.supervisor, context: e.context, reason: reasonText(e.reason) ?? 'undefined',
        childId: e.childId, pid: e.pid,
      };
    case 'link':
      return { type: 'orchard.process.linked', at, pid: e.pid, other: e.other };
    case 'unlink':
      return { type: 'orchard.process.unlinked', at, pid: e.pid, other: e.other };
    case 'monitor':
      return { type: 'orchard.process.monitored', at, pid: e.pid, target: e.target, ref: e.ref };
    case 'down':
      return { type: 'orchard.process.down', at, pid: e.pid, target: e.target, reason: reasonText(e.reason) ?? 'undefined', ...(e.ref === undefined ? {} : { ref: e.ref }) };
    case 'send':
      return { type: 'orchard.trace.send', at, from: e.from, to: e.to, message: previewText(e.message) };
    case 'receive':
      return { type: 'orchard.trace.receive', at, pid: e.pid, message: previewText(e.message) };
    case 'unexpected': {
      const u: UnexpectedMessageEvent = {
        type: 'orchard.process.unexpected_message', at, pid: e.pid, behaviour: e.behaviour, callback: e.callback, message: previewText(e.message),
      };
      if (e.name !== null) u.name = e.name;
      return u;
    }
  }
}

/** A behaviour's crash report with its values as previews. */
function crashFields(c: CrashReport): CrashReportFields {
  const out: CrashReportFields = { behaviour: c.behaviour, state: previewText(c.state) };
  if (c.name !== null) out.name = c.name;
  if ('lastMessage' in c) out.lastMessage = previewText(c.lastMessage);
  if (c.from !== undefined) out.from = c.from;
  return out;
}

export function isLifecycle(e: RuntimeEvent): boolean {
  return e.type === 'spawn' || e.type === 'exit' || e.type === 'restart' || e.type === 'intensity' || e.type === 'supervisor_report';
}

/** Whether a scheduler event is about `pid` (for a process's recent events). */
export function concerns(e: RuntimeEvent, pid: Pid): boolean {
  switch (e.type) {
    case 'spawn':
    case 'exit':
    case 'receive':
    case 'unexpected':
      return e.pid === pid;
    case 'link':
    case 'unlink':
      return e.pid === pid || e.other === pid;
    case 'monitor':
    case 'down':
      return e.pid === pid || e.target === pid;
    case 'restart':
      return e.supervisor === pid || e.oldPid === pid || e.newPid === pid;
    case 'intensity':
      return e.supervisor === pid;
    case 'supervisor_report':
      return e.supervisor === pid || e.pid === pid;
    case 'send':
      return e.from === pid || e.to === pid;
  }
}

/** The pids an event is about (for a process's recent events). */
export function eventPids(e: InspectorEvent): Pid[] {
  switch (e.type) {
    case 'orchard.process.spawned':
    case 'orchard.process.exited':
      return [e.pid];
    case 'orchard.process.linked':
    case 'orchard.process.unlinked':
      return [e.pid, e.other];
    case 'orchard.process.monitored':
    case 'orchard.process.down':
      return [e.pid, e.target];
    case 'orchard.supervisor.restarted':
      return [e.supervisor, ...(e.oldPid === null ? [] : [e.oldPid]), ...(e.newPid === null ? [] : [e.newPid])];
    case 'orchard.supervisor.intensity_exceeded':
      return [e.supervisor];
    case 'orchard.supervisor.report':
      return e.pid === null ? [e.supervisor] : [e.supervisor, e.pid];
    case 'orchard.trace.send':
      return [e.from, e.to];
    case 'orchard.trace.receive':
    case 'orchard.process.unexpected_message':
      return [e.pid];
    case 'orchard.scheduler.replaced':
      return [];
  }
}
