/**
 * Finds processes in the supervision forest by pid, registered name, label or child id, for
 * "reveal in tree": the matches in start order (depth first), so "next" walks down the tree.
 */
import { parsePidText } from '../protocol.ts';
import { type Forest, type TreeNode, forEachNode } from './supervisionForest.ts';

const NONE: TreeNode[] = [];

/** (No query: one empty list, the same each time, so what is memoized on it stays.) */
export function searchForest(forest: Forest, query: string, limit = 500): TreeNode[] {
  const q = query.trim().toLowerCase();
  if (q === '') return NONE;
  // A whole pid (`<0.12.0>`, `0.12.0`) finds exactly that process, as people paste them.
  const pid = /^<?0\.\d+\.\d+>?$/.test(q) ? parsePidText(q.replace(/^<|>$/g, '')) : null;
  if (pid !== null) {
    const hit = forest.byPid.get(pid);
    return hit === undefined ? [] : [hit];
  }
  const out: TreeNode[] = [];
  for (const root of forest.roots) {
    forEachNode(root, (n) => {
      if (out.length >= limit) return;
      if (matches(n, q)) out.push(n);
    });
  }
  return out;
}

function matches(n: TreeNode, q: string): boolean {
  return (
    (n.pid !== null && n.pid.includes(q)) ||
    n.title.toLowerCase().includes(q) ||
    (n.name !== null && n.name.toLowerCase().includes(q)) ||
    (n.label !== null && n.label.toLowerCase().includes(q)) ||
    (n.childId !== null && n.childId.toLowerCase().includes(q))
  );
}
