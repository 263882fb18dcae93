/**
 * The demo's root: a supervisor written by hand with the core BIFs, as a one_for_one
 * supervisor behaves. It traps exits, starts and links one worker per spec, and when a worker's
 * EXIT arrives starts a fresh one with the same spec. More than `intensity` restarts within
 * `periodMs` and it gives up and exits with `shutdown`, taking the remaining workers with it
 * through their links (supervisor docs, "Tuning the intensity and period").
 */
import {
  currentScheduler, defineModule, exit, isExitMessage, receive, send, spawnLink, trapExit, type Pid, type Wait,
} from '../../runtime/core/index.ts';
import type { Peers } from './messages.ts';
import { WORKER_MODULE, type WorkerSpec } from './worker.ts';

export interface SupFlags {
  intensity: number;
  periodMs: number;
}

export const SUP_MODULE = 'demo_sup';

export function* demoSup(specs: readonly WorkerSpec[], flags: SupFlags): Generator<Wait, void, unknown> {
  trapExit(true);
  const clock = currentScheduler().clock;
  /** Live children by pid; a restarted child keeps its spec, so its label and place. */
  const children = new Map<Pid, WorkerSpec>();
  /** Times of the restarts still inside the intensity window, oldest first. */
  let restarts: number[] = [];

  const startChild = (spec: WorkerSpec): void => {
    children.set(spawnLink(WORKER_MODULE, [spec], { label: spec.label }), spec);
  };
  const announcePeers = (): void => {
    const peers: Peers = { type: 'peers', pids: [...children.keys()] };
    for (const pid of children.keys()) send(pid, peers);
  };

  for (const spec of specs) startChild(spec);
  announcePeers();

  for (;;) {
    const m = yield receive();
    if (!isExitMessage(m)) continue; // Nothing else is expected; like a supervisor, drop it.
    const spec = children.get(m.from);
    if (spec === undefined) continue;
    children.delete(m.from);
    const now = clock.now();
    restarts = restarts.filter((t) => now - t < flags.periodMs);
    restarts.push(now);
    if (restarts.length > flags.intensity) exit('shutdown');
    startChild(spec);
    announcePeers();
  }
}

defineModule(SUP_MODULE, demoSup);
