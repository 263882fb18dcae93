/**
 * Helpers for the behaviour tests. Blocking APIs (GenServer.call, Supervisor.startLink…) are
 * generators that must run inside a process, so each test drives them from a driver process:
 * a long-lived process that runs the jobs the test hands it, one at a time, and stays alive in
 * between, as the shell does in OTP's suites (what it starts with startLink stays linked to it).
 */
import {
  type Pid, ProcessExit, type RuntimeEvent, type SchedulerOptions, type Wait, isPid, isUnwind, receive, spawnLink, trapExit,
} from '../../../runtime/core/index.ts';
import type { GenServer, StartResult } from '../../../runtime/behaviours/index.ts';
import { type Harness, type Proc, setup } from '../../utils.ts';

export interface Outcome<T> {
  /** The job has returned or exited. */
  done: boolean;
  value?: T;
  /** The reason, when the job exited (`exit(reason)`, a failed call…): caught, as `catch` does. */
  exit?: unknown;
}

export interface Driver {
  pid: Pid;
  /** Hands `job` to the driver and runs the scheduler until idle; the job may still be waiting. */
  start<T>(job: () => Generator<Wait, T, unknown> | T): Outcome<T>;
  /** Runs `job` to the end and returns its value; fails the test if it exited or still waits. */
  run<T>(job: () => Generator<Wait, T, unknown> | T): T;
  /** Runs `job` to the end and returns the reason it exited with; fails the test if it returned. */
  exitOf(job: () => Generator<Wait, unknown, unknown> | unknown): unknown;
  /** The messages waiting in the driver's mailbox (its EXIT messages, when it traps exits). */
  mailbox(): unknown[];
  alive(): boolean;
}

interface Job {
  type: '$job';
  fn: () => unknown;
  /** The test's record of the outcome: reached through a closure, as messages are frozen values. */
  out: () => Outcome<unknown> & { error?: unknown };
}

const isJob = (m: unknown): m is Job => typeof m === 'object' && m !== null && (m as Job).type === '$job';

/** Spawns a driver process on the harness's scheduler; `trapExit` as OTP's suites do with process_flag. */
export function driver(h: Harness, options: { trapExit?: boolean } = {}): Driver {
  const pid = h.s.spawn(function* driverLoop(): Proc {
    if (options.trapExit === true) trapExit(true);
    for (;;) {
      const job = (yield receive(isJob)) as Job;
      const out = job.out();
      try {
        const r = job.fn();
        out.value = isGenerator(r) ? yield* r : r;
      } catch (e) {
        if (isUnwind(e)) throw e;
        if (e instanceof ProcessExit) out.exit = e.reason;
        else out.error = e;
      }
      out.done = true;
    }
  }, [], { label: 'test driver' });
  h.run();
  const d: Driver = {
    pid,
    start<T>(fn: () => Generator<Wait, T, unknown> | T): Outcome<T> {
      if (!d.alive()) throw new Error('the test driver has exited');
      const out: ReturnType<Job['out']> = { done: false };
      h.s.send(pid, { type: '$job', fn, out: () => out } satisfies Job);
      h.run();
      if (out.error !== undefined) throw out.error;
      return out as Outcome<T>;
    },
    run<T>(fn: () => Generator<Wait, T, unknown> | T): T {
      const out = d.start(fn);
      if (!out.done) throw new Error('the job is still waiting');
      if ('exit' in out) throw new Error(`the job exited: ${JSON.stringify(out.exit)}`);
      return out.value as T;
    },
    exitOf(fn) {
      const out = d.start(fn);
      if (!out.done) throw new Error('the job is still waiting');
      if (!('exit' in out)) throw new Error(`the job returned ${JSON.stringify(out.value)} instead of exiting`);
      return out.exit;
    },
    mailbox() {
      const p = h.s.procs.get(pid);
      return p?.mbox == null ? [] : p.mbox.slice(p.mhead);
    },
    alive: () => h.s.procs.has(pid),
  };
  return d;
}

/** A fresh harness and a driver on it: the setup of most behaviour tests. */
export function driven(options: { trapExit?: boolean } = {}): { h: ReturnType<typeof harness>; d: Driver } {
  const h = harness();
  return { h, d: driver(h, options) };
}

/** A deterministic scheduler (STYLE G9) that also records every runtime event in order. */
export function harness(options: SchedulerOptions = {}): Harness & { events: RuntimeEvent[] } {
  const h = setup(options);
  const events: RuntimeEvent[] = [];
  const recordExit = h.s.onEvent;
  h.s.onEvent = (e) => {
    recordExit?.(e);
    events.push(e);
  };
  return Object.assign(h, { events });
}

/** The pid of an `['ok', pid]` start result; fails the test on anything else. */
export function okPid(r: StartResult | unknown): Pid {
  if (!Array.isArray(r) || r[0] !== 'ok' || !isPid(r[1])) throw new Error(`expected ['ok', pid], got ${JSON.stringify(r)}`);
  return r[1];
}

/** What the callbacks of a test server or child did, in order. */
export type Log = unknown[][];

export interface WorkerOptions {
  /** Trap exits, so a supervisor's `shutdown` runs terminate (and the log shows the order). */
  trap?: boolean;
  /** Ms terminate takes (a slow cleanup): a generator that sleeps that long. */
  slowTerminate?: number;
}

/**
 * A supervised worker as OTP's suites write one (supervisor_1): logs `['start', id]` from init
 * and `['terminate', id, reason]` from terminate; answers `'ping'`; stops on `{ stop: reason }`.
 */
export function worker(id: string, log: Log, options: WorkerOptions = {}): GenServer.Callbacks<null> {
  return {
    init() {
      if (options.trap === true) trapExit(true);
      log.push(['start', id]);
      return ['ok', null];
    },
    handleCall(request: unknown, _from, state) {
      if (request === 'ping') return ['reply', 'pong', state];
      if (typeof request === 'object' && request !== null && 'stop' in request) {
        return ['stop', (request as { stop: unknown }).stop, 'ok', state];
      }
      return ['reply', null, state];
    },
    handleCast(request: unknown, state) {
      if (typeof request === 'object' && request !== null && 'stop' in request) {
        return ['stop', (request as { stop: unknown }).stop, state];
      }
      return ['noreply', state];
    },
    terminate(reason) {
      log.push(['terminate', id, reason]);
      const ms = options.slowTerminate;
      if (ms === undefined) return undefined;
      return (function* () {
        yield receive(() => false, { after: ms });
      })();
    },
  };
}

/** A child that traps exits and never reads its mailbox: only `kill` ends it. */
export function stubbornChild(): ['ok', Pid] {
  return [
    'ok',
    spawnLink(function* stubborn(): Proc {
      trapExit(true);
      yield receive(() => false);
    }),
  ];
}

function isGenerator(x: unknown): x is Generator<Wait, unknown, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}
