/**
 * Runs a benchmark's main process on a fresh scheduler, as an application would: the real
 * clock, the default host yield (setImmediate in Node) and real slices. The main process hands
 * its result to `done`, which resolves the returned promise from inside the process.
 */
import { Scheduler, type Wait } from '../../../runtime/core/index.ts';

export type Gen = Generator<Wait, void, unknown>;

export function onScheduler<T>(main: (done: (value: T) => void) => Gen, scheduler = new Scheduler()): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    scheduler.spawn(function* benchMain(): Gen {
      try {
        yield* main(resolve);
      } catch (e) {
        reject(e);
        throw e;
      }
    });
  });
}

export const now = (): number => performance.now();
