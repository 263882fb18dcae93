export { startSchedulerWorker } from './startSchedulerWorker.ts';
export { runScheduler } from './runScheduler.ts';
export type { RunningScheduler, SchedulerWorkerOptions } from './runScheduler.ts';
