/**
 * The links and monitors that are not supervision edges, between processes drawn in the
 * tree: what Observer draws as "xlinks" (observer_app_wx `draw_xlink`). A supervisor is
 * linked to each child, so those links are the tree's own edges and are left out.
 */
import type { Pid, ProcessRow } from '../protocol.ts';
import type { Forest } from './supervisionForest.ts';

export interface CrossEdge {
  from: string;
  to: string;
  kind: 'link' | 'monitor';
}

export function crossEdges(forest: Forest, processes: ReadonlyMap<Pid, ProcessRow>, kinds: { links: boolean; monitors: boolean }, limit = 20_000): CrossEdge[] {
  const out: CrossEdge[] = [];
  const seen = new Set<string>();
  for (const [pid, node] of forest.byPid) {
    if (node.status === 'dead') continue;
    const row = processes.get(pid);
    if (row === undefined) continue;
    if (kinds.links) {
      for (const other of row.links) {
        const o = forest.byPid.get(other);
        if (o === undefined || o.parentKey === node.key || node.parentKey === o.key) continue;
        const id = node.key < o.key ? `${node.key}\u0000${o.key}` : `${o.key}\u0000${node.key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ from: node.key, to: o.key, kind: 'link' });
        if (out.length >= limit) return out;
      }
    }
    if (kinds.monitors) {
      for (const target of row.monitors) {
        const o = forest.byPid.get(target);
        if (o === undefined) continue;
        out.push({ from: node.key, to: o.key, kind: 'monitor' });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
