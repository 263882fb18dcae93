/**
 * The linkable part of the UI state in the address bar's query string, so a view can be linked
 * and reloaded: `?tab=processes&pid=<0.12.0>&q=pool&sort=mailbox.desc`. Defaults are left out.
 *
 * A pid does not survive a reload (the page starts a fresh runtime, whose pids name other
 * processes), so the selection also goes as `proc=`: its registered name or its place in a
 * supervision tree (processIdentity.ts), resolved again once the runtime's data is in; when
 * nothing has that identity any more, `urlNotice` says so.
 */
import type { InspectorEventType } from '../protocol.ts';
import { isPidText } from '../protocol.ts';
import { isSortColumn } from './processQuery.ts';
import { isTabId } from './tabs.ts';
import { createStore } from 'zustand/vanilla';
import { identityOf, resolveIdentity } from './processIdentity.ts';
import type { RuntimeStore } from './runtimeStore.ts';
import { initialUiState, type UiState, type UiStore } from './uiStore.ts';

/** What a link asked for and this runtime does not have, for the shell to say. */
export const urlNotice = createStore<{ text: string | null }>()(() => ({ text: null }));

/** How long (runtime ms after the first snapshot) a `proc=` may take to appear: applications the page starts come a little after. */
const RESOLVE_WITHIN_MS = 3_000;

type Linked = Pick<UiState, 'tab' | 'selected' | 'detailOpen' | 'search' | 'sort' | 'paused' | 'refreshMs' | 'eventFilter' | 'chart' | 'openTable'>;

export function readUrlState(search: string): Partial<UiState> {
  const p = new URLSearchParams(search);
  const out: Partial<UiState> = {};
  const tab = p.get('tab');
  if (isTabId(tab)) out.tab = tab;
  const pid = p.get('pid');
  // With a stable identity, the pid is only what it was: the identity is resolved later.
  if (pid !== null && isPidText(pid) && !p.has('proc')) {
    out.selected = pid;
    out.detailOpen = p.get('detail') !== '0';
  }
  const table = p.get('table');
  if (table !== null && table !== '') out.openTable = table;
  const q = p.get('q');
  if (q !== null) out.search = q;
  const [written, dir] = (p.get('sort') ?? '').split('.');
  // Links from before the column showed reductions per second.
  const key = written === 'reductionsDelta' ? 'reductionsRate' : written;
  if (isSortColumn(key) && (dir === 'asc' || dir === 'desc')) out.sort = { key, dir };
  if (p.get('paused') === '1') out.paused = true;
  const rate = Number(p.get('refresh'));
  if (Number.isFinite(rate) && rate >= 50 && rate <= 10_000) out.refreshMs = rate;
  const ev = p.get('ev');
  const evq = p.get('evq');
  if (ev !== null || evq !== null) {
    out.eventFilter = {
      types: ev === null || ev === '' ? [] : (ev.split(',').map((t) => `orchard.${t}`) as InspectorEventType[]),
      text: evq ?? '',
    };
  }
  const win = Number(p.get('window'));
  const sample = Number(p.get('sample'));
  if (win > 0 || sample > 0) {
    const d = initialUiState().chart;
    out.chart = { windowSec: win > 0 ? win : d.windowSec, sampleMs: sample > 0 ? sample : d.sampleMs, frozen: false };
  }
  return out;
}

/** The query keys the UI state owns; others (the host page's own, like `allow`) are kept as they are. */
const OWNED = ['tab', 'pid', 'proc', 'detail', 'q', 'sort', 'paused', 'refresh', 'table', 'ev', 'evq', 'window', 'sample'];

export function writeUrlState(s: Linked, current = '', identity: string | null = null): string {
  const d = initialUiState();
  const p = new URLSearchParams(current);
  for (const key of OWNED) p.delete(key);
  if (s.tab !== d.tab) p.set('tab', s.tab);
  if (s.selected !== null) {
    p.set('pid', s.selected);
    if (identity !== null) p.set('proc', identity);
    if (!s.detailOpen) p.set('detail', '0');
  }
  if (s.search !== '') p.set('q', s.search);
  if (s.openTable !== null) p.set('table', s.openTable);
  if (s.sort.key !== d.sort.key || s.sort.dir !== d.sort.dir) p.set('sort', `${s.sort.key}.${s.sort.dir}`);
  if (s.paused) p.set('paused', '1');
  if (s.refreshMs !== d.refreshMs) p.set('refresh', String(s.refreshMs));
  if (s.eventFilter.types.length > 0) p.set('ev', s.eventFilter.types.map((t) => t.replace(/^orchard\./, '')).join(','));
  if (s.eventFilter.text !== '') p.set('evq', s.eventFilter.text);
  if (s.chart.windowSec !== d.chart.windowSec) p.set('window', String(s.chart.windowSec));
  if (s.chart.sampleMs !== d.chart.sampleMs) p.set('sample', String(s.chart.sampleMs));
  const text = p.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Mirrors the UI store in `location` (replaceState, so typing a filter does not flood the
 * history; a tab change pushes, so Back returns to the previous tab) and reads it back on
 * Back/Forward. Returns the unbind.
 */
export function bindUrl(ui: UiStore, win: Window = window, runtime?: RuntimeStore): () => void {
  ui.getState().hydrate(readUrlState(win.location.search));
  const identity = (s: UiState): string | null => (runtime === undefined || s.selected === null ? null : identityOf(runtime.getState(), s.selected));
  const write = (s: UiState, push: boolean): void => {
    const next = writeUrlState(s, win.location.search, identity(s));
    if (next === win.location.search) return;
    const url = `${win.location.pathname}${next}${win.location.hash}`;
    if (push) win.history.pushState(null, '', url);
    else win.history.replaceState(null, '', url);
  };
  const unsubscribe = ui.subscribe((s, prev) => write(s, s.tab !== prev.tab));
  // The identity of the selection may be known only once its rows (or its supervisor's) arrive.
  const offRuntime = runtime?.subscribe((r, prev) => {
    if (r.membership !== prev.membership && ui.getState().selected !== null) write(ui.getState(), false);
  });
  const offResolve = runtime === undefined ? () => {} : resolveLinked(ui, runtime, win.location.search);
  const onPop = (): void => ui.getState().hydrate({ ...pickLinkedDefaults(), ...readUrlState(win.location.search) });
  win.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    offRuntime?.();
    offResolve();
    win.removeEventListener('popstate', onPop);
  };
}

/** Selects the process a link's `proc=` names, once the runtime's data has it, or says it is gone. */
function resolveLinked(ui: UiStore, runtime: RuntimeStore, search: string): () => void {
  const p = new URLSearchParams(search);
  const wanted = p.get('proc');
  if (wanted === null || wanted === '') return () => {};
  const open = p.get('detail') !== '0';
  let firstAt = -1;
  let done = false;
  const off = runtime.subscribe((r) => {
    if (done || r.seq < 0 || r.at === 0) return;
    if (firstAt < 0) firstAt = r.at;
    const pid = resolveIdentity(r, wanted);
    if (pid !== null) {
      done = true;
      ui.getState().select(pid, open);
    } else if (r.at - firstAt >= RESOLVE_WITHIN_MS) {
      done = true;
      urlNotice.setState({ text: `The link names ${wanted}, and no process here has that name or place in a supervision tree (any more).` });
    } else return;
    queueMicrotask(off);
  });
  return off;
}

function pickLinkedDefaults(): Partial<UiState> {
  const d = initialUiState();
  return { tab: d.tab, selected: null, detailOpen: false, search: '', sort: d.sort, eventFilter: d.eventFilter, openTable: null };
}
