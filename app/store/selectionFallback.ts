/**
 * Where the selection goes when the selected process is removed: to its supervisor, as React
 * DevTools' tree selects the nearest surviving ancestor. When the supervisor went in the same
 * batch (a one_for_all restart, an escalation), walk up further; the parent stands in for
 * processes that have no supervisor.
 */
import type { Pid, ProcessRow } from '../protocol.ts';

/** The new selection, or `undefined` when `selected` was not removed. */
export function fallbackSelection(
  selected: Pid | null,
  removed: readonly ProcessRow[],
  isAlive: (pid: Pid) => boolean,
): Pid | null | undefined {
  if (selected === null || removed.length === 0) return undefined;
  const gone = new Map(removed.map((r) => [r.pid, r]));
  let row = gone.get(selected);
  if (row === undefined) return undefined;
  for (let hops = 0; hops < 64; hops++) {
    const up: Pid | null = row.supervisor ?? row.parent;
    if (up === null) return null;
    if (isAlive(up)) return up;
    const next = gone.get(up);
    if (next === undefined) return null;
    row = next;
  }
  return null;
}
