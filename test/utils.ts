/**
 * Shared helpers for the runtime tests: a deterministic scheduler (manual clock, manual host),
 * collector processes that record what they receive, and clocks that count what the core asks
 * of the host.
 */
import {
  type Clock,
  ManualClock,
  type Pid,
  receiveLoop,
  Scheduler,
  type SchedulerOptions,
  setDefaultScheduler,
  type SpawnOptions,
  type Wait,
} from '../runtime/core/index.ts';
import { sendExit } from '../runtime/core/exit.ts';

/** The type of a generator process body: `function* (): Proc { const m = yield receive(); }`. */
// The return type is `any` so that bodies may end without a return statement.
export type Proc = Generator<Wait, any, any>;

export interface Harness {
  s: Scheduler;
  clock: ManualClock;
  /** Runs slices until nothing is runnable. */
  run(): void;
  /** Moves the manual clock forward (firing due host timers), then runs until idle. */
  advance(ms: number): void;
  /** The exit reason of every process that has ended, recorded from the scheduler's events. */
  exits: Map<Pid, unknown>;
  /** exit/2 from the host: an exit signal from `s.hostPid` to `pid`. */
  exit(pid: Pid, reason: unknown): void;
}

/**
 * A scheduler on a manual clock whose host never runs anything by itself (STYLE G9), set as
 * the default scheduler so that the BIFs work from test code.
 */
export function setup(options: SchedulerOptions = {}): Harness {
  const clock = new ManualClock();
  const s = new Scheduler({ clock, yieldToHost: () => {}, ...options });
  setDefaultScheduler(s);
  const exits = new Map<Pid, unknown>();
  s.onEvent = (e) => {
    if (e.type === 'exit') exits.set(e.pid, e.reason);
  };
  return {
    s,
    clock,
    exits,
    run: () => s.runUntilIdle(),
    exit: (pid, reason) => sendExit(s, pid, reason, s.hostPid),
    advance(ms) {
      clock.advance(ms);
      s.runUntilIdle();
    },
  };
}

export interface Collector {
  pid: Pid;
  /** Every message the process took from its mailbox, in the order it took them. */
  messages: unknown[];
}

/** A process that takes every message in arrival order and records it; runs until killed. */
export function collector(h: Harness, options: SpawnOptions = {}): Collector {
  const messages: unknown[] = [];
  const pid = h.s.spawn(() => receiveLoop((m) => void messages.push(m)), [], options);
  h.run();
  return { pid, messages };
}

/** True when the process has exited (the scheduler no longer knows it). */
export function dead(h: Harness, pid: Pid): boolean {
  return h.s.info(pid) === undefined;
}

export function alive(h: Harness, pid: Pid): boolean {
  return h.s.info(pid) !== undefined;
}

/**
 * Runs `fn` inside a fresh process (so that BIFs acting on the caller work) and returns what
 * it returned or threw. The process then ends.
 */
export function inProcess<T>(h: Harness, fn: () => T): { pid: Pid; result?: T; error?: unknown } {
  const out: { pid: Pid; result?: T; error?: unknown } = { pid: '' as Pid };
  out.pid = h.s.spawn(() => {
    try {
      out.result = fn();
    } catch (e) {
      out.error = e;
    }
  });
  h.run();
  return out;
}

/** Calls `fn` and returns what it threw; fails the test when it does not throw. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`expected an Error, got ${String(e)}`);
  }
  throw new Error('expected the call to throw');
}

/**
 * Wraps a clock and counts the host timers the core holds at any time, to check that all
 * receive timeouts and sendAfter timers share one host timer.
 */
export class CountingClock implements Clock {
  readonly live = new Set<unknown>();
  armed = 0;

  constructor(readonly inner: ManualClock = new ManualClock()) {}

  now(): number {
    return this.inner.now();
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.armed++;
    const handle = this.inner.setTimeout(() => {
      this.live.delete(handle);
      fn();
    }, ms);
    this.live.add(handle);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.live.delete(handle);
    this.inner.clearTimeout(handle);
  }

  advance(ms: number): void {
    this.inner.advance(ms);
  }
}

/** A clock whose time moves forward `step` ms each time it is read: a busy host in miniature. */
export function tickingClock(step = 1): Clock {
  let t = 0;
  return {
    now: () => (t += step),
    setTimeout: () => null,
    clearTimeout: () => {},
  };
}

/** A host that queues the scheduler's slice requests; `pump()` runs them as an event loop would. */
export function manualHost(): { yieldToHost: (fn: () => void) => void; requests: number; pump(): number } {
  const queue: Array<() => void> = [];
  const host = {
    requests: 0,
    yieldToHost(fn: () => void) {
      host.requests++;
      queue.push(fn);
    },
    /** Runs queued slices, including ones they request, until none is left; returns how many ran. */
    pump(): number {
      let ran = 0;
      for (let fn = queue.shift(); fn !== undefined; fn = queue.shift()) {
        ran++;
        fn();
      }
      return ran;
    },
  };
  return host;
}
