/**
 * Trees that fell: when an application's tree gives up (its root supervisor exceeds its
 * restart intensity) the runtime forgets it, but the person watching needs to see what
 * happened. The view keeps the tree's last shape and draws it dead, with each process's exit
 * reason, until the application is started again or the person dismisses it.
 */
import type { Pid } from '../protocol.ts';
import type { Forest, TreeNode } from './supervisionForest.ts';

export interface FallenTree {
  root: TreeNode;
  /** When the view noticed (ms since the epoch, runtime time). */
  at: number;
}

/** Application roots that were in `previous` and are not in `next`. */
export function fallenSince(previous: Forest | null, next: Forest): TreeNode[] {
  if (previous === null) return [];
  const alive = new Set(next.roots.map((r) => r.key));
  return previous.roots.filter((r) => r.kind === 'application' && !alive.has(r.key));
}

/** A copy of `root`'s tree with every process dead, and the reasons the runtime reported. */
export function deadCopy(root: TreeNode, reasonOf: (pid: Pid) => string | null): TreeNode {
  const copy = (n: TreeNode): TreeNode => ({
    ...n,
    status: 'dead',
    lastExitReason: (n.pid !== null ? reasonOf(n.pid) : null) ?? n.lastExitReason,
    children: n.children.map(copy),
  });
  return copy(root);
}

/**
 * `forest` with the fallen trees added as further roots (a fallen tree whose key is alive
 * again is left out: the application was started again). Shape includes them, so the layout
 * makes room.
 */
export function withFallen(forest: Forest, fallen: readonly TreeNode[]): Forest {
  const extra = fallen.filter((f) => !forest.byKey.has(f.key));
  if (extra.length === 0) return forest;
  const byKey = new Map(forest.byKey);
  const byPid = new Map(forest.byPid);
  const shape: string[] = [forest.shape];
  const index = (n: TreeNode): void => {
    byKey.set(n.key, n);
    if (n.pid !== null && !byPid.has(n.pid)) byPid.set(n.pid, n);
    shape.push(n.key, n.children.length === 0 ? '.' : '(');
    for (const c of n.children) index(c);
    if (n.children.length > 0) shape.push(')');
  };
  shape.push('\u0002fallen');
  for (const f of extra) index(f);
  return { roots: [...forest.roots, ...extra], byKey, byPid, shape: shape.join('\u0001') };
}
