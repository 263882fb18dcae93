/**
 * How each runtime message changes the ingest store. Each function mutates the store's Maps
 * in place and returns the fields to `set`, counters included (see runtimeStore.ts on why).
 *
 * Lifecycle facts (a death, a restart, an escalation) are applied as they come, in order: in
 * protocol v2 they ride in the delta whose rows they explain and are applied before its rows;
 * a v1 runtime sends them in the `events` message after the delta, and they complete what that
 * delta removed. Nothing is inferred from rows or searched for among earlier events.
 */
import { type InspectorEvent, type LifecycleEvent, type Pid, type ProcessRow, type RuntimeToInspector, isLifecycleEvent } from '../protocol.ts';
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
    lastChange: { added, removed, updated: [], full: true, facts: NO_FACTS },
    departed: depart(s.departed, removed, m.at, null),
  };
}

export function applyDelta(s: RuntimeState, m: RuntimeToInspector['delta']): Partial<RuntimeState> {
  if (m.seq <= s.seq) return {}; // stale: a delta from before the snapshot we already applied
  // v2: the tick's facts first, so the rows this delta removes leave with their reasons.
  const withEvents = m.events === undefined ? null : applyEvents(s, { events: m.events }, true);
  const facts = withEvents === null ? NO_FACTS : lifecycleOf(m.events!);
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
    ...withEvents,
    revision: s.revision + 1,
    membership: added.length > 0 || removed.length > 0 ? s.membership + 1 : s.membership,
    seq: m.seq,
    at: m.at,
    node: m.node,
    schedulers: m.schedulers,
    processTotal: m.processTotal,
    applications: m.applications,
    lastChange: { added, removed, updated, full: false, facts },
    departed: depart(s.departed, removed, m.at, facts),
  };
}

/**
 * Events: appended to the flight recorder's copy, and their lifecycle facts applied. A v1
 * runtime's facts arrive here after the delta that removed the rows, and complete the departed;
 * they also make a change of their own (`lastChange.facts`), so the selection can follow them.
 */
export function applyEvents(s: RuntimeState, m: Pick<RuntimeToInspector['events'], 'events' | 'backlog'>, inDelta = false): Partial<RuntimeState> {
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
  const facts = lifecycleOf(m.events);
  for (const e of facts) {
    if (e.type === 'orchard.supervisor.intensity_exceeded') s.escalations.set(e.supervisor, e);
    else if (e.type === 'orchard.process.exited') {
      const d = s.departed.get(e.pid);
      if (d !== undefined && d.reason === null) d.reason = e.reason;
    }
  }
  const out: Partial<RuntimeState> = { events, eventsRevision: s.eventsRevision + 1 };
  if (facts.length > 0) out.escalationsRevision = s.escalationsRevision + 1;
  // A v1 runtime's facts (not a v2 delta's, not the backlog's): a change of their own.
  if (facts.length > 0 && m.backlog !== true && !inDelta) out.lastChange = { added: [], removed: [], updated: [], full: false, facts };
  return out;
}

export function applyDetail(s: RuntimeState, m: RuntimeToInspector['process_detail']): Partial<RuntimeState> {
  s.details.set(m.pid, m.detail);
  return { detailsRevision: s.detailsRevision + 1 };
}

const NO_FACTS: readonly LifecycleEvent[] = [];

function lifecycleOf(events: readonly InspectorEvent[]): readonly LifecycleEvent[] {
  let out: LifecycleEvent[] | null = null;
  for (const e of events) if (isLifecycleEvent(e)) (out ??= []).push(e);
  return out ?? NO_FACTS;
}

function depart(departed: Map<Pid, Departed>, rows: readonly ProcessRow[], at: number, facts: readonly LifecycleEvent[] | null): Map<Pid, Departed> {
  let reasons: Map<Pid, string> | null = null;
  if (facts !== null) for (const e of facts) if (e.type === 'orchard.process.exited') (reasons ??= new Map()).set(e.pid, e.reason);
  for (const row of rows) {
    departed.delete(row.pid); // re-inserted last: the Map's order is departure order
    departed.set(row.pid, { row, at, reason: reasons?.get(row.pid) ?? null });
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
