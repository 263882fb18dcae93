/**
 * A scheduler of the page's runtime, in a Web Worker: the same applications as every other
 * scheduler, then the scheduler itself (runtime/worker/startSchedulerWorker.ts).
 */
import { startSchedulerWorker } from '../../runtime/worker/index.ts';
import { HOST_APPLICATIONS } from './applications.ts';

startSchedulerWorker({ applications: HOST_APPLICATIONS });
