/**
 * The tree's keys, while it has the focus: arrows walk the tree (up and down among siblings,
 * left to the parent, right to the first child, expanding it), Enter opens the detail panel,
 * `k` or Delete opens the kill menu, `c` collapses or expands, `f` fits, `+`/`-` zoom.
 * Handled keys stop here, so the app's own `k` (its kill dialog) does not fire as well.
 */
import { type KeyboardEvent, useCallback } from 'react';
import type { Forest } from '../../layout/supervisionForest.ts';
import type { TreeLayout } from '../../layout/treeLayout.ts';
import { zoomAt } from '../../layout/viewport.ts';
import { requestFit, setCollapsed, treeView } from './treeViewStore.ts';

export interface TreeKeyboardOptions {
  forest: Forest;
  layout: TreeLayout;
  selectedKey: string | null;
  onSelect(key: string, open: boolean): void;
  /** `byKey`: opened with `k` on the selection as it is (not a fresh selection). */
  openMenu(key: string, x: number, y: number, byKey?: boolean): void;
  onToggle(key: string): void;
  area: { w: number; h: number };
}

export function useTreeKeyboard(o: TreeKeyboardOptions) {
  const { forest, layout, selectedKey, onSelect, openMenu, onToggle, area } = o;
  return useCallback(
    (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement;
      if (target.closest('input,textarea,select,[role=dialog]')) return;
      const go = (key: string | undefined) => {
        if (key === undefined) return;
        onSelect(key, false);
        treeView.setState({ reveal: { key, zoom: false } });
      };
      const node = selectedKey === null ? undefined : forest.byKey.get(selectedKey);
      const siblings = (): string[] => {
        if (node === undefined) return [];
        const parent = node.parentKey === null ? null : forest.byKey.get(node.parentKey);
        return (parent === null || parent === undefined ? forest.roots : parent.children).map((c) => c.key).filter((k) => layout.byKey.has(k));
      };
      let handled = true;
      switch (e.key) {
        case 'ArrowDown':
        case 'ArrowUp': {
          if (node === undefined) {
            go(layout.nodes[0]?.key);
            break;
          }
          const sib = siblings();
          const i = sib.indexOf(node.key);
          go(sib[e.key === 'ArrowDown' ? Math.min(sib.length - 1, i + 1) : Math.max(0, i - 1)]);
          break;
        }
        case 'ArrowLeft':
          if (node?.parentKey != null) go(node.parentKey);
          break;
        case 'ArrowRight':
          if (node !== undefined && node.children.length > 0) {
            setCollapsed(node.key, false);
            go(node.children[0]!.key);
          }
          break;
        case 'Enter':
          if (node !== undefined) onSelect(node.key, true);
          break;
        case 'k':
        case 'Delete': {
          if (node === undefined) break;
          const p = layout.byKey.get(node.key);
          const t = treeView.getState().transform;
          const x = p === undefined ? area.w / 2 : (p.x + p.w) * t.k + t.x;
          const y = p === undefined ? area.h / 2 : p.y * t.k + t.y;
          openMenu(node.key, Math.max(0, Math.min(area.w - 40, x)), Math.max(0, Math.min(area.h - 40, y)), true);
          break;
        }
        case 'c':
          if (node !== undefined && node.children.length > 0) onToggle(node.key);
          break;
        case 'f':
          requestFit();
          break;
        case '+':
        case '=':
        case '-': {
          const t = treeView.getState().transform;
          treeView.setState({ transform: zoomAt(t, e.key === '-' ? 1 / 1.25 : 1.25, area.w / 2, area.h / 2), userMoved: true });
          break;
        }
        default:
          handled = false;
      }
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    },
    [forest, layout, selectedKey, onSelect, openMenu, onToggle, area],
  );
}
