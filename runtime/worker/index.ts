export { startSchedulerWorker } from './startSchedulerWorker.ts';
export { createWorker } from './createWorker.ts';
export type { WorkerHandle, CreateWorkerOptions } from './createWorker.ts';
