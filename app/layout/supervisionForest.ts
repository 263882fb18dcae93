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
  /** @internal What the next build may reuse: each node with the rows it was built from. */
  _built?: Built[];
}

interface Built {
  node: TreeNode;
  proc: ProcessRow | undefined;
  sup: SupervisorRow | undefined;
  /** The child entry in the parent supervisor's row (null for masters and roots). */
  entry: SupervisorRow['children'][number] | null;
  shape: string;
  children: Built[];
}

export interface ForestInput {
  applications: readonly ApplicationRow[];
  supervisors: ReadonlyMap<Pid, SupervisorRow>;
  processes: ReadonlyMap<Pid, ProcessRow>;
}

/**
 * Builds the forest. With `previous`, a node whose rows are the very objects it was built from
 * (the ingest store replaces a row only when it changed) and whose children were all reused is
 * reused as is, and when nothing changed `previous` itself comes back. On the 10,000-process
 * stress tree a tick then costs one process lookup and two identity checks per worker, not
 * 10,000 new objects and keys (~10 ms).
 */
export function buildForest(input: ForestInput, previous?: Forest): Forest {
  const reached = new Set<Pid>();
  const rebuilt: TreeNode[] = [];

  const visit = (
    old: Built | undefined, key: string, kind: NodeKind, pid: Pid | null, entry: Built['entry'], parentKey: string | null,
    childId: string | null, depth: number, only?: Built,
  ): Built => {
    const proc = pid === null ? undefined : input.processes.get(pid);
    const sup = pid === null || kind !== 'supervisor' ? undefined : input.supervisors.get(pid);
    const children: Built[] = only === undefined ? [] : [only];
    // A cycle would mean a corrupt report; `reached` and the depth bound the walk whatever comes in.
    if (only === undefined && sup !== undefined && depth < 64 && !reached.has(sup.pid)) {
      reached.add(sup.pid);
      if (old !== undefined && old.sup === sup) {
        // Same row: same children in the same places; only their processes may have changed.
        for (let i = 0; i < sup.children.length; i++) {
          const c = sup.children[i]!;
          const oc = old.children[i]!;
          if (c.type === 'worker' && oc.proc === (c.pid === null ? undefined : input.processes.get(c.pid))) children.push(oc);
          else children.push(visit(oc, oc.node.key, c.type, c.pid, c, key, oc.node.childId, depth + 1));
        }
      } else {
        const olds = new Map(old?.children.map((b) => [b.node.key, b]));
        const seen = new Set<string>();
        for (const c of sup.children) {
          // simple_one_for_one children may share an id; keep keys unique.
          let id = c.id;
          for (let n = 2; seen.has(id); n++) id = `${c.id}#${n}`;
          seen.add(id);
          const childKey = `${key}/${id}`;
          children.push(visit(olds.get(childKey), childKey, c.type, c.pid, c, key, id, depth + 1));
        }
      }
    }
    if (
      old !== undefined && old.node.pid === pid && old.proc === proc && old.sup === sup && old.entry === entry &&
      old.children.length === children.length && children.every((c, i) => c === old.children[i])
    ) {
      return old;
    }
    const node = makeNode(key, kind, pid, proc, parentKey, childId);
    if (entry !== null) {
      node.restart = entry.restart;
      node.restarts = entry.restarts;
      node.lastExitReason = entry.lastExitReason ?? proc?.lastExitReason ?? null;
      node.lastRestartAt = entry.lastRestartAt;
      if (entry.pid === null) node.status = 'restarting';
    }
    if (sup !== undefined) setSupervisorFields(node, sup);
    if (kind === 'application') node.title = key;
    node.children = children.map((c) => c.node);
    node.size = children.reduce((n, c) => n + 1 + c.node.size, 0);
    rebuilt.push(node);
    const head = `${key}\u0001${node.kind[0]}`;
    const shape = children.length === 0 ? head : `${head}(${children.map((c) => c.shape).join('\u0001')})`;
    return { node, proc, sup, entry, shape, children };
  };

  const prevTop = new Map(previous?._built?.map((b) => [b.node.key, b]));
  const top: Built[] = [];
  for (const app of input.applications) {
    // The master's one child is the root supervisor, which has no child entry of its own.
    const oldMaster = prevTop.get(app.name);
    const root = app.root === null ? undefined : visit(oldMaster?.children[0], `${app.name}/root`, 'supervisor', app.root, null, app.name, null, 0);
    top.push(visit(oldMaster, app.name, 'application', app.master, null, null, null, 0, root));
  }
  // Supervisors outside any application (an embedder's own trees): each top one is a root.
  for (const sup of input.supervisors.values()) {
    if (reached.has(sup.pid)) continue;
    const above = input.processes.get(sup.pid)?.supervisor ?? null;
    if (above !== null && input.supervisors.has(above)) continue; // drawn under its supervisor
    const key = `sup:${sup.pid}`;
    top.push(visit(prevTop.get(key), key, 'supervisor', sup.pid, null, null, null, 0));
  }

  const shape = top.map((b) => b.shape).join('\u0002');
  const roots = top.map((b) => b.node);
  if (previous !== undefined && rebuilt.length === 0 && previous.roots.length === roots.length && roots.every((r, i) => r === previous.roots[i])) {
    return previous;
  }
  let byKey: Map<string, TreeNode>;
  let byPid: Map<Pid, TreeNode>;
  if (previous !== undefined && previous.shape === shape) {
    // Same structure: patch the previous indexes with the rebuilt nodes only.
    byKey = new Map(previous.byKey);
    byPid = new Map(previous.byPid);
    for (const n of rebuilt) {
      const was = byKey.get(n.key);
      if (was?.pid != null && byPid.get(was.pid) === was) byPid.delete(was.pid);
      byKey.set(n.key, n);
    }
    for (const n of rebuilt) if (n.pid !== null) byPid.set(n.pid, n);
  } else {
    byKey = new Map();
    byPid = new Map();
    const index = (n: TreeNode): void => {
      byKey.set(n.key, n);
      if (n.pid !== null) byPid.set(n.pid, n);
      for (const c of n.children) index(c);
    };
    for (const r of roots) index(r);
  }
  return { roots, byKey, byPid, shape, _built: top };
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
