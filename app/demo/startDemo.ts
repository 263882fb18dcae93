/**
 * Starts the demo on a scheduler in this page: the root supervisor and its workers. The page
 * gets back a small handle (read, kill, restart), so the views never touch the scheduler.
 */
import { Scheduler, setDefaultScheduler, type Pid } from '../../runtime/core/index.ts';
import { SUP_MODULE, type SupFlags } from './demoSup.ts';
import { type RuntimeSnapshot, createRuntimeReader } from './readRuntime.ts';
import type { WorkerSpec } from './worker.ts';

export const ROOT_NAME = 'demo_sup';

export const WORKERS: readonly WorkerSpec[] = [
  { label: 'picker', drain: 3, tickMs: 300 },
  { label: 'sorter', drain: 2, tickMs: 400 },
  // Slower than the gossip it gets: its mailbox fills up, then it catches up (see worker.ts).
  { label: 'presser', drain: 1, tickMs: 700 },
  { label: 'packer', drain: 2, tickMs: 350 },
];

export const FLAGS: SupFlags = { intensity: 5, periodMs: 5_000 };

export interface Demo {
  readonly flags: SupFlags;
  read(): RuntimeSnapshot;
  /** exit(Pid, kill) from the host: untrappable, so the worker dies and its root sees `killed`. */
  kill(pid: Pid): void;
  /** Starts a fresh root when the old one has given up (or was killed). */
  restart(): void;
  rootAlive(): boolean;
}

export function startDemo(): Demo {
  const scheduler = new Scheduler();
  setDefaultScheduler(scheduler);
  const reader = createRuntimeReader(scheduler);
  const startRoot = (): void => {
    scheduler.spawn(SUP_MODULE, [WORKERS, FLAGS], { name: ROOT_NAME }, null);
  };
  startRoot();
  return {
    flags: FLAGS,
    read: reader.read,
    kill: (pid) => scheduler.exit(pid, 'kill'),
    restart() {
      if (scheduler.whereis(ROOT_NAME) === undefined) startRoot();
    },
    rootAlive: () => scheduler.whereis(ROOT_NAME) !== undefined,
  };
}
