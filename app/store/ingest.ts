/**
 * How each runtime message changes the ingest store. Each function mutates the store's Maps
 * in place and returns the fields to `set`, counters included (see runtimeStore.ts on why).
 */
import type { Pid, ProcessRow, RuntimeToInspector } from '../protocol.ts';
import { DEPARTED_CAPACITY, EVENT_CAPACITY, type Departed, type RuntimeState } from './runtimeStore.ts';

export function applySnapshot(s: RuntimeState, m: RuntimeToInspector['snapshot']): Partial<RuntimeState> {
  const previous = s.processes;
  const processes = new Map<Pid, ProcessRow>();
  for (const row of m.processes) processes.set(row.pid, row);
  const added: Pid[] = [];
  for (const pid of processes.keys()) if (!previous.has(pid)) added.push(pid);
  // A process missing from a top-N snapshot may only have dropped out of the top N: call it
  // removed only when the snapshot lists every process.
  const removed: ProcessRow[] = [];
  if (m.processes.length >= m.processTotal) {
    for (const [pid, row] of previous) if (!processes.has(pid)) removed.push(row);
  }
  s.history.sample(m.at, m.node, m.schedulers);
  return {
    revision: s.revision + 1,
    membership: s.membership + 1,
    seq: m.seq,
    at: m.at,
    node: m.node,
    schedulers: m.schedulers,
    processes,
    processTotal: m.processTotal,
    supervisors: new Map(m.supervisors.map((sup) => [sup.pid, sup])),
    applications: m.applications,
    available: m.available,
    lastChange: { added, removed, updated: [], full: true },
    departed: depart(s.departed, removed, m.at, s.events),
  };
}

export function applyDelta(s: RuntimeState, m: RuntimeToInspector['delta']): Partial<RuntimeState> {
  if (m.seq <= s.seq) return {}; // stale: a delta from before the snapshot we already applied
  const added: Pid[] = [];
  const removed: ProcessRow[] = [];
  const updated: Pid[] = [];
  for (const row of m.processes) {
    if (!s.processes.has(row.pid)) added.push(row.pid);
    else updated.push(row.pid);
    s.processes.set(row.pid, row);
  }
  for (const pid of m.quiet ?? []) {
    const row = s.processes.get(pid);
    // A new object, not a write into the old one: row components compare rows by identity.
    if (row !== undefined && row.reductionsDelta !== 0) {
      s.processes.set(pid, { ...row, reductionsDelta: 0 });
      updated.push(pid);
    }
  }
  for (const pid of m.removed) {
    const row = s.processes.get(pid);
    if (row === undefined) continue;
    s.processes.delete(pid);
    removed.push(row);
  }
  for (const sup of m.supervisors) s.supervisors.set(sup.pid, sup);
  for (const pid of m.removedSupervisors) s.supervisors.delete(pid);
  s.history.sample(m.at, m.node, m.schedulers);
  return {
    revision: s.revision + 1,
    membership: added.length > 0 || removed.length > 0 ? s.membership + 1 : s.membership,
    seq: m.seq,
    at: m.at,
    node: m.node,
    schedulers: m.schedulers,
    processTotal: m.processTotal,
    applications: m.applications,
    lastChange: { added, removed, updated, full: false },
    departed: depart(s.departed, removed, m.at, s.events),
  };
}

export function applyEvents(s: RuntimeState, m: RuntimeToInspector['events']): Partial<RuntimeState> {
  let events: RuntimeState['events'];
  if (m.backlog === true && m.events.length > 0) {
    // The runtime's flight recorder replayed on (re)subscribe: it overlaps what we kept, so
    // keep only our events older than its first one.
    const from = m.events[0]!.at;
    events = s.events.filter((e) => e.at < from).concat(m.events);
  } else {
    events = s.events.concat(m.events);
  }
  if (events.length > EVENT_CAPACITY) events = events.slice(events.length - EVENT_CAPACITY);
  for (const e of m.events) {
    if (e.type !== 'orchard.process.exited') continue;
    const d = s.departed.get(e.pid);
    if (d !== undefined) d.reason = e.reason;
  }
  return { events, eventsRevision: s.eventsRevision + 1 };
}

export function applyDetail(s: RuntimeState, m: RuntimeToInspector['process_detail']): Partial<RuntimeState> {
  s.details.set(m.pid, m.detail);
  return { detailsRevision: s.detailsRevision + 1 };
}

function depart(departed: Map<Pid, Departed>, rows: readonly ProcessRow[], at: number, events: RuntimeState['events']): Map<Pid, Departed> {
  for (const row of rows) {
    departed.delete(row.pid); // re-inserted last: the Map's order is departure order
    departed.set(row.pid, { row, at, reason: recentExitReason(events, row.pid) });
  }
  if (departed.size > DEPARTED_CAPACITY) {
    let excess = departed.size - DEPARTED_CAPACITY;
    for (const pid of departed.keys()) {
      if (excess-- <= 0) break;
      departed.delete(pid);
    }
  }
  return departed;
}

/** The exit event may come before the delta that removes the process: look for it among the last few. */
function recentExitReason(events: RuntimeState['events'], pid: Pid): string | null {
  for (let i = events.length - 1, n = 0; i >= 0 && n < 500; i--, n++) {
    const e = events[i]!;
    if (e.type === 'orchard.process.exited' && e.pid === pid) return e.reason;
  }
  return null;
}
