// The worker entry of the cross-scheduler benchmarks: their modules, the tests' fixture
// modules (a supervisor for watchdog_recovery), then a scheduler.
import './modules.ts';
import '../../runtime/node/fixtures/modules.ts';
import { startSchedulerWorker } from '../../../runtime/worker/index.ts';

startSchedulerWorker();
