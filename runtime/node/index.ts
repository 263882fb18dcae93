export { startNode, OrchardNode, isSchedulerDied } from './startNode.ts';
export type { NodeOptions, NodeEvent, SchedulerDeath, SchedulerDied } from './startNode.ts';
export { DEFAULT_WATCHDOG, DEVELOPMENT_WATCHDOG, defaultWatchdog } from './Watchdog.ts';
export type { WatchdogOptions } from './Watchdog.ts';
export { createWorker, wrapWebWorker } from './createWorker.ts';
export type { WorkerHandle, CreateWorkerOptions } from './createWorker.ts';
export type { SchedulerCounters } from '../transport/wire.ts';
export { type NodeInspectorSource, createNodeSource } from './createNodeSource.ts';
