/**
 * Host code (a test, the page, the inspector) is not a process and cannot block; it asks a
 * short-lived process to do the blocking work and gets a Promise of the result.
 */
import { type Scheduler, type Wait, ProcessExit, formatReason, isGenerator } from '../core/index.ts';

export function runInProcess<T>(s: Scheduler, fn: () => Generator<Wait, T, unknown> | T, label = 'host call'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    s.spawn(
      function* hostCall() {
        try {
          const r = fn();
          resolve(isGenerator<T>(r) ? yield* r : r);
        } catch (e) {
          reject(e instanceof ProcessExit ? new Error(`${label} exited: ${formatReason(e.reason)}`, { cause: e.reason }) : e);
        }
      },
      [],
      { label },
    );
  });
}

