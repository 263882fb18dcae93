/**
 * The chaos switch: kills a random worker of the running applications at a chosen interval,
 * through the same kill command a person sends, so supervision reacts exactly as it would to
 * a crash. It runs outside React and outside the Demos tab, so the person can watch the
 * Applications tree while it works. Workers only: supervisors and application masters are left
 * alone (kill one by hand to see an escalation).
 */
import { createStore } from 'zustand/vanilla';
import type { Observer } from '../../context/ObserverContext.tsx';
import { forEachNode } from '../../layout/supervisionForest.ts';
import { forestTracker } from '../Applications/forestTracker.ts';
import type { Pid } from '../../protocol.ts';

export const CHAOS_INTERVALS_MS = [250, 500, 1000, 2000, 5000, 10_000] as const;

export interface ChaosKill {
  at: number;
  pid: Pid;
  title: string;
  application: string;
  ok: boolean;
  message?: string;
}

export interface ChaosState {
  on: boolean;
  intervalMs: number;
  /** An application's name, or null for all of them. */
  target: string | null;
  /** Newest first, at most 20. */
  kills: ChaosKill[];
}

export const chaos = createStore<ChaosState>()(() => ({ on: false, intervalMs: 1000, target: null, kills: [] }));

let timer: ReturnType<typeof setInterval> | null = null;
let observer: Observer | null = null;

/** Picks a live worker of the target application(s), or null when there is none. */
export function pickVictim(o: Observer, target: string | null, random: () => number = Math.random): { pid: Pid; title: string; application: string } | null {
  // The tracker's forest, kept current for the tree anyway: no walk of the store per strike.
  const forest = forestTracker(o.runtime).store.getState().forest;
  const workers: Array<{ pid: Pid; title: string; application: string }> = [];
  for (const root of forest.roots) {
    if (root.kind !== 'application' || root.status === 'dead' || (target !== null && root.key !== target)) continue;
    forEachNode(root, (n) => {
      if (n.kind === 'worker' && n.pid !== null && n.status !== 'dead') workers.push({ pid: n.pid, title: n.title, application: root.title });
    });
  }
  if (workers.length === 0) return null;
  return workers[Math.floor(random() * workers.length)]!;
}

async function strike(): Promise<void> {
  const o = observer;
  if (o === null) return;
  const { target } = chaos.getState();
  const victim = pickVictim(o, target);
  if (victim === null) return;
  const result = await o.attach.getState().session.kill(victim.pid);
  const kill: ChaosKill = { at: Date.now(), ...victim, ok: result.ok, ...(result.ok ? {} : { message: `${result.code}: ${result.message}` }) };
  chaos.setState((s) => ({ kills: [kill, ...s.kills].slice(0, 20) }));
}

function arm(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
  const { on, intervalMs } = chaos.getState();
  if (on && observer !== null) timer = setInterval(() => void strike(), intervalMs);
}

export function setChaos(o: Observer, patch: Partial<Pick<ChaosState, 'on' | 'intervalMs' | 'target'>>): void {
  observer = o;
  chaos.setState(patch);
  arm();
}

/** Stops it when the Observer leaves for another runtime: its pids mean nothing there. */
export function stopChaos(): void {
  chaos.setState({ on: false });
  arm();
}
