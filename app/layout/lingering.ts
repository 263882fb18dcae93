/**
 * Leaves that just left the tree keep their place in the layout for a moment. When a task
 * finishes, its siblings would otherwise close up at once and the trees below move up, so its
 * death could only be drawn where another process now stands (a halo from InfoSys beside
 * Pooly's worker_5). The tree is laid out from the forest plus these leaves; cards and the
 * canvas draw only the forest's own nodes, so the slot stays empty while its halo fades.
 */
import type { Forest, TreeNode } from './supervisionForest.ts';

export interface Lingering {
  /** The node as it was last drawn. */
  node: TreeNode;
  /** Its place among its parent's children when it left. */
  index: number;
  /** performance.now() after which it is dropped. */
  until: number;
}

/** What the layout needs of a forest. */
export type LayoutInput = Pick<Forest, 'roots' | 'shape'>;

/** The leaves of `previous` that `next` no longer has, under a parent `next` still has. */
export function departedLeaves(previous: Forest, next: Forest): Array<{ node: TreeNode; index: number }> {
  const out: Array<{ node: TreeNode; index: number }> = [];
  // Any departure changes the shape: equal shapes, nothing left (and no walk over 10,000 keys).
  if (previous === next || previous.shape === next.shape) return out;
  for (const [key, n] of previous.byKey) {
    if (n.children.length > 0 || n.parentKey === null || n.status === 'dead' || next.byKey.has(key) || !next.byKey.has(n.parentKey)) continue;
    const parent = previous.byKey.get(n.parentKey);
    out.push({ node: n, index: parent === undefined ? 0 : parent.children.indexOf(n) });
  }
  return out;
}

/**
 * `forest`'s roots with each lingering leaf put back under its parent at its old index (a leaf
 * whose key is back, or whose parent is gone, is left out). Only the nodes on the way to a root
 * are copied.
 */
export function withLingering(forest: Forest, lingering: ReadonlyMap<string, Lingering>): LayoutInput {
  const under = new Map<string, Lingering[]>();
  for (const l of lingering.values()) {
    const parentKey = l.node.parentKey;
    if (parentKey === null || forest.byKey.has(l.node.key) || !forest.byKey.has(parentKey)) continue;
    let list = under.get(parentKey);
    if (list === undefined) under.set(parentKey, (list = []));
    list.push(l);
  }
  if (under.size === 0) return forest;
  const copy = new Set<string>();
  for (const parentKey of under.keys()) {
    for (let n = forest.byKey.get(parentKey); n !== undefined && !copy.has(n.key); n = n.parentKey === null ? undefined : forest.byKey.get(n.parentKey)) copy.add(n.key);
  }
  const rebuild = (n: TreeNode): TreeNode => {
    if (!copy.has(n.key)) return n;
    const children = n.children.map(rebuild);
    for (const l of (under.get(n.key) ?? []).sort((a, b) => a.index - b.index)) {
      children.splice(Math.min(l.index, children.length), 0, l.node);
    }
    return { ...n, children };
  };
  const extra = [...lingering.keys()].filter((k) => !forest.byKey.has(k)).sort().join('\u0001');
  return { roots: forest.roots.map(rebuild), shape: `${forest.shape}\u0003${extra}` };
}
