/**
 * UI state, apart from the runtime's data (STYLE G13): the tab, the selected process, filters,
 * live-update settings. A zustand vanilla store; urlState.ts mirrors the linkable part of it
 * in the address bar, and followSelection.ts moves the selection when the runtime kills or
 * restarts the selected process.
 */
import { createStore } from 'zustand/vanilla';
import type { InspectorEventType, Pid } from '../protocol.ts';
import { DEFAULT_SORT, type ProcessSort } from './processQuery.ts';
import type { SelectionMove } from './followSelection.ts';
import type { TabId } from './tabs.ts';

export interface EventFilter {
  /** Event types shown; empty means all. */
  types: InspectorEventType[];
  text: string;
}

export interface ChartSettings {
  /** Visible time window, seconds. */
  windowSec: number;
  /** One history sample per this many ms. */
  sampleMs: number;
  /** Freezes the charts' drawing; history keeps recording. */
  frozen: boolean;
}

export interface UiState {
  tab: TabId;
  selected: Pid | null;
  /** Set when the runtime moved the selection (followSelection.ts): then it arms no kill. */
  selectionMoved: SelectionMove | null;
  /** The process detail panel is open on `selected`. */
  detailOpen: boolean;
  /** Filter text of the process table. */
  search: string;
  sort: ProcessSort;
  /** Live updates stopped: the session unsubscribes until resumed. */
  paused: boolean;
  /** Snapshot interval asked of the runtime, ms. */
  refreshMs: number;
  /** Ask the runtime to hide the inspector's own processes (observer_cli #55, recon #22). */
  hideObserverProcesses: boolean;
  eventFilter: EventFilter;
  chart: ChartSettings;
  /** A kill waiting for the person's confirmation. */
  confirmKill: Pid | null;
  /** The table open in the Tables view, by id or name. */
  openTable: string | null;
}

export interface UiActions {
  setTab(tab: TabId): void;
  /** Selects a process; `open` also opens its detail panel. */
  select(pid: Pid | null, open?: boolean): void;
  closeDetail(): void;
  setSearch(text: string): void;
  /** Sorts by `key`; the same key again flips the direction. */
  sortBy(key: ProcessSort['key']): void;
  setPaused(paused: boolean): void;
  setRefreshMs(ms: number): void;
  setHideObserverProcesses(hide: boolean): void;
  setEventFilter(patch: Partial<EventFilter>): void;
  setChart(patch: Partial<ChartSettings>): void;
  askKill(pid: Pid | null): void;
  setOpenTable(table: string | null): void;
  /** Applies state read from a URL. */
  hydrate(patch: Partial<UiState>): void;
}

export type UiStore = ReturnType<typeof createUiStore>;

export const REFRESH_CHOICES_MS = [100, 250, 500, 1000, 2000, 5000] as const;
export const DEFAULT_REFRESH_MS = 100; // the protocol's default rate, 10 per second

export function initialUiState(): UiState {
  return {
    tab: 'system',
    selected: null,
    selectionMoved: null,
    detailOpen: false,
    search: '',
    sort: DEFAULT_SORT,
    paused: false,
    refreshMs: DEFAULT_REFRESH_MS,
    hideObserverProcesses: true,
    eventFilter: { types: [], text: '' },
    chart: { windowSec: 60, sampleMs: 500, frozen: false },
    confirmKill: null,
    openTable: null,
  };
}

export function createUiStore(initial: Partial<UiState> = {}) {
  return createStore<UiState & UiActions>()((set, get) => ({
    ...initialUiState(),
    ...initial,
    setTab: (tab) => set({ tab }),
    // A person's selection: a fresh one, which arms a kill again.
    select: (pid, open) => set(pid === null ? { selected: null, selectionMoved: null, detailOpen: false } : { selected: pid, selectionMoved: null, detailOpen: open ?? get().detailOpen }),
    closeDetail: () => set({ detailOpen: false }),
    setSearch: (search) => set({ search }),
    sortBy(key) {
      const { sort } = get();
      if (sort.key === key) set({ sort: { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } });
      else set({ sort: { key, dir: key === 'pid' || key === 'name' || key === 'behaviour' || key === 'status' ? 'asc' : 'desc' } });
    },
    setPaused: (paused) => set({ paused }),
    setRefreshMs: (refreshMs) => set({ refreshMs }),
    setHideObserverProcesses: (hideObserverProcesses) => set({ hideObserverProcesses }),
    setEventFilter: (patch) => set({ eventFilter: { ...get().eventFilter, ...patch } }),
    setChart: (patch) => set({ chart: { ...get().chart, ...patch } }),
    askKill: (confirmKill) => set({ confirmKill }),
    setOpenTable: (openTable) => set({ openTable }),
    hydrate: (patch) => set(patch),
  }));
}

