/**
 * Synchronous start, as proc_lib does it: the starter spawns (and links) the new process and
 * waits until it acknowledges that its init is done, or dies trying. Every behaviour's
 * `start`/`startLink` goes through here, and so does a supervisor starting a child.
 * https://www.erlang.org/doc/apps/stdlib/proc_lib.html#start_link/5
 */
import {
  type Body, type Pid, type Ref, type SpawnOptions, type Wait, OrchardError, TIMEOUT, currentScheduler, isDownMessage,
  lookupModule, receive, demonitor, exit, monitor, unlink,
} from '../core/index.ts';

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

/**
 * The placement asked of `startLinkModule` while it runs its behaviour's starter, which knows
 * nothing of it: the first `startAndAwait` of that start takes it. Set only for that start's
 * first step (which runs synchronously up to the spawn), so no other spawn can see it; a starter
 * that waited before it spawned would start its process unplaced (the registered ones do not).
 */
let pendingScheduler: SpawnOptions['scheduler'];

interface Ack {
  type: '$ack';
  pid: Pid;
  result: StartResult;
}

/** Sent by the new process to its starter when init has finished (proc_lib:init_ack/2). */
export function initAck(starter: Pid, result: StartResult): void {
  const s = currentScheduler();
  s.send(starter, { type: '$ack', pid: s.self().pid, result } satisfies Ack);
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
  const scheduler = options.scheduler ?? pendingScheduler;
  pendingScheduler = undefined;
  const pid = s.spawn(body, args, spawnOptions(link, scheduler));
  // A monitor, not only the link: the starter may trap exits, or not be linked at all.
  const ref: Ref = monitor(pid);
  const timeout = options.timeout ?? -1;
  const m = yield receive(
    (x: unknown) => isAckFrom(x, pid) || (isDownMessage(x) && x.ref === ref),
    { after: timeout === Infinity ? -1 : timeout },
  );
  demonitor(ref, { flush: true });
  if (m === TIMEOUT) {
    if (link) unlink(pid);
    exit(pid, 'kill');
    return ['error', 'timeout'];
  }
  if (isDownMessage(m)) return ['error', m.reason];
  return (m as Ack).result;
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
 */
type Starter = (module: string, args: readonly unknown[]) => Generator<Wait, StartResult, unknown>;
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
  options: { scheduler?: SpawnOptions['scheduler'] } = {},
): Generator<Wait, StartResult, unknown> {
  const def = lookupModule(module);
  const starter = def.behaviour === undefined ? undefined : starters.get(def.behaviour);
  const scheduler = options.scheduler;
  if (starter !== undefined) {
    return scheduler === undefined ? yield* starter(module, args) : yield* placed(scheduler, starter(module, args));
  }
  if (def.behaviour !== undefined) {
    throw new OrchardError('undef', `undef: module '${module}' runs behaviour '${def.behaviour}', which has no starter`);
  }
  const s = currentScheduler();
  s.self();
  return ['ok', s.spawn(module, args, spawnOptions(true, scheduler))];
}

/** Runs `start` with `scheduler` pending for its first step, then hands every later step on. */
function* placed(scheduler: SpawnOptions['scheduler'], start: Generator<Wait, StartResult, unknown>): Generator<Wait, StartResult, unknown> {
  pendingScheduler = scheduler;
  let r: IteratorResult<Wait, StartResult>;
  try {
    r = start.next();
  } finally {
    pendingScheduler = undefined;
  }
  while (r.done !== true) {
    let input: unknown;
    try {
      input = yield r.value;
    } catch (e) {
      r = start.throw(e);
      continue;
    }
    r = start.next(input);
  }
  return r.value;
}
