/**
 * The worker side of the host adapter: the entry an application gives to `startNode` loads its
 * modules (defineModule) and then calls `startSchedulerWorker()`, which finds the channel to
 * the node, whichever kind of worker this is, and runs a scheduler on it.
 *
 * @example
 * // app/worker.ts
 * import './modules.ts';
 * import { startSchedulerWorker } from '../runtime/worker/index.ts';
 * startSchedulerWorker();
 */
import { type SchedulerWorkerOptions, runScheduler } from './runScheduler.ts';
import type { MessagePortLike } from '../transport/wire.ts';

export function startSchedulerWorker(options: SchedulerWorkerOptions = {}): void {
  runScheduler(nodeChannel(), options);
}

function nodeChannel(): MessagePortLike {
  const g = globalThis as { WorkerGlobalScope?: abstract new () => unknown; process?: NodeJS.Process };
  if (typeof g.WorkerGlobalScope === 'function' && globalThis instanceof g.WorkerGlobalScope) {
    // A Web Worker: its global scope is the port (postMessage / onmessage).
    return globalThis as unknown as MessagePortLike;
  }
  const threads = g.process?.getBuiltinModule?.('node:worker_threads');
  if (threads?.parentPort != null) return threads.parentPort as unknown as MessagePortLike;
  throw new Error('startSchedulerWorker: this code runs neither in a Web Worker nor in a Node worker thread');
}
