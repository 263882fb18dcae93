/**
 * Driving generator processes: a body (or a blocking call made from a behaviour's callback)
 * written as a generator yields a `Wait` at each receive, and the scheduler steps it with the
 * message taken. Stepping is installed as the receive module's resume hook here, so that
 * receive.ts need not import the scheduler.
 */
import { badarg } from './errors.ts';
import { describe } from './describe.ts';
import { type Process, Status } from './Process.ts';
import { EXIT_UNWIND } from './signals.ts';
import { type Wait, generatorHooks } from './receive.ts';

/**
 * Advances a generator process to its next receive; when it returns, its loop (if any) resumes.
 * A process that died while its generator ran (its code caught the unwind and went on to a
 * yield or a return) is not stepped again: the generator is dropped, never resumed, and the
 * unwind thrown again, so no code of a dead process runs past that point (DESIGN decision 9).
 */
export function step(p: Process, input: unknown): void {
  const g = p.gen as Generator<Wait, unknown, unknown>;
  const r = g.next(input);
  if (p.status >= Status.Exiting) {
    p.gen = null;
    p.wait = null;
    throw EXIT_UNWIND;
  }
  if (r.done === true) {
    p.gen = null;
    const saved = p.ext?.saved;
    if (saved != null) {
      p.ext!.saved = null;
      p.wait = saved;
    }
    return;
  }
  const w = r.value as Wait | undefined;
  if (w === null || typeof w !== 'object' || typeof w.resume !== 'function') {
    throw badarg(`a process may only yield receive(...) or sleep(...), it yielded ${describe(w)}`);
  }
  p.wait = w;
}

generatorHooks.resume = step;

/** A generator object (what a process body or a blocking callback returns to be driven). */
export function isGenerator<T = unknown>(x: unknown): x is Generator<Wait, T, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}
