/**
 * GenServer: a server process run by callbacks, with OTP's gen_server semantics.
 * https://www.erlang.org/doc/apps/stdlib/gen_server.html
 *
 * - `start`/`startLink` return once `init` has run: `['ok', pid]`, `'ignore'` or
 *   `['error', reason]`; a name already taken gives `['error', { already_started: pid }]`.
 * - `init` returns `['ok', state]`, `['ok', state, extra]`, `['stop', reason]`, `'ignore'` or
 *   `['error', reason]`, where `extra` is a timeout in ms, `'hibernate'` or `{ continue: c }`.
 * - `handleCall` returns `['reply', reply, state, extra?]`, `['noreply', state, extra?]` (and
 *   replies later with `reply(from, value)`), `['stop', reason, reply, state]` or
 *   `['stop', reason, state]`; `handleCast`, `handleInfo` and `handleContinue` return
 *   `['noreply', state, extra?]` or `['stop', reason, state]`. Anything else stops the server
 *   with `{ bad_return_value: value }`. A `{ continue: c }` runs `handleContinue` before any
 *   queued message.
 * - A callback may be a generator function, to make blocking calls itself
 *   (`const x = yield* GenServer.call(other, req)`); the server handles no other message
 *   until it returns.
 * - `terminate(reason, state)` runs when a callback asks to stop or crashes, and on an exit
 *   signal from the parent only when the server traps exits; never after `kill`.
 * - `call` waits 5000 ms by default. On timeout the caller exits with `timeout` (catchable with
 *   try/catch, as with catch in Erlang) and the late reply is dropped; a dead or unknown server
 *   makes the caller exit with `noproc`; calling itself, with `calling_self`; a server that dies
 *   during the call makes the caller exit with the server's reason.
 * - `cast` never fails, even to a dead pid or an unregistered name.
 */
import {
  type Pid, type Process, type Ref, type Scheduler, type Wait, OrchardError, ProcessExit, TIMEOUT, currentScheduler,
  defineModule, errorReason, isDownMessage, isGenerator, isUnwind, receive, demonitor, monitor,
} from '../core/index.ts';
import { take } from '../core/mailbox.ts';
import { demonitor as demonitorProcess, monitor as monitorProcess } from '../core/monitors.ts';
import { RefSet } from '../core/RefTable.ts';
import { type StartOptions, type StartResult, initAck, initNack, registerStarter, startAndAwait } from './procLib.ts';
import { type ServerName, type ServerRef, registerServerName, resolveServer } from './serverName.ts';
import { compareTerms } from './terms.ts';
import { NO_MESSAGE, handleSystem, noteCrash, registerSys, unexpectedMessage } from './sys.ts';

// --- API ---

export const DEFAULT_CALL_TIMEOUT = 5000;

export function* start<S>(module: string | Callbacks<S>, arg?: unknown, options?: GenServerOptions): Generator<Wait, StartResult, unknown> {
  return yield* startServer(module, arg, options, false);
}

export function* startLink<S>(module: string | Callbacks<S>, arg?: unknown, options?: GenServerOptions): Generator<Wait, StartResult, unknown> {
  return yield* startServer(module, arg, options, true);
}

/** Makes a synchronous request and waits for the reply (gen_server:call/3). */
export function* call<R = unknown>(server: ServerRef, request: unknown, timeout: number = DEFAULT_CALL_TIMEOUT): Generator<Wait, R, unknown> {
  const s = currentScheduler();
  const me = s.self();
  const pid = resolveServer(s, server);
  if (pid === undefined) throw new ProcessExit('noproc');
  if (pid === me.pid) throw new ProcessExit('calling_self');
  // The monitor's ref doubles as the reply alias, as in OTP: one ref, one round trip. The
  // monitor is made and dropped on the scheduler and process found above (the BIFs would look
  // both up again, and check the ref's text and the options, on every call).
  const ref = monitorProcess(s, me, pid);
  const ext = me.extension();
  const aliases = (ext.aliases ??= new RefSet());
  aliases.add(ref);
  ext.awaiting = ref;
  s.send(pid, { type: '$gen_call', pid: me.pid, tag: ref, request } satisfies CallMessage);
  const m = yield timeout === DEFAULT_CALL_TIMEOUT ? DEFAULT_CALL_WAIT : receive(matchReply, { after: timeout === Infinity ? -1 : timeout });
  ext.awaiting = null;
  aliases.delete(ref);
  demonitorProcess(s, me, ref, true);
  if (m !== TIMEOUT && (m as ReplyMessage).type === '$gen_reply') return (m as ReplyMessage).reply as R;
  if (m === TIMEOUT) {
    dropReply(me, ref);
    throw new ProcessExit('timeout');
  }
  const reason = isDownMessage(m) ? m.reason : 'noproc';
  throw new ProcessExit(reason);
}

/** The reply to the call in progress, or the DOWN of its server: one shared matcher, no closure per call. */
function matchReply(x: any, p: Process): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const ref = p.ext!.awaiting;
  return x.type === '$gen_reply' ? x.tag === ref : x.type === 'DOWN' && x.ref === ref;
}

const DEFAULT_CALL_WAIT = receive(matchReply, { after: DEFAULT_CALL_TIMEOUT });

/** Sends an asynchronous request (gen_server:cast/2). Never fails. */
export function cast(server: ServerRef, request: unknown): void {
  const s = currentScheduler();
  const pid = resolveServer(s, server);
  if (pid !== undefined) s.send(pid, { type: '$gen_cast', request });
}

/** Replies to a caller from anywhere, e.g. after returning `['noreply', state]` (gen_server:reply/2). */
export function reply(from: From, value: unknown): void {
  const s = currentScheduler();
  s.sendAlias(from.pid, from.tag, { type: '$gen_reply', tag: from.tag, reply: value } satisfies ReplyMessage);
}

/**
 * Stops the server with `reason` and waits until it has terminated (gen_server:stop/3).
 * Exits with `noproc` if the server does not exist, `timeout` if it takes longer than `timeout`.
 */
export function* stop(server: ServerRef, reason: unknown = 'normal', timeout: number = Infinity): Generator<Wait, 'ok', unknown> {
  const s = currentScheduler();
  const me = s.self();
  const pid = resolveServer(s, server);
  if (pid === undefined) throw new ProcessExit('noproc');
  const ref = monitor(pid);
  s.send(pid, { type: '$gen_stop', reason });
  const m = yield receive((x: any) => isDownMessage(x) && x.ref === ref, { after: timeout === Infinity ? -1 : timeout });
  if (m === TIMEOUT) {
    demonitor(ref, { flush: true });
    throw new ProcessExit('timeout');
  }
  // proc_lib:stop/3: ok only if it exited with `reason`; any other reason (noproc too) is ours.
  const down = m as { reason: unknown };
  if (!sameReason(down.reason, reason)) throw new ProcessExit(down.reason);
  return 'ok';
}

/** Registers `callbacks` as a module, so it can be started by name on any scheduler. */
export function define<S>(name: string, callbacks: Callbacks<S>, behaviour: string = BEHAVIOUR): string {
  defineModule(
    name,
    (arg: unknown, starter: Pid, options: GenServerOptions, link = true) => serverMain(callbacks, arg, starter, options, behaviour, link),
    behaviour,
  );
  return name;
}

// --- Types ---

export const BEHAVIOUR = 'GenServer';

export interface From {
  pid: Pid;
  tag: Ref;
}

export type Extra = number | 'hibernate' | { continue: unknown };
export type InitResult<S> = ['ok', S] | ['ok', S, Extra] | ['stop', unknown] | 'ignore' | ['error', unknown];
export type CallResult<S> =
  | ['reply', unknown, S]
  | ['reply', unknown, S, Extra]
  | ['noreply', S]
  | ['noreply', S, Extra]
  | ['stop', unknown, unknown, S]
  | ['stop', unknown, S];
export type NoReplyResult<S> = ['noreply', S] | ['noreply', S, Extra] | ['stop', unknown, S];

type MaybeGen<T> = T | Generator<Wait, T, unknown>;

export interface Callbacks<S = any> {
  init(arg: any): MaybeGen<InitResult<S>>;
  handleCall?(request: any, from: From, state: S): MaybeGen<CallResult<S>>;
  handleCast?(request: any, state: S): MaybeGen<NoReplyResult<S>>;
  handleInfo?(message: any, state: S): MaybeGen<NoReplyResult<S>>;
  handleContinue?(continuation: any, state: S): MaybeGen<NoReplyResult<S>>;
  /** May be a generator function when it must wait (a supervisor stopping its children). */
  terminate?(reason: unknown, state: S): void | Generator<Wait, void, unknown>;
  /** How the inspector shows the state (gen_server's format_status). */
  formatStatus?(state: S): unknown;
}

export interface GenServerOptions extends StartOptions {
  /** A registered name, or `{ via: [registry, key] }`. */
  name?: ServerName;
  /** A label for the inspector (proc_lib:set_label). */
  label?: string;
  /** @internal The behaviour built on this server ('Supervisor', 'Agent'…), for the inspector. */
  behaviour?: string;
}

/** Doubles as the `from` handed to handleCall: it carries the caller's pid and tag. */
interface CallMessage extends From {
  type: '$gen_call';
  request: unknown;
}

interface ReplyMessage {
  type: '$gen_reply';
  tag: Ref;
  reply: unknown;
}

// --- State ---

/** One per server; its loop's only allocation is what the callbacks return. */
interface Server<S> {
  readonly cbs: Callbacks<S>;
  readonly scheduler: Scheduler;
  readonly process: Process;
  state: S;
  /**
   * Parent: the starter of a startLink, the server itself after a plain start (gen.erl), so
   * that only a linked starter's exit signal ends the server, with terminate when trapping.
   */
  readonly parent: Pid;
  /** The pending `{timeout}` from the last result, and its sequence number. */
  timer: number;
  timeoutSeq: number;
  /** The message being handled or last handled (sys:get_status, the crash report). */
  last: unknown;
  /** The loop's wait, and the one that stands in for it while suspended (sys.ts). */
  loop: Wait | null;
  suspended: Wait | null;
}

// --- Handlers ---

function* startServer<S>(module: string | Callbacks<S>, arg: unknown, options: GenServerOptions = {}, link: boolean): Generator<Wait, StartResult, unknown> {
  const s = currentScheduler();
  const me = s.self();
  const opts = cloneableOptions(options);
  if (typeof module === 'string') return yield* startAndAwait(module, [arg, me.pid, opts, link], link, options);
  if (typeof module !== 'object' || module === null || typeof module.init !== 'function') {
    throw new OrchardError('badarg', `badarg: GenServer.start needs a module name or callbacks with init, got ${typeof module}`);
  }
  const behaviour = options.behaviour ?? BEHAVIOUR;
  const body = function genServer(): unknown {
    return serverMain(module, arg, me.pid, opts, behaviour, link);
  };
  return yield* startAndAwait(body, [], link, options);
}

/** The server process's body: registers its name, runs init, acks, then loops. */
function serverMain<S>(cbs: Callbacks<S>, arg: unknown, starter: Pid, options: GenServerOptions, behaviour: string, link: boolean): unknown {
  const s = currentScheduler();
  const p = s.self();
  const parent = link ? starter : p.pid;
  const ext = p.extension();
  ext.behaviour = behaviour;
  if (options.label !== undefined) ext.label = options.label;
  if (options.name !== undefined) {
    const owner = registerServerName(s, options.name, p.pid);
    if (owner !== null) {
      initNack(starter, ['error', { already_started: owner }]);
      return undefined; // exit normal, as gen.erl init_it does when the name is taken
    }
  }
  const r = cbs.init(arg);
  if (isGenerator(r)) {
    return (function* () {
      const result = yield* r;
      const pending = afterInit(s, p, cbs, starter, parent, result);
      if (pending !== undefined) yield* pending;
    })();
  }
  const pending = afterInit(s, p, cbs, starter, parent, r);
  if (pending !== undefined) return pending;
  return undefined;
}

function afterInit<S>(s: Scheduler, p: Process, cbs: Callbacks<S>, starter: Pid, parent: Pid, result: InitResult<S>): Pending {
  if (result === 'ignore') initFail(s, p, starter, 'ignore', 'normal');
  if (!Array.isArray(result)) initFail(s, p, starter, ['error', { bad_return_value: result }], { bad_return_value: result });
  if (result[0] === 'stop') initFail(s, p, starter, ['error', result[1]], result[1]);
  if (result[0] === 'error') initFail(s, p, starter, ['error', result[1]], 'normal');
  if (result[0] !== 'ok') initFail(s, p, starter, ['error', { bad_return_value: result }], { bad_return_value: result });
  const srv: Server<S> = { cbs, scheduler: s, process: p, state: result[1], parent, timer: 0, timeoutSeq: 0, last: NO_MESSAGE, loop: null, suspended: null };
  p.extension().reportState = () => (cbs.formatStatus === undefined ? srv.state : cbs.formatStatus(srv.state));
  const loop: Wait = { match: null, after: -1, persistent: true, resume: (_p, message) => dispatch(srv, message) };
  srv.loop = loop;
  registerSys(srv);
  p.wait = loop;
  // When init (or its continue) is still a generator on the stack, the loop starts once it returns.
  p.extension().saved = loop;
  initAck(starter, ['ok', p.pid]);
  return result.length === 3 ? applyExtra(srv, result[2]) : undefined;
}

/**
 * proc_lib:init_fail: tells the starter and exits. The name goes first: a starter that
 * restarts the server at once must not find it still taken (`already_started`).
 */
function initFail(s: Scheduler, p: Process, starter: Pid, ack: StartResult, reason: unknown): never {
  const name = p.ext?.name;
  if (name != null) s.unregister(name);
  initNack(starter, ack);
  throw new ProcessExit(reason);
}

/** One message through the callbacks. No closure per message: this is the hot path. */
function dispatch<S>(srv: Server<S>, msg: any): void {
  const type = typeof msg === 'object' && msg !== null ? msg.type : undefined;
  // A timeout that fired while another message waited ahead of it is void: that message came first.
  if (type === '$gen_timeout' && msg.seq !== srv.timeoutSeq) return;
  // System messages (sys.ts) leave a pending timeout and the last message as they are.
  if (type === '$system') return handleSystem(srv, msg);
  srv.last = msg;
  if (srv.timer !== 0) {
    srv.scheduler.cancelTimer(srv.timer);
    srv.timer = 0;
    srv.timeoutSeq++;
  }
  const cbs = srv.cbs;
  // Stops that run only terminate stay out of the try below: a terminate that throws there
  // would pass for a crashing callback and run a second time.
  if (type === '$gen_stop') return block(srv, stopping(srv, msg.reason));
  // An exit signal from the parent reaches us as a message only when we trap exits.
  if (type === 'EXIT' && msg.from === srv.parent) return block(srv, stopping(srv, msg.reason));
  if (type === '$gen_call' && cbs.handleCall === undefined) return block(srv, stopping(srv, { undef: 'handleCall' }));
  if (type === '$gen_cast' && cbs.handleCast === undefined) return block(srv, stopping(srv, { undef: 'handleCast' }));
  let from: From | null = null;
  let r: MaybeGen<CallResult<S> | NoReplyResult<S>>;
  let pending: Pending;
  try {
    switch (type) {
      case '$gen_call':
        from = msg as CallMessage;
        r = cbs.handleCall!(msg.request, from, srv.state);
        break;
      case '$gen_cast':
        r = cbs.handleCast!(msg.request, srv.state);
        break;
      case '$gen_timeout':
        if (cbs.handleInfo === undefined) return;
        r = cbs.handleInfo('timeout', srv.state);
        break;
      default:
        if (cbs.handleInfo === undefined) return unexpectedMessage(srv, msg); // logged and dropped, as Elixir does
        r = cbs.handleInfo(msg, srv.state);
    }
  } catch (e) {
    return block(srv, crashing(srv, e));
  }
  pending = settle(srv, r, from);
  if (pending !== undefined) block(srv, pending);
}

/** Blocking work still to do before the next message: run by the scheduler as a generator. */
type Pending = Generator<Wait, void, unknown> | undefined;

function block<S>(srv: Server<S>, pending: Pending): void {
  if (pending !== undefined) srv.scheduler.runGenerator(srv.process, pending);
}

/**
 * Applies a callback's result. Returns the blocking work left (a generator callback, a
 * `handleContinue` that blocks, a `terminate` that blocks), or undefined when all is done.
 */
function settle<S>(srv: Server<S>, r: MaybeGen<CallResult<S> | NoReplyResult<S>>, from: From | null): Pending {
  if (!isGenerator<CallResult<S> | NoReplyResult<S>>(r)) return apply(srv, r, from);
  return (function* () {
    let result: CallResult<S> | NoReplyResult<S>;
    try {
      result = yield* r;
    } catch (e) {
      const g = crashing(srv, e);
      if (g !== undefined) yield* g;
      return;
    }
    const g = apply(srv, result, from);
    if (g !== undefined) yield* g;
  })();
}

function apply<S>(srv: Server<S>, r: CallResult<S> | NoReplyResult<S>, from: From | null): Pending {
  if (Array.isArray(r)) {
    switch (r[0]) {
      case 'reply':
        if (from !== null && (r.length === 3 || r.length === 4)) {
          srv.state = r[2] as S;
          reply(from, r[1]);
          return r.length === 4 ? applyExtra(srv, r[3]) : undefined;
        }
        break;
      case 'noreply':
        if (r.length === 2 || r.length === 3) {
          srv.state = r[1] as S;
          return r.length === 3 ? applyExtra(srv, r[2]) : undefined;
        }
        break;
      case 'stop':
        if (r.length === 4 && from !== null) {
          srv.state = r[3] as S;
          // terminate runs before the caller gets its reply, as in gen_server.
          return stopping(srv, r[1], () => reply(from, r[2]));
        }
        if (r.length === 3) {
          srv.state = r[2] as S;
          return stopping(srv, r[1]);
        }
        break;
    }
  }
  return stopping(srv, { bad_return_value: r });
}

function applyExtra<S>(srv: Server<S>, extra: Extra): Pending {
  if (typeof extra === 'number') {
    // {timeout}: a message `timeout` arrives unless another message comes first.
    const seq = ++srv.timeoutSeq;
    srv.timer = srv.scheduler.sendAfter(extra, srv.process.pid, { type: '$gen_timeout', seq });
    return undefined;
  }
  if (typeof extra === 'object' && extra !== null && 'continue' in extra) {
    const cbs = srv.cbs;
    if (cbs.handleContinue === undefined) return stopping(srv, { undef: 'handleContinue' });
    // Runs now, before the loop takes any queued message.
    let r: MaybeGen<NoReplyResult<S>>;
    try {
      r = cbs.handleContinue(extra.continue, srv.state);
    } catch (e) {
      return crashing(srv, e);
    }
    return settle(srv, r, null);
  }
  if (extra === 'hibernate') return undefined;
  return stopping(srv, { bad_return_value: extra });
}

// --- Termination ---

/**
 * Runs `terminate(reason, state)` and ends the process with `reason`. A terminate that blocks
 * (a supervisor shutting its children down) comes back as a generator to run first.
 */
function stopping<S>(srv: Server<S>, reason: unknown, afterTerminate?: () => void): Pending {
  noteCrash(srv, reason);
  const t = srv.cbs.terminate;
  let r: unknown;
  try {
    r = t === undefined ? undefined : t(reason, srv.state);
  } catch (e) {
    // gen_server replies in an `after` clause: the caller gets its reply even so.
    afterTerminate?.();
    throw new ProcessExit(exitReasonOf(e));
  }
  if (!isGenerator(r)) {
    afterTerminate?.();
    throw new ProcessExit(reason);
  }
  return (function* () {
    try {
      yield* r;
    } catch (e) {
      if (isUnwind(e)) throw e;
      afterTerminate?.();
      throw new ProcessExit(exitReasonOf(e));
    }
    afterTerminate?.();
    throw new ProcessExit(reason);
  })();
}

function crashing<S>(srv: Server<S>, e: unknown): Pending {
  // Already killed by a signal while in a callback: nothing more may run.
  if (!srv.process.alive || isUnwind(e)) throw e;
  return stopping(srv, exitReasonOf(e));
}

/** exit(Reason) in a callback exits with Reason; any other throw is an error. */
function exitReasonOf(e: unknown): unknown {
  return e instanceof ProcessExit ? e.reason : errorReason(e);
}

// --- Helpers ---


/**
 * Equality of exit reasons as terms: a reason may have been copied on its way from another
 * scheduler. One that is no term (a function inside) equals only itself.
 */
function sameReason(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return compareTerms(a, b) === 0;
  } catch {
    return false;
  }
}

/** Drops a reply that arrived after the call timed out (the alias is gone, but it may be queued). */
function dropReply(p: Process, ref: Ref): void {
  take(p, (m: any) => typeof m === 'object' && m !== null && m.type === '$gen_reply' && m.tag === ref);
}

function cloneableOptions(options: GenServerOptions): GenServerOptions {
  const out: GenServerOptions = {};
  if (options.name !== undefined) out.name = options.name;
  if (options.label !== undefined) out.label = options.label;
  return out;
}

registerStarter(BEHAVIOUR, (module, args, options) => startLink(module, args[0], { ...((args[1] as GenServerOptions | undefined) ?? {}), ...options }));
