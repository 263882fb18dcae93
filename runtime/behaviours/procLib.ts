/**
 * Synchronous start, as proc_lib does it: the starter spawns (and links) the new process and
 * waits until it acknowledges that its init is done, or dies trying. Every behaviour's
 * `start`/`startLink` goes through here, and so does a supervisor starting a child.
 * https://www.erlang.org/doc/apps/stdlib/proc_lib.html#start_link/5
 *
 * As OTP 26 and later: a start that fails (the process calls `initNack`, crashes or times out)
 * returns only once the process has exited, and a starter that traps exits does not find the
 * process's `EXIT` message in its mailbox afterwards: start_link "receives (consumes) the 'EXIT'
 * message" (proc_lib docs, start_link/5; proc_lib.erl sync_start and flush_EXIT, OTP 26.0).
 */
import {
  type Body, type Pid, type Process, type Ref, type SpawnOptions, type Wait, OrchardError, TIMEOUT,
  currentScheduler, isDownMessage, isExitMessage, lookupModule, receive, demonitor, exit, monitor, unlink,
} from '../core/index.ts';
import { take } from '../core/mailbox.ts';

/** What a start returns: `{ok, Pid}`, `ignore` or `{error, Reason}` as tagged tuples. */
export type StartResult = ['ok', Pid] | ['ok', Pid, unknown] | 'ignore' | ['error', unknown];

export interface StartOptions {
  /** Milliseconds the starter waits for init before it kills the process and fails with `timeout`. */
  timeout?: number;
  /**
   * Where the new process runs, as spawn's option of that name (proc_lib's SpawnOpts): a
   * scheduler index or 'least_loaded'. Only a module started by name can run elsewhere.
   */
  scheduler?: SpawnOptions['scheduler'];
}

interface Ack {
  type: '$ack';
  pid: Pid;
  result: StartResult;
  /** Sent by initFail: the process exits next, and the starter waits until it has. */
  failed?: true;
}

/** Sent by the new process to its starter when init has finished (proc_lib:init_ack/2). */
export function initAck(starter: Pid, result: StartResult): void {
  const s = currentScheduler();
  s.send(starter, { type: '$ack', pid: s.self().pid, result } satisfies Ack);
}

/**
 * Tells the starter that init failed with `result` (proc_lib:init_fail/2, OTP 26); the caller
 * then exits. The start returns `result` once the process is gone.
 */
export function initNack(starter: Pid, result: StartResult): void {
  const s = currentScheduler();
  s.send(starter, { type: '$ack', pid: s.self().pid, result, failed: true } satisfies Ack);
}

/**
 * Spawns `body(...args)` (a function or a module name) and waits for its ack. With `link`, the
 * link is made atomically at spawn, so a failing init also reaches a non-trapping starter.
 */
export function* startAndAwait(
  body: Body | string,
  args: readonly unknown[],
  link: boolean,
  options: StartOptions = {},
): Generator<Wait, StartResult, unknown> {
  const s = currentScheduler();
  const me = s.self();
  const pid = s.spawn(body, args, spawnOptions(link, options.scheduler));
  // A monitor, not only the link: the starter may trap exits, or not be linked at all.
  const ref: Ref = monitor(pid);
  const timeout = options.timeout ?? -1;
  const m = yield receive(
    (x: unknown) => isAckFrom(x, pid) || (isDownMessage(x) && x.ref === ref),
    { after: timeout === Infinity ? -1 : timeout },
  );
  if (m === TIMEOUT) {
    // proc_lib's kill_flush_EXIT: unlink before the kill, or the link might take us down.
    if (link) unlink(pid);
    exit(pid, 'kill');
    yield* awaitDown(ref);
    flushExit(me, pid);
    return ['error', 'timeout'];
  }
  if (isDownMessage(m)) {
    flushExit(me, pid);
    return ['error', m.reason];
  }
  const ack = m as Ack;
  if (ack.failed === true) {
    yield* awaitDown(ref);
    flushExit(me, pid);
    return ack.result;
  }
  demonitor(ref, { flush: true });
  return ack.result;
}

function* awaitDown(ref: Ref): Generator<Wait, void, unknown> {
  yield receive((x: unknown) => isDownMessage(x) && x.ref === ref);
}

/** proc_lib's flush_EXIT: unlinks and drops the EXIT message of a start that failed, if any. */
function flushExit(me: Process, pid: Pid): void {
  unlink(pid);
  take(me, (x) => isExitMessage(x) && x.from === pid);
}

function spawnOptions(link: boolean, scheduler: SpawnOptions['scheduler']): SpawnOptions | undefined {
  if (scheduler === undefined) return link ? { link: true } : undefined;
  return link ? { link: true, scheduler } : { scheduler };
}

function isAckFrom(x: unknown, pid: Pid): boolean {
  return typeof x === 'object' && x !== null && (x as Ack).type === '$ack' && (x as Ack).pid === pid;
}

/**
 * How each behaviour starts a module registered under its name with `startLink`: a child spec
 * names a module and arguments, and the supervisor does not need to know which behaviour it is.
 * The start options (a placement) go through to the behaviour's own start.
 */
type Starter = (module: string, args: readonly unknown[], options: StartOptions) => Generator<Wait, StartResult, unknown>;
const starters = new Map<string, Starter>();

export function registerStarter(behaviour: string, starter: Starter): void {
  starters.set(behaviour, starter);
}

/**
 * Starts and links a module by name through its behaviour's startLink; a plain module is spawned.
 * With `scheduler`, the new process is spawned there (a supervisor's placed child).
 */
export function* startLinkModule(
  module: string,
  args: readonly unknown[],
  options: StartOptions = {},
): Generator<Wait, StartResult, unknown> {
  const def = lookupModule(module);
  const starter = def.behaviour === undefined ? undefined : starters.get(def.behaviour);
  if (starter !== undefined) return yield* starter(module, args, options);
  if (def.behaviour !== undefined) {
    throw new OrchardError('undef', `undef: module '${module}' runs behaviour '${def.behaviour}', which has no starter`);
  }
  const s = currentScheduler();
  s.self();
  return ['ok', s.spawn(module, args, spawnOptions(true, options.scheduler))];
}
