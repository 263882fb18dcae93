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
import { PatchedMap } from './PatchedMap.ts';

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
  byKey: ReadonlyMap<string, TreeNode>;
  byPid: ReadonlyMap<Pid, TreeNode>;
  /**
   * The structure (keys, kinds and parent/child order) as one string: equal shapes lay out the
   * same, whatever the pids and statuses.
   */
  shape: string;
  /** @internal What the next build may reuse: each node with the rows it was built from. */
  _built?: Built[];
  /**
   * @internal Set when this forest has the same shape as the one it was built from: that
   * forest and the nodes made anew (every other node is the very object it had). Lets a
   * comparison with `from` look at those nodes only, not at all 10,000.
   */
  _patched?: { from: Forest; rebuilt: readonly TreeNode[] };
}

interface Built {
  node: TreeNode;
  proc: ProcessRow | undefined;
  sup: SupervisorRow | undefined;
  /** The child entry in the parent supervisor's row (null for masters and roots). */
  entry: SupervisorRow['children'][number] | null;
  shape: string;
  children: Built[];
  /** Every child a worker: nothing below to mark reached, so the children may be reused unseen. */
  workersOnly: boolean;
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
 * 10,000 new objects and keys (~10 ms); given the pids whose rows changed, only the workers of
 * the supervisors concerned are looked at.
 */
export function buildForest(input: ForestInput, previous?: Forest, changed?: Iterable<Pid>): Forest {
  const reached = new Set<Pid>();
  const rebuilt: TreeNode[] = [];
  // The supervisors whose children's rows may have changed: with `changed` (every pid whose row
  // was added, replaced or removed since `previous`), an unchanged supervisor of workers only
  // is reused without looking at its children (100 lookups, not 10,000, on the stress tree).
  let touched: Set<Pid> | null = null;
  if (previous !== undefined && changed !== undefined) {
    touched = new Set();
    for (const pid of changed) {
      const sup = input.processes.get(pid)?.supervisor;
      if (sup != null) touched.add(sup);
      const was = previous.byPid.get(pid);
      const parent = was?.parentKey == null ? undefined : previous.byKey.get(was.parentKey)?.pid;
      if (parent != null) touched.add(parent);
    }
  }

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
      if (old !== undefined && old.sup === sup && touched !== null && !touched.has(sup.pid) && old.workersOnly) {
        // Same row, no child's row changed, no supervisor below whose walk would mark it reached.
        children.push(...old.children);
      } else if (old !== undefined && old.sup === sup) {
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
    if (
      old !== undefined && old.node.pid === pid && old.sup === sup && entryDrawnSame(old.entry, entry) && drawnSame(old.proc, proc) &&
      old.children.length === children.length && children.every((c, i) => c === old.children[i])
    ) {
      // A new row that draws the same (only its counters moved: reductions, memory): the node
      // stays, and so does its record, noting the rows it now stands for. Edited in place: a
      // record is only ever read by the build that follows the forest it belongs to (the newest).
      old.proc = proc;
      old.entry = entry;
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
    // The same structure below as before: keep the old string (the root's is ~300 KB on the
    // stress tree, and equal strings that are one object compare at once).
    const sameShape =
      old !== undefined && old.node.kind === node.kind && old.children.length === children.length && children.every((c, i) => c.shape === old.children[i]!.shape);
    const head = `${key}\u0001${node.kind[0]}`;
    const shape = sameShape ? old.shape : children.length === 0 ? head : `${head}(${children.map((c) => c.shape).join('\u0001')})`;
    return { node, proc, sup, entry, shape, children, workersOnly: children.every((c) => c.sup === undefined && c.node.kind === 'worker') };
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

  const prevBuilt = previous?._built;
  const shape =
    previous !== undefined && prevBuilt !== undefined && prevBuilt.length === top.length && top.every((b, i) => b.shape === prevBuilt[i]!.shape)
      ? previous.shape
      : top.map((b) => b.shape).join('\u0002');
  const roots = top.map((b) => b.node);
  if (previous !== undefined && rebuilt.length === 0 && previous.roots.length === roots.length && roots.every((r, i) => r === previous.roots[i])) {
    // Nothing drawn changed: the same forest, remembering the rows it now stands for (internal).
    previous._built = top;
    return previous;
  }
  if (previous !== undefined && previous.shape === shape && previous.byKey instanceof PatchedMap && previous.byPid instanceof PatchedMap) {
    // Same structure: patch the previous indexes with the rebuilt nodes only.
    const pidChanges: Array<[Pid, TreeNode | undefined]> = [];
    for (const n of rebuilt) {
      const was = previous.byKey.get(n.key);
      if (was?.pid != null && previous.byPid.get(was.pid) === was) pidChanges.push([was.pid, undefined]);
    }
    for (const n of rebuilt) if (n.pid !== null) pidChanges.push([n.pid, n]);
    // Two steps back at most: a longer chain of old forests would never be freed.
    if (previous._patched !== undefined) previous._patched.from._patched = undefined;
    const byKey = previous.byKey.with(rebuilt.map((n) => [n.key, n] as const));
    const byPid = previous.byPid.with(pidChanges);
    return { roots, byKey, byPid, shape, _built: top, _patched: { from: previous, rebuilt } };
  }
  const byKey = new Map<string, TreeNode>();
  const byPid = new Map<Pid, TreeNode>();
  const index = (n: TreeNode): void => {
    byKey.set(n.key, n);
    if (n.pid !== null) byPid.set(n.pid, n);
    for (const c of n.children) index(c);
  };
  for (const r of roots) index(r);
  return { roots, byKey: PatchedMap.of(byKey), byPid: PatchedMap.of(byPid), shape, _built: top };
}

/** Whether two rows of one process make the same node (the fields makeNode reads). */
function drawnSame(a: ProcessRow | undefined, b: ProcessRow | undefined): boolean {
  return (
    a !== undefined && b !== undefined && a.name === b.name && a.label === b.label && a.behaviour === b.behaviour && a.status === b.status &&
    a.restarts === b.restarts && a.lastExitReason === b.lastExitReason && a.trapExit === b.trapExit && a.mailbox === b.mailbox
  );
}

/** Whether two child entries of one place make the same node (the fields visit reads). */
function entryDrawnSame(a: Built['entry'], b: Built['entry']): boolean {
  if (a === b) return true;
  return (
    a !== null && b !== null && a.pid === b.pid && a.restart === b.restart && a.restarts === b.restarts && a.lastExitReason === b.lastExitReason &&
    a.lastRestartAt === b.lastRestartAt
  );
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

/**
 * The keys whose node differs between `from` and `to` when `to` was patched from `from` (one or
 * two builds back), else null: then only a walk over every key can tell.
 */
export function changedKeysSince(from: Forest, to: Forest): Set<string> | null {
  if (from === to) return new Set();
  const out = new Set<string>();
  for (let f: Forest | undefined = to, hops = 0; f !== undefined && hops < 3; f = f._patched?.from, hops++) {
    if (f === from) return out;
    const p = f._patched;
    if (p === undefined) return null;
    for (const n of p.rebuilt) out.add(n.key);
  }
  return null;
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
