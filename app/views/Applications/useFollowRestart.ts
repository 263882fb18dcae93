/**
 * Keeps the selection on a place in the tree across a restart. When the selected process dies,
 * the UI store moves the selection to its supervisor (selectionFallback.ts), which suits a
 * table; in the tree the person is looking at a place, so once the supervisor has started a
 * new process there, the selection moves to it.
 */
import { useEffect, useRef } from 'react';
import type { Forest } from '../../layout/supervisionForest.ts';
import type { Pid } from '../../protocol.ts';

export function useFollowRestart(forest: Forest, selected: Pid | null, select: (pid: Pid) => void, isAlive: (pid: Pid) => boolean): void {
  const place = useRef<{ key: string; pid: Pid } | null>(null);

  useEffect(() => {
    const last = place.current;
    if (selected === null) return;
    const node = forest.byPid.get(selected);
    if (node === undefined) return;
    // The supervisor of the place we follow, selected because that place's pid died (its row may
    // leave the store a tick before its supervisor's row says so): keep following.
    if (last !== null && node.key === forest.byKey.get(last.key)?.parentKey && (forest.byKey.get(last.key)?.pid !== last.pid || !isAlive(last.pid))) return;
    place.current = { key: node.key, pid: selected };
  }, [selected, forest]);

  useEffect(() => {
    const last = place.current;
    if (last === null) return;
    const node = forest.byKey.get(last.key);
    if (node === undefined || node.pid === null || node.pid === last.pid || node.status === 'dead') return;
    const parentPid = node.parentKey === null ? null : (forest.byKey.get(node.parentKey)?.pid ?? null);
    if (selected === last.pid || selected === null || selected === parentPid) {
      place.current = { key: last.key, pid: node.pid };
      select(node.pid);
    }
  }, [forest]);
}
