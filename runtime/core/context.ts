/**
 * Which scheduler the calling code runs on. A scheduler enters itself for each slice; code
 * outside a slice (a test, the node, a worker's setup) uses the default scheduler, the one a
 * worker or page created first, or the one set with `setDefaultScheduler`.
 */
import { OrchardError } from './errors.ts';
import { Status } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';
import { EXIT_UNWIND } from './signals.ts';

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

/**
 * The scheduler the calling code runs on. Every BIF starts here, so this is where a process that
 * is already dead is stopped again: its code caught the unwind and went on, and whatever BIF it
 * calls next throws EXIT_UNWIND instead of acting (DESIGN decision 9). While the scheduler works
 * off exits (`_draining`) the dead process is still `current`, and the scheduler's own exit
 * handling must get through.
 */
export function currentScheduler(): Scheduler {
  const s = active ?? fallback;
  if (s !== null) {
    const p = s.current;
    if (p !== null && p.status >= Status.Exiting && !s._draining) throw EXIT_UNWIND;
    return s;
  }
  throw new OrchardError(
    'not_in_process',
    'not_in_process: no scheduler is running here; call this from inside a process, or create one with `new Scheduler()` and make it the default with `setDefaultScheduler(scheduler)`',
  );
}
