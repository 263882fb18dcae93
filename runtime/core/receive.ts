/**
 * Receive descriptors. A process waits on one `Wait`: which messages it takes (`match`, null for
 * the first one), how long it waits (`after`, -1 for ever) and what runs the taken message.
 *
 * Generator processes write `const msg = yield receive(match, { after })`: `receive` returns a
 * Wait whose `resume` steps the generator, so a receive allocates at most one small object and
 * never a promise (DESIGN decision 1). Behaviours install one persistent Wait for their whole
 * life, so their hot path allocates nothing at all.
 */
import type { Process } from './Process.ts';

/** Picks messages out of the mailbox; gets the receiving process too, for matchers shared by many. */
export type Matcher = ((message: any, p: Process) => boolean) | null;

/** Partial object patterns: `{ type: 'EXIT', from: pid }` matches objects with those fields. */
export type Pattern = Record<string, unknown>;

export interface Wait {
  readonly match: Matcher;
  /** Milliseconds to wait for a matching message; -1 waits for ever; 0 only looks. */
  readonly after: number;
  /** A persistent wait stays armed after each message (a behaviour's loop). */
  readonly persistent: boolean;
  resume(p: Process, message: unknown): void;
}

/** What a receive with `after` returns when no matching message came in time. */
export const TIMEOUT: unique symbol = Symbol.for('orchard.timeout');
export type Timeout = typeof TIMEOUT;

/** Resumes the process's generator with the message; set by the scheduler (avoids a cycle). */
export const generatorHooks = { resume: (_p: Process, _m: unknown): void => {} };

function resumeGenerator(p: Process, message: unknown): void {
  generatorHooks.resume(p, message);
}

const ANY: Wait = { match: null, after: -1, persistent: false, resume: resumeGenerator };

/**
 * Set by the inspector only while someone looks at a process's detail (DESIGN decision 7): it
 * notes where the calling process's receive is in the source. Null otherwise: one check.
 */
export const receiveSites: { capture: (() => void) | null } = { capture: null };

/**
 * `yield receive()` takes the oldest message; `yield receive(match)` the oldest that matches,
 * leaving the others in the mailbox in order; `{ after: ms }` gives up with `TIMEOUT`.
 */
export function receive(match?: Matcher | Pattern | undefined, options?: { after?: number }): Wait {
  const after = options?.after ?? -1;
  if (receiveSites.capture !== null) receiveSites.capture();
  if (typeof after !== 'number' || Number.isNaN(after) || (after < 0 && after !== -1)) {
    throw new TypeError(`receive: 'after' must be a number of milliseconds >= 0, got ${String(after)}`);
  }
  if ((match === undefined || match === null) && after === -1) return ANY;
  return { match: toMatcher(match), after: after === Infinity ? -1 : after, persistent: false, resume: resumeGenerator };
}

/** `yield sleep(ms)`: a receive that matches nothing (timer:sleep/1). */
export function sleep(ms: number): Wait {
  return receive(NOTHING, { after: ms });
}

const NOTHING = (): boolean => false;

/**
 * `yield yieldNow()`: lets every other runnable process run first, then continues
 * (erlang:yield/0). A polling loop uses it to wait without starving anyone.
 */
export function yieldNow(): Wait {
  return YIELD;
}

/** `after: -2` marks a yield: the scheduler puts the process at the back of the run queue. */
export const YIELD: Wait = { match: NOTHING, after: -2, persistent: false, resume: resumeGenerator };

export function toMatcher(match: Matcher | Pattern | undefined): Matcher {
  if (match === undefined || match === null) return null;
  if (typeof match === 'function') return match;
  if (typeof match === 'object') return patternMatcher(match);
  throw new TypeError(`receive: a matcher is a predicate or a pattern object, got ${typeof match}`);
}

function patternMatcher(pattern: Pattern): (m: unknown) => boolean {
  const keys = Object.keys(pattern);
  return (m) => {
    if (typeof m !== 'object' || m === null) return false;
    for (const k of keys) {
      if ((m as Record<string, unknown>)[k] !== pattern[k]) return false;
    }
    return true;
  };
}
