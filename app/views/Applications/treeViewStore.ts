/**
 * The Applications view's own UI state (STYLE G13: apart from the runtime's data): collapsed
 * subtrees, zoom and pan, overlays, the search, and the kill menu. Module-level, so switching
 * tabs and coming back finds the tree as it was left.
 */
import { createStore } from 'zustand/vanilla';
import { IDENTITY, type Transform } from '../../layout/viewport.ts';
import type { Pid } from '../../protocol.ts';
import type { SelectionMove } from '../../store/followSelection.ts';

export interface KillMenuState {
  key: string;
  pid: Pid;
  /** Where it opens, in the view's coordinates. */
  x: number;
  y: number;
  /** Opened with `k` on a selection the runtime moved: it arms no kill (followSelection.ts). */
  moved: SelectionMove | null;
}

export interface TreeViewState {
  collapsed: Set<string>;
  transform: Transform;
  /** The transform was set by the person (zoom, pan): stop fitting automatically. */
  userMoved: boolean;
  showLinks: boolean;
  showMonitors: boolean;
  query: string;
  /** Index into the current matches of `query`. */
  matchIndex: number;
  /** A node to bring into view once the layout has it (after expanding its ancestors). */
  reveal: { key: string; zoom: boolean } | null;
  menu: KillMenuState | null;
  /** The last kill sent from the tree, to say how it went. */
  lastKill: { key: string; pid: Pid; reason: string; at: number } | null;
  /** Bumped to ask the canvas to fit the whole forest. */
  fitRequest: number;
}

export const treeView = createStore<TreeViewState>()(() => ({
  collapsed: new Set(),
  transform: IDENTITY,
  userMoved: false,
  showLinks: false,
  showMonitors: false,
  query: '',
  matchIndex: 0,
  reveal: null,
  menu: null,
  lastKill: null,
  fitRequest: 0,
}));

export function setCollapsed(key: string, collapse: boolean): void {
  const { collapsed } = treeView.getState();
  if (collapsed.has(key) === collapse) return;
  const next = new Set(collapsed);
  if (collapse) next.add(key);
  else next.delete(key);
  treeView.setState({ collapsed: next });
}

export function expandAll(keys: Iterable<string>): void {
  const { collapsed } = treeView.getState();
  let next: Set<string> | null = null;
  for (const k of keys) {
    if (!collapsed.has(k)) continue;
    next ??= new Set(collapsed);
    next.delete(k);
  }
  if (next !== null) treeView.setState({ collapsed: next });
}

export function requestFit(): void {
  treeView.setState((s) => ({ fitRequest: s.fitRequest + 1, userMoved: false }));
}
