/**
 * Which scheduler the calling code runs on. A scheduler enters itself for each slice; code
 * outside a slice (a test, the node, a worker's setup) uses the default scheduler, the one a
 * worker or page created first, or the one set with `setDefaultScheduler`.
 */
import { OrchardError } from './errors.ts';
import type { Scheduler } from './Scheduler.ts';

let active: Scheduler | null = null;
let fallback: Scheduler | null = null;
const stack: Array<Scheduler | null> = [];

export function enter(s: Scheduler): void {
  stack.push(active);
  active = s;
}

export function leave(_s: Scheduler): void {
  active = stack.pop() ?? null;
}

export function setDefaultScheduler(s: Scheduler | null): void {
  fallback = s;
}

export function currentScheduler(): Scheduler {
  const s = active ?? fallback;
  if (s === null) {
    throw new OrchardError(
      'not_in_process',
      'not_in_process: no scheduler is running here; call this from inside a process, or create one with `new Scheduler()` and make it the default with `setDefaultScheduler(scheduler)`',
    );
  }
  return s;
}
