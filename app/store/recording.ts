/**
 * The recording: what the Observer received from the runtime, kept in a bounded ring so any
 * moment of the last minutes can be shown again. Frames are the envelopes as they arrived
 * (snapshots, deltas with their lifecycle facts, events, fetched details and tables), each with
 * the time it arrived. Every so often a keyframe is taken: an image of the ingest store after a
 * frame. To show the moment after frame n, restore the nearest keyframe at or before n and
 * re-apply the frames after it, into a store of its own (the replay store), never the live one.
 *
 * Nothing here is shared with something that changes later. Ingest never writes into an
 * envelope (its rows become the store's rows, replaced, never edited: runtimeStore.ts); the
 * store's Maps and its departed entries, which ingest does edit in place, are copied into the
 * keyframe and copied again on restore. test/app/recording.test.ts holds ingest to that with
 * frozen envelopes.
 */
import {
  type AnyRuntimeMessage, type InspectorEvent, type IntensityExceededEvent, type LifecycleEvent, type Pid, type ProcessDetail, type ProcessRow, type SupervisorRow,
  isLifecycleEvent,
} from '../protocol.ts';
import { History } from './History.ts';
import { applyDelta, applyDetail, applyEvents, applySnapshot } from './ingest.ts';
import { type Departed, type RuntimeState, initialRuntimeState } from './runtimeStore.ts';

/** The messages a recording keeps: those that change what the views show. */
export type RecordedMessage = Extract<AnyRuntimeMessage, { type: 'snapshot' | 'delta' | 'events' | 'process_detail' | 'tables' | 'table' }>;

const RECORDED: ReadonlySet<string> = new Set(['snapshot', 'delta', 'events', 'process_detail', 'tables', 'table']);

export function isRecorded(m: AnyRuntimeMessage): m is RecordedMessage {
  return RECORDED.has(m.type);
}

export interface Frame {
  /** Its place in the recording, counting from the first frame ever recorded. */
  n: number;
  /** When it arrived, ms since the epoch. */
  t: number;
  m: RecordedMessage;
}

/** What a keyframe keeps of the ingest store: the data, not the connection or counters. */
export interface StateImage {
  seq: number;
  at: number;
  node: RuntimeState['node'];
  schedulers: RuntimeState['schedulers'];
  processes: RuntimeState['processes'];
  processTotal: number;
  supervisors: RuntimeState['supervisors'];
  applications: RuntimeState['applications'];
  available: RuntimeState['available'];
  departed: RuntimeState['departed'];
  escalations: RuntimeState['escalations'];
  events: RuntimeState['events'];
  details: RuntimeState['details'];
  tables: RuntimeState['tables'];
  tablePage: RuntimeState['tablePage'];
}

export type MarkerKind = 'kill' | 'restart' | 'escalation' | 'scheduler';

/** A frame whose facts change the tree or the node: a kill, a restart, an escalation, a replaced scheduler. */
export interface Marker {
  n: number;
  t: number;
  kind: MarkerKind;
  label: string;
  /** The frame's facts in the order they happened: what stepping through shows one by one. */
  facts: readonly InspectorEvent[];
}

interface Segment {
  /** The store after frame `keyN` (-1: before any). */
  key: Keyframe;
  keyN: number;
  t: number;
  /** Frames keyN+1, keyN+2, … */
  frames: Frame[];
  bytes: number;
}

export interface RecordingOptions {
  /** How far back the ring reaches (default 10 minutes). */
  windowMs?: number;
  /** Estimated bytes the ring may hold before it drops its oldest part (default 256 MB). */
  maxBytes?: number;
}

export const DEFAULT_WINDOW_MS = 10 * 60_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** A keyframe at most this long after the previous one, so a seek never re-applies much. */
const KEYFRAME_MS = 10_000;
/**
 * …or once this many rows, or a quarter of the processes, were applied since it: a keyframe is an
 * array of the store's rows (a pointer per process), so a seek never re-applies more than a
 * quarter of a full rebuild's rows after restoring one.
 */
const KEYFRAME_MIN_ROWS = 2_000;

export class Recording {
  readonly windowMs: number;
  readonly maxBytes: number;
  private segments: Segment[] = [];
  private markerList: Marker[] = [];
  private nextN = 0;
  private rowsSinceKey = 0;
  private byteCount = 0;
  /** Bumped on every change, for views that redraw from it. */
  revision = 0;

  constructor(options: RecordingOptions = {}) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /** Starts (again) from the store's present state: everything recorded so far is dropped. */
  start(state: RuntimeState | StateImage, t: number): void {
    this.segments = [];
    this.markerList = [];
    this.byteCount = 0;
    this.rowsSinceKey = 0;
    this.pushKey(keyframeOf(state), this.nextN - 1, t);
    this.revision++;
  }

  /** Keeps one message, after the store has applied it (`state` is the store then). */
  record(m: AnyRuntimeMessage, state: RuntimeState, t: number): void {
    if (!isRecorded(m)) return;
    if (this.segments.length === 0) this.pushKey(keyframeOf(EMPTY_IMAGE), this.nextN - 1, t);
    const seg = this.segments[this.segments.length - 1]!;
    const n = this.nextN++;
    seg.frames.push({ n, t, m });
    const bytes = estimateBytes(m);
    seg.bytes += bytes;
    this.byteCount += bytes;
    this.rowsSinceKey += rowsOf(m);
    const marker = markerOf(m, n, t);
    if (marker !== null) this.markerList.push(marker);
    if ((m.type === 'snapshot' || m.type === 'delta') && (t - seg.t >= KEYFRAME_MS || this.rowsSinceKey >= Math.max(KEYFRAME_MIN_ROWS, state.processes.size / 4))) {
      this.pushKey(keyframeOf(state), n, t);
    }
    this.evict(t);
    this.revision++;
  }

  get empty(): boolean {
    return this.nextN === 0 || this.segments.length === 0 || this.lastN < this.firstN;
  }

  /** The first frame that can be shown (the state before it is the oldest keyframe). */
  get firstN(): number {
    return (this.segments[0]?.keyN ?? -1) + 1;
  }

  get lastN(): number {
    return this.nextN - 1;
  }

  get startT(): number {
    return this.segments[0]?.t ?? 0;
  }

  get endT(): number {
    const last = this.segments[this.segments.length - 1];
    if (last === undefined) return 0;
    return last.frames.length > 0 ? last.frames[last.frames.length - 1]!.t : last.t;
  }

  /** Estimated bytes held (frames and keyframes). */
  get bytes(): number {
    return this.byteCount;
  }

  get frameCount(): number {
    return this.nextN - this.firstN;
  }

  get markers(): readonly Marker[] {
    return this.markerList;
  }

  frame(n: number): Frame | undefined {
    // Frame n is in the segment whose keyframe was taken before it (keyN < n).
    const seg = this.segmentOf(n - 1);
    return seg?.frames[n - seg.keyN - 1];
  }

  /** Frames from..to (inclusive), oldest first. */
  *frames(from = this.firstN, to = this.lastN): Generator<Frame> {
    // From the segment holding `from` (its keyframe was taken before it), not the first.
    const first = this.segmentIndexOf(from - 1);
    for (let i = Math.max(0, first); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      for (let j = Math.max(0, from - seg.keyN - 1); j < seg.frames.length; j++) {
        const f = seg.frames[j]!;
        if (f.n > to) return;
        if (f.n >= from) yield f;
      }
    }
  }

  /** The last frame that had arrived by `t` (firstN - 1 when none had). */
  frameAt(t: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.t <= t) lo = mid;
      else hi = mid - 1;
    }
    const seg = this.segments[lo]!;
    let n = seg.keyN;
    for (const f of seg.frames) {
      if (f.t > t) break;
      n = f.n;
    }
    return Math.max(n, this.firstN - 1);
  }

  /** The time at which frame n arrived (the oldest keyframe's for firstN - 1). */
  timeOf(n: number): number {
    return this.frame(n)?.t ?? (n < this.firstN ? this.startT : this.endT);
  }

  /** The state after frame `n`, built fresh (nothing in it is shared with the ring's keyframes). */
  /** `history`: the chart history to continue (a scratch one), instead of rebuilding it from the frames. */
  stateAfter(n: number, history?: History): Partial<RuntimeState> {
    const target = Math.max(this.firstN - 1, Math.min(n, this.lastN));
    const seg = this.segmentOf(target) ?? this.segments[0]!;
    history ??= this.historyBefore(seg.keyN, seg.t - 120_000);
    let s = { ...restored(seg.key), history } as RuntimeState;
    for (const f of seg.frames) {
      if (f.n > target) break;
      s = applyRecorded(s, f.m);
    }
    return s;
  }

  /** The keyframe at or before frame n: the frame it was taken after. */
  keyOf(n: number): number {
    return (this.segmentOf(Math.max(this.firstN - 1, Math.min(n, this.lastN))) ?? this.segments[0])?.keyN ?? -1;
  }

  /** The chart history as it stood after frame n, over the last `historyMs` before it. */
  historyAt(n: number, historyMs = 120_000): History {
    const history = new History();
    const from = this.frameAt(this.timeOf(n) - historyMs) + 1;
    for (const f of this.frames(from, n)) if (f.m.type === 'snapshot' || f.m.type === 'delta') history.sample(f.m.at, f.m.node, f.m.schedulers);
    return history;
  }

  /** Applies frames from+1..to onto a state already after frame `from` (a forward scrub). */
  advance(s: RuntimeState, from: number, to: number): RuntimeState {
    let out = s;
    for (const f of this.frames(from + 1, to)) out = applyRecorded(out, f.m);
    return out;
  }

  /**
   * Whether going from frame `from` to `to` is cheaper by applying the frames than by restoring
   * the keyframe before `to`. A restore builds a Map of every process (`processes`); applying a
   * row costs a few times a Map entry, so frames win up to a quarter of that many rows.
   */
  canAdvance(from: number, to: number, processes = 0): boolean {
    if (to < from || from < this.firstN - 1) return false;
    const seg = this.segmentOf(to);
    if (seg === undefined) return false;
    if (from >= seg.keyN) return true;
    let rows = 0;
    for (const f of this.frames(from + 1, seg.keyN)) {
      rows += rowsOf(f.m);
      if (rows > processes / 4) return false;
    }
    return true;
  }

  clear(): void {
    this.segments = [];
    this.markerList = [];
    this.byteCount = 0;
    this.rowsSinceKey = 0;
    this.revision++;
  }

  private segmentOf(n: number): Segment | undefined {
    const i = this.segmentIndexOf(n);
    return i < 0 ? undefined : this.segments[i];
  }

  /** The index of the last segment whose keyframe was taken at or before frame n, or -1. */
  private segmentIndexOf(n: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    if (hi < 0 || n < this.segments[0]!.keyN) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.keyN <= n) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A chart history rebuilt from the frames after `since` up to frame `upTo` (the restored keyframe's). */
  private historyBefore(upTo: number, since: number): History {
    const history = new History();
    const from = this.frameAt(since) + 1;
    if (upTo < from) return history;
    for (const f of this.frames(from, upTo)) if (f.m.type === 'snapshot' || f.m.type === 'delta') history.sample(f.m.at, f.m.node, f.m.schedulers);
    return history;
  }

  private pushKey(key: Keyframe, keyN: number, t: number): void {
    const bytes = 64 + (key.processes.length + key.departed.length + key.supervisors.length) * 16;
    this.segments.push({ key, keyN, t, frames: [], bytes });
    this.byteCount += bytes;
    this.rowsSinceKey = 0;
  }

  private evict(now: number): void {
    while (this.segments.length > 1 && (this.segments[1]!.t <= now - this.windowMs || this.byteCount > this.maxBytes)) {
      const gone = this.segments.shift()!;
      this.byteCount -= gone.bytes;
    }
    const first = this.firstN;
    let drop = 0;
    while (drop < this.markerList.length && this.markerList[drop]!.n < first) drop++;
    if (drop > 0) this.markerList.splice(0, drop);
  }
}

// --- Keyframes ---

/** The store's initial state, as an image (what a recording holds before its first message). */
const EMPTY_IMAGE: StateImage = initialRuntimeState();

/** Copies what ingest edits in place (the Maps, the departed entries); rows and arrays are replaced, never edited. */
export function imageOf(s: StateImage): StateImage {
  return {
    seq: s.seq,
    at: s.at,
    node: s.node,
    schedulers: s.schedulers,
    processes: new Map(s.processes),
    processTotal: s.processTotal,
    supervisors: new Map(s.supervisors),
    applications: s.applications,
    available: s.available,
    departed: copyDeparted(s.departed),
    escalations: new Map(s.escalations),
    events: s.events,
    details: new Map(s.details),
    tables: s.tables,
    tablePage: s.tablePage,
  };
}

function copyDeparted(d: Map<Pid, Departed>): Map<Pid, Departed> {
  const out = new Map<Pid, Departed>();
  for (const [pid, entry] of d) out.set(pid, { ...entry });
  return out;
}

/**
 * A keyframe keeps the Maps' values as arrays (each value knows its key): taking one costs a
 * copy of the values, some times cheaper than a copy of the Map, on the tick that takes it.
 */
export interface Keyframe extends Omit<StateImage, 'processes' | 'supervisors' | 'departed' | 'escalations' | 'details'> {
  processes: ProcessRow[];
  supervisors: SupervisorRow[];
  departed: Departed[];
  escalations: IntensityExceededEvent[];
  details: Array<[Pid, ProcessDetail | null]>;
}

export function keyframeOf(s: StateImage): Keyframe {
  const departed: Departed[] = [];
  for (const d of s.departed.values()) departed.push({ ...d });
  return {
    seq: s.seq,
    at: s.at,
    node: s.node,
    schedulers: s.schedulers,
    processes: [...s.processes.values()],
    processTotal: s.processTotal,
    supervisors: [...s.supervisors.values()],
    applications: s.applications,
    available: s.available,
    departed,
    escalations: [...s.escalations.values()],
    events: s.events,
    details: [...s.details],
    tables: s.tables,
    tablePage: s.tablePage,
  };
}

/** A keyframe as store fields: fresh Maps, and every counter moved on so views recompute. */
function restored(key: Keyframe): Partial<RuntimeState> {
  const processes = new Map<Pid, ProcessRow>();
  for (const r of key.processes) processes.set(r.pid, r);
  const supervisors = new Map<Pid, SupervisorRow>();
  for (const r of key.supervisors) supervisors.set(r.pid, r);
  const departed = new Map<Pid, Departed>();
  for (const d of key.departed) departed.set(d.row.pid, { ...d });
  const escalations = new Map<Pid, IntensityExceededEvent>();
  for (const e of key.escalations) escalations.set(e.supervisor, e);
  return { ...key, processes, supervisors, departed, escalations, details: new Map(key.details), ...freshCounters() };
}

/**
 * The rows that frames from+1..to (either way round) may replace, add or remove, each as `rows`
 * holds it now (undefined: not listed), or null when one of the frames is a snapshot (it replaces
 * every row) or more than `limit` rows are named.
 */
export function rowsTouched(rec: Recording, from: number, to: number, rows: ReadonlyMap<Pid, ProcessRow>, limit: number): Map<Pid, ProcessRow | undefined> | null {
  const out = new Map<Pid, ProcessRow | undefined>();
  const note = (pid: Pid): void => {
    if (!out.has(pid)) out.set(pid, rows.get(pid));
  };
  for (const f of rec.frames(Math.min(from, to) + 1, Math.max(from, to))) {
    const m = f.m;
    if (m.type === 'snapshot') return null;
    if (m.type !== 'delta') continue;
    for (const r of m.processes) note(r.pid);
    for (const pid of m.quiet ?? []) note(pid);
    for (const pid of m.removed) note(pid);
    if (out.size > limit) return null;
  }
  return out;
}

/**
 * The counters and change of a state `next` reached from `prev` by other means than one ingest
 * (a scrub: frames applied or undone, or a keyframe restored): the pids in `before` (each with the
 * row it had in `prev`, read before the move) are compared with `next`'s rows, so the views that
 * follow changes (the tree, the table's order, the rates) take the few rows that moved rather than
 * every row. With `before` null, a change that says "everything". Every counter moves on from
 * `prev`'s (the store's counters never go back).
 */
export function scrubCounters(
  prev: RuntimeState, next: RuntimeState, before: ReadonlyMap<Pid, ProcessRow | undefined> | null,
): Pick<RuntimeState, 'revision' | 'membership' | 'eventsRevision' | 'detailsRevision' | 'escalationsRevision' | 'lastChange'> {
  if (before === null) return freshCounters();
  const added: Pid[] = [];
  const removed: ProcessRow[] = [];
  const updated: Pid[] = [];
  for (const [pid, was] of before) {
    const row = next.processes.get(pid);
    if (row === was) continue;
    if (was === undefined) added.push(pid);
    else if (row === undefined) removed.push(was);
    else updated.push(pid);
  }
  // One more than before, so the views that follow changes one revision at a time keep doing
  // so; and fresh counters (a later restore) start above it.
  const bump = (n: number): number => {
    restoreCount = Math.max(restoreCount, n + 1);
    return n + 1;
  };
  return {
    revision: bump(prev.revision),
    membership: added.length > 0 || removed.length > 0 ? bump(prev.membership) : prev.membership,
    eventsRevision: next.events !== prev.events ? bump(prev.eventsRevision) : prev.eventsRevision,
    detailsRevision: bump(prev.detailsRevision),
    // Escalations are edited in place by the frames: moved on each time (few views read them).
    escalationsRevision: bump(prev.escalationsRevision),
    lastChange: { added, removed, updated, full: false, facts: [] },
  };
}

/** Counters no view has seen, and a change that says "everything": for a state rebuilt rather than applied. */
export function freshCounters(): Pick<RuntimeState, 'revision' | 'membership' | 'eventsRevision' | 'detailsRevision' | 'escalationsRevision' | 'lastChange'> {
  const n = ++restoreCount;
  return { revision: n, membership: n, eventsRevision: n, detailsRevision: n, escalationsRevision: n, lastChange: { added: [], removed: [], updated: [], full: true, facts: [] } };
}

// Counters of a restored state only ever grow, so a view memoized on one never sees an old value again.
let restoreCount = 1_000_000_000;

/** One recorded message applied to a state, as the store's ingest would (runtimeStore.ts). */
export function applyRecorded(s: RuntimeState, m: RecordedMessage): RuntimeState {
  switch (m.type) {
    case 'snapshot':
      return { ...s, ...applySnapshot(s, m) };
    case 'delta':
      return { ...s, ...applyDelta(s, m) };
    case 'events':
      return { ...s, ...applyEvents(s, m) };
    case 'process_detail':
      return { ...s, ...applyDetail(s, m) };
    case 'tables':
      return { ...s, tables: m.tables };
    case 'table':
      return { ...s, tablePage: { table: m.table, total: m.total, offset: m.offset, rows: m.rows } };
  }
}

// --- Markers ---

/** The events a frame brings that the timeline marks and stepping walks through. */
export function factsOf(m: RecordedMessage): readonly InspectorEvent[] {
  const events = m.type === 'delta' ? (m.events ?? []) : m.type === 'events' && m.backlog !== true ? m.events : [];
  return events.filter((e) => isLifecycleEvent(e) || e.type === 'orchard.scheduler.replaced');
}

export function markerOf(m: RecordedMessage, n: number, t: number): Marker | null {
  const facts = factsOf(m);
  if (facts.length === 0) return null;
  const escalation = facts.find((e) => e.type === 'orchard.supervisor.intensity_exceeded');
  const replaced = facts.find((e) => e.type === 'orchard.scheduler.replaced');
  const restart = facts.find((e): e is Extract<LifecycleEvent, { type: 'orchard.supervisor.restarted' }> => e.type === 'orchard.supervisor.restarted');
  const kill = facts.find((e) => e.type === 'orchard.process.exited' && e.reason === 'killed');
  if (escalation !== undefined && escalation.type === 'orchard.supervisor.intensity_exceeded') {
    return { n, t, kind: 'escalation', facts, label: `escalation: ${escalation.supervisor} gave up (${escalation.restarts} restarts, at most ${escalation.intensity} in ${escalation.period} s)` };
  }
  if (replaced !== undefined && replaced.type === 'orchard.scheduler.replaced') {
    return { n, t, kind: 'scheduler', facts, label: `scheduler ${replaced.scheduler} replaced: ${replaced.reason}` };
  }
  if (restart !== undefined) {
    const more = facts.filter((e) => e.type === 'orchard.supervisor.restarted').length - 1;
    return { n, t, kind: 'restart', facts, label: `restart: ${restart.childId} ${restart.oldPid ?? '?'} → ${restart.newPid ?? 'failed'} (${restart.reason})${more > 0 ? ` and ${more} more` : ''}` };
  }
  if (kill !== undefined && kill.type === 'orchard.process.exited') return { n, t, kind: 'kill', facts, label: `kill: ${kill.pid}${kill.childId ? ` (${kill.childId})` : ''}` };
  return null;
}

// --- Size ---

function rowsOf(m: RecordedMessage): number {
  if (m.type === 'snapshot') return m.processes.length;
  if (m.type === 'delta') return m.processes.length + m.removed.length + (m.quiet?.length ?? 0);
  return 1;
}

/** A rough size of a message in memory: about 320 bytes a row, 160 an event (what a heap snapshot shows). */
export function estimateBytes(m: RecordedMessage): number {
  switch (m.type) {
    case 'snapshot':
      return 512 + m.processes.length * 320 + m.supervisors.length * 400;
    case 'delta':
      return 512 + m.processes.length * 320 + (m.removed.length + (m.quiet?.length ?? 0)) * 24 + m.supervisors.length * 400 + (m.events?.length ?? 0) * 160;
    case 'events':
      return 128 + m.events.length * 160;
    case 'process_detail':
      return 1_024 + (m.detail === null ? 0 : m.detail.mailbox.length * 160 + m.detail.events.length * 160);
    case 'tables':
      return 128 + m.tables.length * 160;
    case 'table':
      return 128 + m.rows.length * 160;
  }
}
