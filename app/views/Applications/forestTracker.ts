/**
 * Follows the runtime store and keeps the supervision forest current, with what the tree
 * must remember between revisions: trees that fell (the runtime forgets them, the person
 * must still see them) and recent transitions (a child's pid replaced: the old one died, the
 * new one was born), which the tree animates.
 *
 * One tracker per runtime store, started by the first view that needs it and never stopped,
 * so a tree that falls while another tab is shown is still there when the person comes back.
 * It rebuilds the forest on every revision: one pass over the supervisors (~1 ms for the
 * 10,000-process stress tree), the layout is not redone unless the shape changed.
 */
import { createStore } from 'zustand/vanilla';
import { deadCopy, fallenSince, withFallen } from '../../layout/fallenTrees.ts';
import { type LayoutInput, type Lingering, departedLeaves, withLingering } from '../../layout/lingering.ts';
import { type Forest, type TreeNode, buildForest } from '../../layout/supervisionForest.ts';
import type { IntensityExceededEvent, Pid } from '../../protocol.ts';
import type { RuntimeState, RuntimeStore } from '../../store/runtimeStore.ts';

/** How long the tree shows a death or a birth (ms). */
export const TRANSITION_MS = 1200;

export interface Transition {
  key: string;
  /** The pid that died (null: the node is new). */
  died: Pid | null;
  /** The pid that took its place (null: not yet, or the tree fell). */
  born: Pid | null;
  /** performance.now() when the tree learnt it. */
  at: number;
  /**
   * Why the dead pid exited: its death's reason (null while unknown: a restart seen before the
   * death on another scheduler, or a v1 runtime that sends deaths after the rows). Only a known
   * abnormal reason is drawn red; `normal` (a task done, a temporary child gone) and unknown grey.
   */
  reason: string | null;
  /** The dead pid was a supervisor that gave up: why. */
  gaveUp: IntensityExceededEvent | null;
}

/** A death drawn red: the runtime gave a reason, and not `normal`. */
export function crashed(t: Transition): boolean {
  return t.died !== null && t.reason !== null && t.reason !== 'normal';
}

export interface ForestState {
  /** The live forest plus the fallen trees. */
  forest: Forest;
  /** What the tree is laid out from: `forest` plus the leaves that just left, still fading (lingering.ts). */
  layoutInput: LayoutInput;
  /** Fallen application trees by name, drawn dead until dismissed or started again. */
  fallen: Map<string, TreeNode>;
  /** Recent deaths and births by node key, newest last. */
  transitions: Map<string, Transition>;
  /** Supervisors that exceeded their restart intensity (the runtime store's escalations). */
  gaveUp: ReadonlyMap<Pid, IntensityExceededEvent>;
  /** The last escalation at each place (node key): a supervisor restarted after it gave up still says so. */
  gaveUpAt: ReadonlyMap<string, IntensityExceededEvent>;
}

export interface ForestTracker {
  store: ReturnType<typeof createForestStore>;
  /** Forgets a fallen tree. */
  dismiss(name: string): void;
}

const EMPTY: Forest = { roots: [], byKey: new Map(), byPid: new Map(), shape: '' };

function createForestStore() {
  return createStore<ForestState>()(() => ({ forest: EMPTY, layoutInput: EMPTY, fallen: new Map(), transitions: new Map(), gaveUp: new Map(), gaveUpAt: new Map() }));
}

const trackers = new WeakMap<RuntimeStore, ForestTracker>();

export function forestTracker(runtime: RuntimeStore): ForestTracker {
  let t = trackers.get(runtime);
  if (t === undefined) {
    t = startTracker(runtime);
    trackers.set(runtime, t);
  }
  return t;
}

function startTracker(runtime: RuntimeStore): ForestTracker {
  const inner = createForestStore();
  // Built only while someone follows it: with no view of the tree open (another tab shown), the
  // revisions are not built one by one but once, from the last forest built, when a view or a
  // reader comes back. The trees that fell meanwhile, and the places whose pid changed, are found
  // by that comparison as well (the changes are shown as the tree's news when it comes back).
  let listeners = 0;
  let stale = false;
  const catchUp = (): void => {
    if (!stale) return;
    stale = false;
    update(runtime.getState(), true);
  };
  const store: ReturnType<typeof createForestStore> = {
    ...inner,
    getState: () => {
      catchUp();
      return inner.getState();
    },
    subscribe: (listener) => {
      catchUp();
      listeners++;
      const off = inner.subscribe(listener);
      return () => {
        listeners--;
        off();
      };
    },
  };
  let live: Forest | null = null;
  let gaveUp: ReadonlyMap<Pid, IntensityExceededEvent> = new Map();
  let gaveUpSeen = -1;
  let gaveUpAt: ReadonlyMap<string, IntensityExceededEvent> = new Map();
  let fallenChanged = false;
  let merged: { from: Forest; forest: Forest } | null = null;
  const lingering = new Map<string, Lingering>();
  let laidOut: { forest: Forest; lingering: number; input: LayoutInput } | null = null;
  let lingeringVersion = 0;
  let pruneTimer: ReturnType<typeof setTimeout> | null = null;

  /** The layout input for `forest`, after dropping the lingering leaves whose time is up. */
  const layoutInputFor = (forest: Forest, now: number): LayoutInput => {
    for (const [key, l] of lingering) {
      if (l.until > now && !forest.byKey.has(key)) continue;
      lingering.delete(key);
      lingeringVersion++;
    }
    if (laidOut === null || laidOut.forest !== forest || laidOut.lingering !== lingeringVersion) {
      laidOut = { forest, lingering: lingeringVersion, input: lingering.size === 0 ? forest : withLingering(forest, lingering) };
    }
    // While paused no revision comes to drop them: a timer does.
    if (lingering.size > 0 && pruneTimer === null) {
      pruneTimer = setTimeout(() => {
        pruneTimer = null;
        const { forest: f } = inner.getState();
        store.setState({ layoutInput: layoutInputFor(f, performance.now()) });
      }, TRANSITION_MS + 50);
    }
    return laidOut.input;
  };

  let builtRevision = -1;
  const update = (s: RuntimeState, late = false): void => {
    const now = performance.now();
    // What changed since the last build, when that build saw the revision just before this one.
    const c = s.lastChange;
    // (Many changes touch every supervisor anyway: then a walk of all is cheaper than sorting them out.)
    const few = c.added.length + c.updated.length + c.removed.length <= s.processes.size / 8;
    const changed = live !== null && !c.full && few && s.revision === builtRevision + 1 ? [...c.added, ...c.updated, ...c.removed.map((r) => r.pid)] : undefined;
    const next = buildForest(s, live ?? undefined, live !== null && s.revision === builtRevision ? [] : changed);
    builtRevision = s.revision;
    const { fallen, transitions } = inner.getState();
    // Reasons and escalations as the runtime's lifecycle facts stated them (runtime store).
    const reasonOf = (pid: Pid) => s.departed.get(pid)?.reason ?? null;
    if (gaveUpSeen !== s.escalationsRevision) {
      gaveUpSeen = s.escalationsRevision;
      // A new Map when it changed: views compare by identity (a scrub restores an equal one often).
      if (!sameEntries(gaveUp, s.escalations)) gaveUp = new Map(s.escalations);
    }
    // Built late: the facts of the revisions not built are gone, the escalations they made are not.
    const facts = late ? [...s.escalations.values()].filter((f) => ![...gaveUpAt.values()].includes(f)) : c.facts;
    for (const f of facts) {
      if (f.type !== 'orchard.supervisor.intensity_exceeded') continue;
      const key = (live ?? next).byPid.get(f.supervisor)?.key ?? next.byPid.get(f.supervisor)?.key;
      if (key !== undefined) gaveUpAt = new Map(gaveUpAt).set(key, f);
    }

    for (const root of fallenSince(live, next)) {
      fallen.set(root.key, deadCopy(root, reasonOf));
      fallenChanged = true;
    }
    for (const name of fallen.keys()) {
      if (!next.byKey.has(name)) continue;
      fallen.delete(name); // started again
      fallenChanged = true;
    }
    if (live !== null) {
      diff(live, next, transitions, now, reasonOf, gaveUp);
      for (const d of departedLeaves(live, next)) {
        lingering.set(d.node.key, { ...d, until: now + TRANSITION_MS });
        lingeringVersion++;
      }
    }
    for (const [key, tr] of transitions) {
      if (now - tr.at > TRANSITION_MS) transitions.delete(key);
      // A death stated after the restart that answered it (see Transition.reason).
      else if (tr.reason === null && tr.died !== null && reasonOf(tr.died) !== null) transitions.set(key, { ...tr, reason: reasonOf(tr.died), gaveUp: gaveUp.get(tr.died) ?? null });
    }

    live = next;
    if (merged === null || merged.from !== next || fallenChanged) merged = { from: next, forest: withFallen(next, [...fallen.values()]) };
    fallenChanged = false;
    inner.setState({ forest: merged.forest, layoutInput: layoutInputFor(merged.forest, now), fallen, transitions, gaveUp, gaveUpAt });
  };

  update(runtime.getState());
  runtime.subscribe((s, prev) => {
    if (s.connection.target !== prev.connection.target || s.revision < prev.revision) {
      // Another runtime: nothing of the old one's trees belongs here.
      live = null;
      builtRevision = -1;
      merged = null;
      gaveUp = new Map();
      gaveUpSeen = -1;
      gaveUpAt = new Map();
      lingering.clear();
      store.setState({ forest: EMPTY, layoutInput: EMPTY, fallen: new Map(), transitions: new Map(), gaveUp: new Map(), gaveUpAt: new Map() });
    }
    if (s.revision !== prev.revision || s.lastChange !== prev.lastChange || s.escalationsRevision !== prev.escalationsRevision) {
      if (listeners === 0) stale = true;
      else update(s);
    }
  });

  return {
    store,
    dismiss(name) {
      const { fallen } = store.getState();
      if (!fallen.delete(name)) return;
      merged = { from: live ?? EMPTY, forest: withFallen(live ?? EMPTY, [...fallen.values()]) };
      store.setState({ forest: merged.forest, layoutInput: layoutInputFor(merged.forest, performance.now()), fallen: new Map(fallen) });
    },
  };
}

function sameEntries<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Records the keys whose pid changed: the old pid died, the new one took its place. */
function diff(
  prev: Forest, next: Forest, out: Map<string, Transition>, now: number, reasonOf: (pid: Pid) => string | null,
  gaveUp: ReadonlyMap<Pid, IntensityExceededEvent>,
): void {
  if (prev === next) return;
  // Patched from `prev` (the same shape): only the rebuilt nodes can differ, and none left.
  const patched = next._patched?.from === prev ? next._patched.rebuilt : null;
  const death = (pid: Pid | null) => ({ reason: pid === null ? null : reasonOf(pid), gaveUp: pid === null ? null : (gaveUp.get(pid) ?? null) });
  for (const n of patched ?? next.byKey.values()) {
    const key = n.key;
    const p = prev.byKey.get(key);
    if (p === undefined || p.pid === n.pid) continue;
    const known = out.get(key);
    if (n.pid === null) {
      out.set(key, { key, died: p.pid, born: null, at: now, ...death(p.pid) });
    } else if (p.pid === null && known !== undefined && known.born === null) {
      // Dead in an earlier revision, restarted in this one: keep the death's pid.
      out.set(key, { ...known, born: n.pid, at: now });
    } else {
      out.set(key, { key, died: p.pid, born: n.pid, at: now, ...death(p.pid) });
    }
  }
  if (patched !== null) return;
  for (const [key, p] of prev.byKey) {
    if (!next.byKey.has(key) && p.pid !== null && p.status !== 'dead') out.set(key, { key, died: p.pid, born: null, at: now, ...death(p.pid) });
  }
}
