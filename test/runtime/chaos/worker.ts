// The worker entry of the chaos soak: its modules, then a scheduler.
import './modules.ts';
import { startSchedulerWorker } from '../../../runtime/worker/index.ts';

startSchedulerWorker();
