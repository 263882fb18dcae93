export { startSchedulerWorker } from './startSchedulerWorker.ts';
export { createWorker, wrapWebWorker } from './createWorker.ts';
export type { WorkerHandle, CreateWorkerOptions } from './createWorker.ts';
