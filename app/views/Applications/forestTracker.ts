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
import { type Forest, type TreeNode, buildForest } from '../../layout/supervisionForest.ts';
import type { Pid } from '../../protocol.ts';
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
  /** The dead pid ended with `normal` (a task done, a temporary child gone): drawn grey, not red. */
  normal: boolean;
}

export interface ForestState {
  /** The live forest plus the fallen trees. */
  forest: Forest;
  /** Fallen application trees by name, drawn dead until dismissed or started again. */
  fallen: Map<string, TreeNode>;
  /** Recent deaths and births by node key, newest last. */
  transitions: Map<string, Transition>;
  /** Supervisors that exceeded their restart intensity (from the flight recorder). */
  gaveUp: Set<Pid>;
}

export interface ForestTracker {
  store: ReturnType<typeof createForestStore>;
  /** Forgets a fallen tree. */
  dismiss(name: string): void;
}

const EMPTY: Forest = { roots: [], byKey: new Map(), byPid: new Map(), shape: '' };

function createForestStore() {
  return createStore<ForestState>()(() => ({ forest: EMPTY, fallen: new Map(), transitions: new Map(), gaveUp: new Set() }));
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
  const store = createForestStore();
  let live: Forest | null = null;
  let seenEvents = 0;
  /** When each fallen tree fell (performance.now()); its reasons are refreshed for a while after. */
  const fellAt = new Map<string, number>();
  let fallenChanged = false;
  let merged: { from: Forest; forest: Forest } | null = null;

  const update = (s: RuntimeState): void => {
    const now = performance.now();
    const next = buildForest(s, live ?? undefined);
    const { fallen, transitions, gaveUp } = store.getState();
    const reasonOf = (pid: Pid) => s.departed.get(pid)?.reason ?? s.departed.get(pid)?.row.lastExitReason ?? null;

    for (const root of fallenSince(live, next)) {
      fallen.set(root.key, deadCopy(root, reasonOf));
      fellAt.set(root.key, now);
      fallenChanged = true;
    }
    for (const name of fallen.keys()) {
      if (!next.byKey.has(name)) continue;
      fallen.delete(name); // started again
      fellAt.delete(name);
      fallenChanged = true;
    }
    if (live !== null) diff(live, next, transitions, now, (pid) => reasonOf(pid) === 'normal');
    for (const [key, tr] of transitions) if (now - tr.at > TRANSITION_MS) transitions.delete(key);

    const newEvents = s.eventsRevision !== seenEvents;
    if (newEvents) {
      seenEvents = s.eventsRevision;
      for (const e of s.events) if (e.type === 'orchard.supervisor.intensity_exceeded') gaveUp.add(e.supervisor);
    }

    live = next;
    // Fallen copies get the exit reasons that arrive after the fall (events may trail the delta
    // by a tick or two); later events change nothing there.
    if (newEvents) {
      for (const [name, root] of fallen) {
        if (now - (fellAt.get(name) ?? 0) > 3000) continue;
        fallen.set(name, deadCopy(root, reasonOf));
        fallenChanged = true;
      }
    }
    if (merged === null || merged.from !== next || fallenChanged) merged = { from: next, forest: withFallen(next, [...fallen.values()]) };
    fallenChanged = false;
    store.setState({ forest: merged.forest, fallen, transitions, gaveUp });
  };

  update(runtime.getState());
  runtime.subscribe((s, prev) => {
    if (s.connection.target !== prev.connection.target || s.revision < prev.revision) {
      // Another runtime: nothing of the old one's trees belongs here.
      live = null;
      merged = null;
      fellAt.clear();
      store.setState({ forest: EMPTY, fallen: new Map(), transitions: new Map(), gaveUp: new Set() });
    }
    if (s.revision !== prev.revision || s.eventsRevision !== prev.eventsRevision) update(s);
  });

  return {
    store,
    dismiss(name) {
      const { fallen } = store.getState();
      if (!fallen.delete(name)) return;
      fellAt.delete(name);
      merged = { from: live ?? EMPTY, forest: withFallen(live ?? EMPTY, [...fallen.values()]) };
      store.setState({ forest: merged.forest, fallen: new Map(fallen) });
    },
  };
}

/** Records the keys whose pid changed: the old pid died, the new one took its place. */
function diff(prev: Forest, next: Forest, out: Map<string, Transition>, now: number, endedNormally: (pid: Pid) => boolean): void {
  if (prev === next) return;
  for (const [key, n] of next.byKey) {
    const p = prev.byKey.get(key);
    if (p === undefined || p.pid === n.pid) continue;
    const known = out.get(key);
    if (n.pid === null) {
      out.set(key, { key, died: p.pid, born: null, at: now, normal: p.pid !== null && endedNormally(p.pid) });
    } else if (p.pid === null && known !== undefined && known.born === null) {
      // Dead in an earlier revision, restarted in this one: keep the death's pid.
      out.set(key, { ...known, born: n.pid, at: now });
    } else {
      out.set(key, { key, died: p.pid, born: n.pid, at: now, normal: p.pid !== null && endedNormally(p.pid) });
    }
  }
  for (const [key, p] of prev.byKey) {
    if (!next.byKey.has(key) && p.pid !== null && p.status !== 'dead') out.set(key, { key, died: p.pid, born: null, at: now, normal: endedNormally(p.pid) });
  }
}
