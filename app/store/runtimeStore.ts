/**
 * The ingest store: the one source of truth for what the inspected runtime last told us.
 * A zustand vanilla store written only by the protocol session (app/client/session.ts),
 * outside React; views read slices with `useStore(runtimeStore, selector)`.
 *
 * Big collections (`processes`, `supervisors`, `details`) are Maps mutated in place, as React
 * DevTools' store keeps its element map: copying 100,000 rows ten times a second would cost
 * more than drawing them. Every change bumps a counter (`revision` for the process table,
 * `eventsRevision`, `detailsRevision`), so a selector reads the counter and memoizes on it.
 */
import { createStore } from 'zustand/vanilla';
import type {
  ApplicationRow, Capability, InspectorEvent, IntensityExceededEvent, LifecycleEvent, NodeStats, Pid, ProcessDetail, ProcessRow, RuntimeIdentity, AnyRuntimeMessage,
  SchedulerRow, SupervisorRow, TableRow, ValuePreview,
} from '../protocol.ts';
import { History } from './History.ts';
import { applyDelta, applyDetail, applyEvents, applySnapshot } from './ingest.ts';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'refused' | 'gone';

export interface ConnectionState {
  status: ConnectionStatus;
  /** What we attach to, as a person reads it: "this page", an iframe's URL, a window's URL. */
  target: string;
  runtime: RuntimeIdentity | null;
  granted: Capability[];
  /** Why we are not connected (refusal reason, timeout, the window closed). */
  message: string | null;
}

/** A process that left in a recent revision: its last row and why it went (its death's reason). */
export interface Departed {
  row: ProcessRow;
  at: number;
  /** null only until a v1 runtime's death event, which follows the delta, arrives. */
  reason: string | null;
}

export interface AvailableApplication {
  name: string;
  description: string;
}

export interface TablePage {
  table: string;
  total: number;
  offset: number;
  rows: ValuePreview[];
}

/** What the last snapshot or delta changed: views animate from it, the UI store re-selects from it. */
export interface LastChange {
  added: Pid[];
  removed: ProcessRow[];
  /** Processes already listed whose row was replaced (new data). */
  updated: Pid[];
  /** True for a snapshot: everything may have changed. */
  full: boolean;
  /** The deaths, restarts and escalations applied with this change, in order. */
  facts: readonly LifecycleEvent[];
}

export interface RuntimeState {
  connection: ConnectionState;
  revision: number;
  /** Bumped only when processes are added or removed (sorting by pid or name needs no more). */
  membership: number;
  seq: number;
  /** Runtime time (ms since the epoch) of the last snapshot or delta. */
  at: number;
  node: NodeStats | null;
  schedulers: SchedulerRow[];
  processes: Map<Pid, ProcessRow>;
  /** All processes in the runtime; `processes` may hold only the top N of them. */
  processTotal: number;
  supervisors: Map<Pid, SupervisorRow>;
  applications: ApplicationRow[];
  available: AvailableApplication[];
  lastChange: LastChange;
  /** Recently removed processes, newest last, at most DEPARTED_CAPACITY. */
  departed: Map<Pid, Departed>;
  /** Supervisors that gave up (exceeded their restart intensity), by pid: why, from the fact. */
  escalations: Map<Pid, IntensityExceededEvent>;
  escalationsRevision: number;
  history: History;
  /** The flight recorder, oldest first, at most EVENT_CAPACITY. */
  events: InspectorEvent[];
  eventsRevision: number;
  /** Details of the processes being watched; null when the process is gone. */
  details: Map<Pid, ProcessDetail | null>;
  detailsRevision: number;
  tables: TableRow[] | null;
  tablePage: TablePage | null;
}

export interface RuntimeActions {
  /** Applies one message from the runtime. Messages that carry no state (ok, error) are ignored. */
  ingest(message: AnyRuntimeMessage): void;
  setConnection(patch: Partial<ConnectionState>): void;
  /** Drops a process's detail when nobody watches it any more. */
  forgetDetail(pid: Pid): void;
  /** Forgets the inspected runtime's data (a new attach target). */
  reset(): void;
  /**
   * Hears every message after it is applied (`null`: the store was reset). The recorder
   * (recording.ts) listens here; returns the function that stops listening.
   */
  onIngest(fn: IngestTap): () => void;
}

export type IngestTap = (message: AnyRuntimeMessage | null, state: RuntimeState) => void;

export type RuntimeStore = ReturnType<typeof createRuntimeStore>;

export const EVENT_CAPACITY = 5_000;
export const DEPARTED_CAPACITY = 2_000;

export function initialRuntimeState(): RuntimeState {
  return {
    connection: { status: 'idle', target: '', runtime: null, granted: [], message: null },
    revision: 0,
    membership: 0,
    seq: -1,
    at: 0,
    node: null,
    schedulers: [],
    processes: new Map(),
    processTotal: 0,
    supervisors: new Map(),
    applications: [],
    available: [],
    lastChange: { added: [], removed: [], updated: [], full: true, facts: [] },
    departed: new Map(),
    escalations: new Map(),
    escalationsRevision: 0,
    history: new History(),
    events: [],
    eventsRevision: 0,
    details: new Map(),
    detailsRevision: 0,
    tables: null,
    tablePage: null,
  };
}

export function createRuntimeStore() {
  const taps = new Set<IngestTap>();
  return createStore<RuntimeState & RuntimeActions>()((set, get) => ({
    ...initialRuntimeState(),
    ingest(message) {
      applyMessage(get(), message, set);
      for (const tap of taps) tap(message, get());
    },
    setConnection(patch) {
      set({ connection: { ...get().connection, ...patch } });
    },
    forgetDetail(pid) {
      if (get().details.delete(pid)) set({ detailsRevision: get().detailsRevision + 1 });
    },
    reset() {
      const { connection } = get();
      set({ ...initialRuntimeState(), connection });
      for (const tap of taps) tap(null, get());
    },
    onIngest(fn) {
      taps.add(fn);
      return () => taps.delete(fn);
    },
  }));
}

function applyMessage(s: RuntimeState, message: AnyRuntimeMessage, set: (patch: Partial<RuntimeState>) => void): void {
  switch (message.type) {
    case 'snapshot':
      return set(applySnapshot(s, message));
    case 'delta':
      return set(applyDelta(s, message));
    case 'events':
      return set(applyEvents(s, message));
    case 'process_detail':
      return set(applyDetail(s, message));
    case 'tables':
      return set({ tables: message.tables });
    case 'table':
      return set({ tablePage: { table: message.table, total: message.total, offset: message.offset, rows: message.rows } });
    case 'welcome':
      return set({ connection: { ...s.connection, status: 'connected', runtime: message.runtime, granted: [...message.granted], message: null } });
    case 'refused':
      return set({ connection: { ...s.connection, status: 'refused', message: `${message.reason} (${message.code})` } });
    case 'goodbye':
      return set({ connection: { ...s.connection, status: 'gone', message: message.reason } });
    default:
      return undefined;
  }
}
