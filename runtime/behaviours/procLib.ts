/**
 * Synchronous start, as proc_lib does it: the starter spawns (and links) the new process and
 * waits until it acknowledges that its init is done, or dies trying. Every behaviour's
 * `start`/`startLink` goes through here, and so does a supervisor starting a child.
 * https://www.erlang.org/doc/apps/stdlib/proc_lib.html#start_link/5
 */
import {
  type Body, type Pid, type Ref, type Wait, OrchardError, TIMEOUT, currentScheduler, isDownMessage, lookupModule, receive,
} from '../core/index.ts';

/** What a start returns: `{ok, Pid}`, `ignore` or `{error, Reason}` as tagged tuples. */
export type StartResult = ['ok', Pid] | ['ok', Pid, unknown] | 'ignore' | ['error', unknown];

export interface StartOptions {
  /** Milliseconds the starter waits for init before it kills the process and fails with `timeout`. */
  timeout?: number;
}

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
  const pid = s.spawn(body, args, link ? { link: true } : undefined);
  // A monitor, not only the link: the starter may trap exits, or not be linked at all.
  const ref: Ref = s.monitor(me, pid);
  const timeout = options.timeout ?? -1;
  const m = yield receive(
    (x: unknown) => isAckFrom(x, pid) || (isDownMessage(x) && x.ref === ref),
    { after: timeout === Infinity ? -1 : timeout },
  );
  s.demonitor(me, ref, true);
  if (m === TIMEOUT) {
    if (link) s.unlink(me, pid);
    s.exit(pid, 'kill');
    return ['error', 'timeout'];
  }
  if (isDownMessage(m)) return ['error', m.reason];
  return (m as Ack).result;
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

/** Starts and links a module by name through its behaviour's startLink; a plain module is spawned. */
export function* startLinkModule(module: string, args: readonly unknown[]): Generator<Wait, StartResult, unknown> {
  const def = lookupModule(module);
  const starter = def.behaviour === undefined ? undefined : starters.get(def.behaviour);
  if (starter !== undefined) return yield* starter(module, args);
  if (def.behaviour !== undefined) {
    throw new OrchardError('undef', `undef: module '${module}' runs behaviour '${def.behaviour}', which has no starter`);
  }
  const s = currentScheduler();
  s.self();
  return ['ok', s.spawn(module, args, { link: true })];
}
