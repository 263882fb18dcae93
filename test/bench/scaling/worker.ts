// The worker entry of scaling_2x: its ring module, then a scheduler.
import './ring.ts';
import { startSchedulerWorker } from '../../../runtime/worker/index.ts';

startSchedulerWorker();
