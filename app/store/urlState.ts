/**
 * The linkable part of the UI state in the address bar's query string, so a view can be linked
 * and reloaded: `?tab=processes&pid=<0.12.0>&q=pool&sort=mailbox.desc`. Defaults are left out.
 */
import type { InspectorEventType } from '../protocol.ts';
import { isPidText } from '../protocol.ts';
import { isSortColumn } from './processQuery.ts';
import { isTabId } from './tabs.ts';
import { initialUiState, type UiState, type UiStore } from './uiStore.ts';

type Linked = Pick<UiState, 'tab' | 'selected' | 'detailOpen' | 'search' | 'sort' | 'paused' | 'refreshMs' | 'eventFilter' | 'chart' | 'openTable'>;

export function readUrlState(search: string): Partial<UiState> {
  const p = new URLSearchParams(search);
  const out: Partial<UiState> = {};
  const tab = p.get('tab');
  if (isTabId(tab)) out.tab = tab;
  const pid = p.get('pid');
  if (pid !== null && isPidText(pid)) {
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
const OWNED = ['tab', 'pid', 'detail', 'q', 'sort', 'paused', 'refresh', 'table', 'ev', 'evq', 'window', 'sample'];

export function writeUrlState(s: Linked, current = ''): string {
  const d = initialUiState();
  const p = new URLSearchParams(current);
  for (const key of OWNED) p.delete(key);
  if (s.tab !== d.tab) p.set('tab', s.tab);
  if (s.selected !== null) {
    p.set('pid', s.selected);
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
export function bindUrl(ui: UiStore, win: Window = window): () => void {
  ui.getState().hydrate(readUrlState(win.location.search));
  const unsubscribe = ui.subscribe((s, prev) => {
    const next = writeUrlState(s, win.location.search);
    if (next === win.location.search) return;
    const url = `${win.location.pathname}${next}${win.location.hash}`;
    if (s.tab !== prev.tab) win.history.pushState(null, '', url);
    else win.history.replaceState(null, '', url);
  });
  const onPop = (): void => ui.getState().hydrate({ ...pickLinkedDefaults(), ...readUrlState(win.location.search) });
  win.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', onPop);
  };
}

function pickLinkedDefaults(): Partial<UiState> {
  const d = initialUiState();
  return { tab: d.tab, selected: null, detailOpen: false, search: '', sort: d.sort, eventFilter: d.eventFilter, openTable: null };
}
