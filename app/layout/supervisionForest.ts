/**
 * The supervision forest: every application's tree (application master → root supervisor →
 * children in start order), built from what the ingest store holds. Pure and cheap (one pass
 * over the supervisors), so it is rebuilt on every revision; the layout, which costs more,
 * is memoized on `shape` and only redone when the structure changed (treeLayout.ts).
 *
 * A node's `key` is its place in the tree, not its pid: the application's name, then the child
 * ids down from the root supervisor (`Pooly/root/worker_sup/worker_3`). A restarted child keeps
 * its key, so the new pid is drawn where the old one was.
 */
import type { ApplicationRow, Pid, ProcessRow, ProcessStatus, SupervisorRow } from '../protocol.ts';

export type NodeKind = 'application' | 'supervisor' | 'worker';

/**
 * A process's status as the tree shows it: the runtime's own, plus `restarting` (its supervisor
 * holds no pid for it right now: between exit and restart, or waiting to try again) and `dead`
 * (it belongs to a tree that fell).
 */
export type NodeStatus = ProcessStatus | 'restarting' | 'dead' | 'unknown';

export type Strategy = SupervisorRow['strategy'];
export type RestartType = SupervisorRow['children'][number]['restart'];

export interface TreeNode {
  key: string;
  kind: NodeKind;
  pid: Pid | null;
  /** Registered name, else the process label, else the child id. */
  title: string;
  name: string | null;
  label: string | null;
  behaviour: string | null;
  status: NodeStatus;
  /** Child id under its supervisor; null for application masters and root supervisors. */
  childId: string | null;
  restart: RestartType | null;
  restarts: number;
  lastExitReason: string | null;
  lastRestartAt: number | null;
  /** Supervisors only. */
  strategy: Strategy | null;
  intensity: number;
  period: number;
  restartsInWindow: number;
  trapExit: boolean;
  mailbox: number;
  /** The parent in the tree (null for an application master or a free-standing root). */
  parentKey: string | null;
  children: TreeNode[];
  /** Descendants, for "+N" on a collapsed node and for sizing. */
  size: number;
}

export interface Forest {
  roots: TreeNode[];
  byKey: Map<string, TreeNode>;
  byPid: Map<Pid, TreeNode>;
  /**
   * The structure (keys, kinds and parent/child order) as one string: equal shapes lay out the
   * same, whatever the pids and statuses.
   */
  shape: string;
}

export interface ForestInput {
  applications: readonly ApplicationRow[];
  supervisors: ReadonlyMap<Pid, SupervisorRow>;
  processes: ReadonlyMap<Pid, ProcessRow>;
}

export function buildForest(input: ForestInput): Forest {
  const byKey = new Map<string, TreeNode>();
  const byPid = new Map<Pid, TreeNode>();
  const roots: TreeNode[] = [];
  const shape: string[] = [];
  const reached = new Set<Pid>();

  const add = (node: TreeNode, parent: TreeNode | null): TreeNode => {
    if (parent !== null) parent.children.push(node);
    byKey.set(node.key, node);
    if (node.pid !== null) byPid.set(node.pid, node);
    shape.push(node.key, node.kind[0]!);
    return node;
  };

  const addSupervisorChildren = (parent: TreeNode, row: SupervisorRow, depth: number): void => {
    reached.add(row.pid);
    shape.push('(');
    const seen = new Set<string>();
    for (const c of row.children) {
      // simple_one_for_one children may share an id; keep keys unique.
      let id = c.id;
      for (let n = 2; seen.has(id); n++) id = `${c.id}#${n}`;
      seen.add(id);
      const p = c.pid === null ? undefined : input.processes.get(c.pid);
      const sub = c.pid === null ? undefined : input.supervisors.get(c.pid);
      const kind: NodeKind = c.type === 'supervisor' ? 'supervisor' : 'worker';
      const node = add(makeNode(`${parent.key}/${id}`, kind, c.pid, p, parent.key, id), parent);
      node.restart = c.restart;
      node.restarts = c.restarts;
      node.lastExitReason = c.lastExitReason ?? p?.lastExitReason ?? null;
      node.lastRestartAt = c.lastRestartAt;
      if (c.pid === null) node.status = 'restarting';
      if (sub !== undefined) {
        setSupervisorFields(node, sub);
        // A cycle would mean a corrupt report; depth bounds the walk whatever comes in.
        if (depth < 64 && !reached.has(sub.pid)) addSupervisorChildren(node, sub, depth + 1);
      }
    }
    shape.push(')');
  };

  for (const app of input.applications) {
    const master = add(makeNode(app.name, 'application', app.master, input.processes.get(app.master), null, null), null);
    master.title = app.name;
    roots.push(master);
    shape.push('(');
    if (app.root !== null) {
      const root = add(makeNode(`${app.name}/root`, 'supervisor', app.root, input.processes.get(app.root), master.key, null), master);
      const sup = input.supervisors.get(app.root);
      if (sup !== undefined) {
        setSupervisorFields(root, sup);
        addSupervisorChildren(root, sup, 0);
      }
    }
    shape.push(')');
  }

  // Supervisors outside any application (an embedder's own trees): each top one is a root.
  for (const sup of input.supervisors.values()) {
    if (reached.has(sup.pid)) continue;
    const row = input.processes.get(sup.pid);
    const above = row?.supervisor ?? null;
    if (above !== null && input.supervisors.has(above)) continue; // drawn under its supervisor
    const root = add(makeNode(`sup:${sup.pid}`, 'supervisor', sup.pid, row, null, null), null);
    roots.push(root);
    setSupervisorFields(root, sup);
    addSupervisorChildren(root, sup, 0);
  }

  for (const r of roots) countSizes(r);
  return { roots, byKey, byPid, shape: shape.join('\u0001') };
}

function makeNode(key: string, kind: NodeKind, pid: Pid | null, row: ProcessRow | undefined, parentKey: string | null, childId: string | null): TreeNode {
  return {
    key,
    kind,
    pid,
    title: row?.name ?? row?.label ?? childId ?? pid ?? key,
    name: row?.name ?? null,
    label: row?.label ?? null,
    behaviour: row?.behaviour ?? (kind === 'supervisor' ? 'supervisor' : null),
    status: row?.status ?? (pid === null ? 'restarting' : 'unknown'),
    childId,
    restart: null,
    restarts: row?.restarts ?? 0,
    lastExitReason: row?.lastExitReason ?? null,
    lastRestartAt: null,
    strategy: null,
    intensity: 0,
    period: 0,
    restartsInWindow: 0,
    trapExit: row?.trapExit ?? false,
    mailbox: row?.mailbox ?? 0,
    parentKey,
    children: [],
    size: 0,
  };
}

function setSupervisorFields(node: TreeNode, sup: SupervisorRow): void {
  node.kind = 'supervisor';
  node.strategy = sup.strategy;
  node.intensity = sup.intensity;
  node.period = sup.period;
  node.restartsInWindow = sup.restartsInWindow;
  if (node.behaviour === null) node.behaviour = 'supervisor';
}

function countSizes(node: TreeNode): number {
  let n = 0;
  for (const c of node.children) n += 1 + countSizes(c);
  node.size = n;
  return n;
}

/** Keys from the root down to `key`'s parent: what must be expanded to show `key`. */
export function ancestorKeys(forest: Forest, key: string): string[] {
  const out: string[] = [];
  let node = forest.byKey.get(key);
  while (node !== undefined && node.parentKey !== null) {
    out.push(node.parentKey);
    node = forest.byKey.get(node.parentKey);
  }
  return out.reverse();
}

/** Walks `node` and its descendants, depth first, in start order. */
export function forEachNode(node: TreeNode, fn: (n: TreeNode) => void): void {
  fn(node);
  for (const c of node.children) forEachNode(c, fn);
}
