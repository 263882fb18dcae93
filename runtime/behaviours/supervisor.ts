/**
 * Supervisor: starts children, watches them, and restarts them as its strategy says, with
 * OTP's supervisor semantics. https://www.erlang.org/doc/apps/stdlib/supervisor.html
 *
 * - Children start in order and stop in reverse order. A child that fails to start when the
 *   supervisor starts makes the whole start fail with
 *   `{ shutdown: { failed_to_start_child: [id, reason] } }`, after the children already started
 *   are stopped again.
 * - `one_for_one`: only the child that exited is restarted. `one_for_all`: the others are
 *   terminated (reverse start order) and all are restarted (start order). `rest_for_one`: the
 *   children started after it are terminated (reverse order), then it and they are restarted.
 * - `permanent` children are always restarted, `transient` ones only after an abnormal exit
 *   (not `normal`, `shutdown` or `{ shutdown: _ }`), `temporary` ones never (and their spec is
 *   dropped when they exit).
 * - More than `intensity` restarts within `period` seconds: the supervisor terminates all its
 *   children and exits with `shutdown`; its own supervisor reacts in turn. A child that fails to
 *   restart is tried again later, and each try counts against the intensity.
 * - `shutdown`: `brutal_kill` kills at once; a time in ms sends `shutdown` and kills when it
 *   runs out; `infinity` waits (the default for supervisor children; 5000 for workers).
 * - `autoShutdown` (OTP 24+ `auto_shutdown`, supervisor docs "Automatic Shutdown"): with
 *   `'any_significant'` the supervisor shuts down (its children, then itself with `shutdown`)
 *   when any `significant` child ends by itself and is not restarted; with `'all_significant'`,
 *   when the last running significant child has; `'never'` (the default) ignores significance,
 *   and a significant child under it is a bad spec. A child that the supervisor terminates
 *   (terminateChild, a strategy's restart) never sets it off.
 */
import { type Pid, type SupervisorReport, type Wait, currentScheduler, isExitMessage, isNormalExit, isPid, trapExit } from '../core/index.ts';
import { type AutoShutdown, type ChildSpec, type FullChildSpec, checkChildSpec, placedStart } from './childSpec.ts';
import { checkShutdown, shutdownChild, startChildProcess } from './childProcess.ts';
import * as GenServer from './genServer.ts';
import { type StartResult, registerStarter } from './procLib.ts';
import {
  type Engine, type RestartFlags, DEFAULT_INTENSITY, DEFAULT_PERIOD, checkRestartFlags, countRestart, isTryAgain, publish as publishView,
  report as engineReport, reportError, restarted, tryAgainLater,
} from './supervisorEngine.ts';
import type { ServerName, ServerRef } from './serverName.ts';

// --- API ---

/** Starts a supervisor with these children and flags (Elixir's Supervisor.start_link/2). */
export function startLink(children: ChildSpec[], options?: SupervisorOptions): Generator<Wait, StartResult, unknown>;
/** Starts a supervisor module defined with `define`, passing `arg` to its init. */
export function startLink(module: string, arg?: unknown, options?: { name?: ServerName }): Generator<Wait, StartResult, unknown>;
export function* startLink(what: ChildSpec[] | string, a?: unknown, b?: { name?: ServerName }): Generator<Wait, StartResult, unknown> {
  if (typeof what === 'string') return yield* GenServer.startLink(what, a, { ...b, behaviour: BEHAVIOUR });
  const options = (a ?? {}) as SupervisorOptions;
  const cbs = callbacks(() => ['ok', [options, what]]);
  const serverOptions: GenServer.GenServerOptions = { behaviour: BEHAVIOUR };
  if (options.name !== undefined) serverOptions.name = options.name;
  if (options.label !== undefined) serverOptions.label = options.label;
  return yield* GenServer.startLink(cbs, undefined, serverOptions);
}

export function whichChildren(sup: ServerRef): Generator<Wait, WhichChild[], unknown> {
  return GenServer.call(sup, { which: true }, Infinity);
}

export function countChildren(sup: ServerRef): Generator<Wait, ChildCount, unknown> {
  return GenServer.call(sup, { count: true }, Infinity);
}

/**
 * Starts a child and keeps its spec. A start that returns `ignore` answers `['ok', null]`
 * (OTP's `{ok, undefined}`): the spec is kept with no pid, unless the child is temporary.
 */
export function startChild(sup: ServerRef, spec: ChildSpec): Generator<Wait, ChildStartResult | ['error', 'already_present'], unknown> {
  return GenServer.call(sup, { startChild: spec }, Infinity);
}

export function terminateChild(sup: ServerRef, id: string): Generator<Wait, 'ok' | ['error', 'not_found'], unknown> {
  return GenServer.call(sup, { terminateChild: id }, Infinity);
}

/** Starts a stopped child again from its kept spec; `ignore` answers `['ok', null]` as startChild does. */
export function restartChild(sup: ServerRef, id: string): Generator<Wait, ChildStartResult | ['error', 'running' | 'restarting' | 'not_found'], unknown> {
  return GenServer.call(sup, { restartChild: id }, Infinity);
}

export function deleteChild(sup: ServerRef, id: string): Generator<Wait, 'ok' | ['error', 'running' | 'restarting' | 'not_found'], unknown> {
  return GenServer.call(sup, { deleteChild: id }, Infinity);
}

/** Registers a supervisor module: `init(arg)` returns `['ok', [flags, childSpecs]]` or `'ignore'`. */
export function define(name: string, module: SupervisorModule): string {
  return GenServer.define(name, callbacks((arg) => module.init(arg)), BEHAVIOUR);
}

// --- Types ---

export const BEHAVIOUR = 'Supervisor';
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface SupervisorFlags extends RestartFlags {
  strategy?: Strategy;
  /** When significant children's exits stop the supervisor (OTP `auto_shutdown`); default `'never'`. */
  autoShutdown?: AutoShutdown;
}

export interface SupervisorOptions extends SupervisorFlags {
  name?: ServerName;
  label?: string;
}

export interface SupervisorModule {
  init(arg: any): ['ok', [SupervisorFlags, ChildSpec[]]] | 'ignore';
}

export const DEFAULT_FLAGS = { strategy: 'one_for_one' as Strategy, intensity: DEFAULT_INTENSITY, period: DEFAULT_PERIOD, autoShutdown: 'never' as AutoShutdown };

/** One child as whichChildren lists them: the last started first, as supervisor.erl keeps them. */
export interface WhichChild {
  id: string;
  /** The child's pid, `'restarting'`, or null when it is not running (OTP's `undefined`). */
  pid: Pid | 'restarting' | null;
  type: 'worker' | 'supervisor';
}

/**
 * What startChild and restartChild answer: OTP's `{ok, Child}`, `{ok, Child, Info}` or
 * `{error, Reason}`, where Child is null (OTP's `undefined`) when the start returned `ignore`.
 */
export type ChildStartResult = ['ok', Pid | null] | ['ok', Pid, unknown] | ['error', unknown];

export interface ChildCount {
  specs: number;
  active: number;
  supervisors: number;
  workers: number;
}

// --- State ---

interface Child extends FullChildSpec {
  pid: Pid | 'restarting' | null;
  /** The pid it had before it last stopped: the restart event says who replaced whom. */
  lastPid: Pid | null;
  restarts: number;
  lastExitReason: unknown;
  lastRestartAt: number | null;
}

interface State extends Engine {
  readonly strategy: Strategy;
  autoShutdown: AutoShutdown;
  /** In start order; stopping walks it backwards. */
  children: Child[];
}

type Request =
  | { which: true }
  | { count: true }
  | { startChild: ChildSpec }
  | { terminateChild: string }
  | { restartChild: string }
  | { deleteChild: string };

// --- Handlers ---

function callbacks(init: (arg: unknown) => ReturnType<SupervisorModule['init']>): GenServer.Callbacks<State> {
  return {
    init: (arg) => initSupervisor(init(arg)),
    handleCall: (request: Request, _from, state) => handleCall(request, state),
    handleInfo: (message, state) => handleInfo(message, state),
    terminate: (_reason, state) => terminateChildren(state, state.children.slice()),
    formatStatus: (state) => report(state, state.clock.now()),
  };
}

function* initSupervisor(spec: ReturnType<SupervisorModule['init']>): Generator<Wait, GenServer.InitResult<State>, unknown> {
  trapExit(true);
  if (spec === 'ignore') return 'ignore';
  if (!Array.isArray(spec) || spec[0] !== 'ok' || !Array.isArray(spec[1]) || spec[1].length !== 2) {
    return ['stop', { bad_return: spec }];
  }
  const [flags, specs] = spec[1];
  let state: State;
  try {
    state = newState(flags, specs);
  } catch (reason) {
    return ['stop', reason];
  }
  publish(state);
  for (const child of state.children.slice()) {
    const r = yield* startChildProcess(placedStart(child));
    if (r === 'ignore') {
      child.pid = null;
      if (child.restart === 'temporary') remove(state, child);
      continue;
    }
    if (r[0] === 'error') {
      reportError(state, 'start_error', r[1], child.id, null);
      const started = state.children.filter((c) => isPid(c.pid));
      yield* terminateChildren(state, started);
      return ['stop', { shutdown: { failed_to_start_child: [child.id, r[1]] } }];
    }
    child.pid = r[1];
  }
  publish(state);
  return ['ok', state];
}

function newState(flags: SupervisorFlags, specs: unknown[]): State {
  if (typeof flags !== 'object' || flags === null) throw { supervisor_data: { invalid_flags: flags } };
  const strategy = flags.strategy ?? DEFAULT_FLAGS.strategy;
  if (strategy !== 'one_for_one' && strategy !== 'one_for_all' && strategy !== 'rest_for_one') {
    throw { supervisor_data: { invalid_strategy: strategy } };
  }
  let restartFlags: { intensity: number; period: number };
  try {
    restartFlags = checkRestartFlags(flags);
  } catch (reason) {
    throw { supervisor_data: reason };
  }
  const autoShutdown = flags.autoShutdown ?? DEFAULT_FLAGS.autoShutdown;
  if (autoShutdown !== 'never' && autoShutdown !== 'any_significant' && autoShutdown !== 'all_significant') {
    throw { supervisor_data: { invalid_auto_shutdown: autoShutdown } };
  }
  const children: Child[] = [];
  const ids = new Set<string>();
  for (const spec of specs) {
    let full: FullChildSpec;
    try {
      full = checkChildSpec(spec, autoShutdown);
    } catch (reason) {
      throw { start_spec: reason };
    }
    if (ids.has(full.id)) throw { start_spec: { duplicate_child_name: full.id } };
    ids.add(full.id);
    children.push(newChild(full));
  }
  const s = currentScheduler();
  return { process: s.self(), clock: s.clock, strategy, ...restartFlags, autoShutdown, children, restarts: [] };
}

function newChild(spec: FullChildSpec): Child {
  return { ...spec, pid: null, lastPid: null, restarts: 0, lastExitReason: null, lastRestartAt: null };
}

function* handleCall(request: Request, state: State): Generator<Wait, GenServer.CallResult<State>, unknown> {
  if ('which' in request) {
    const list: WhichChild[] = [];
    for (let i = state.children.length - 1; i >= 0; i--) {
      const c = state.children[i]!;
      list.push({ id: c.id, pid: c.pid, type: c.type });
    }
    return ['reply', list, state];
  }
  if ('count' in request) {
    const active = state.children.filter((c) => isPid(c.pid)).length;
    const supervisors = state.children.filter((c) => c.type === 'supervisor').length;
    return ['reply', { specs: state.children.length, active, supervisors, workers: state.children.length - supervisors }, state];
  }
  if ('startChild' in request) return ['reply', yield* addChild(state, request.startChild), state];
  const child = state.children.find((c) => c.id === (request as { terminateChild?: string }).terminateChild
    || c.id === (request as { restartChild?: string }).restartChild
    || c.id === (request as { deleteChild?: string }).deleteChild);
  if (child === undefined) return ['reply', ['error', 'not_found'], state];
  if ('terminateChild' in request) {
    if (isPid(child.pid)) yield* stopChild(state, child, child.pid);
    child.pid = null;
    if (child.restart === 'temporary') remove(state, child);
    publish(state);
    return ['reply', 'ok', state];
  }
  if (isPid(child.pid)) return ['reply', ['error', 'running'], state];
  if (child.pid === 'restarting') return ['reply', ['error', 'restarting'], state];
  if ('deleteChild' in request) {
    remove(state, child);
    publish(state);
    return ['reply', 'ok', state];
  }
  const r = yield* startChildProcess(placedStart(child));
  if (r !== 'ignore' && r[0] === 'ok') child.pid = r[1];
  publish(state);
  return ['reply', r === 'ignore' ? ['ok', null] : r, state];
}

function* addChild(state: State, spec: ChildSpec): Generator<Wait, ChildStartResult | ['error', 'already_present'], unknown> {
  let full: FullChildSpec;
  try {
    full = checkChildSpec(spec, state.autoShutdown);
  } catch (reason) {
    return ['error', reason];
  }
  const existing = state.children.find((c) => c.id === full.id);
  if (existing !== undefined) return isPid(existing.pid) ? ['error', { already_started: existing.pid }] : ['error', 'already_present'];
  const r = yield* startChildProcess(placedStart(full));
  if (r !== 'ignore' && r[0] === 'error') return r;
  const child = newChild(full);
  child.pid = r === 'ignore' ? null : r[1];
  if (!(r === 'ignore' && full.restart === 'temporary')) state.children.push(child);
  publish(state);
  return r === 'ignore' ? ['ok', null] : r;
}

function* handleInfo(message: unknown, state: State): Generator<Wait, GenServer.NoReplyResult<State>, unknown> {
  if (isExitMessage(message)) {
    const child = state.children.find((c) => c.pid === message.from);
    if (child === undefined) return ['noreply', state];
    const outcome = yield* childExited(state, child, message.reason);
    return outcome === 'shutdown' ? ['stop', 'shutdown', state] : ['noreply', state];
  }
  if (isTryAgain(message)) {
    const child = state.children.find((c) => c.id === message.key);
    if (child === undefined || child.pid !== 'restarting') return ['noreply', state];
    const outcome = yield* restart(state, child);
    return outcome === 'shutdown' ? ['stop', 'shutdown', state] : ['noreply', state];
  }
  return ['noreply', state];
}

// --- Restart ---

function* childExited(state: State, child: Child, reason: unknown): Generator<Wait, 'ok' | 'shutdown', unknown> {
  child.lastExitReason = reason;
  if (isPid(child.pid)) child.lastPid = child.pid;
  child.pid = null;
  if (child.restart === 'temporary') {
    remove(state, child);
    publish(state);
    return autoShutdown(state, child);
  }
  if (child.restart === 'transient' && isNormalExit(reason)) {
    publish(state);
    return autoShutdown(state, child);
  }
  return yield* restart(state, child);
}

/**
 * Whether a child that ended by itself and is not restarted stops the supervisor
 * (supervisor.erl do_auto_shutdown/2): any significant one, or the last running one.
 */
function autoShutdown(state: State, child: Child): 'ok' | 'shutdown' {
  if (state.autoShutdown === 'never' || !child.significant) return 'ok';
  if (state.autoShutdown === 'any_significant') return 'shutdown';
  return state.children.some((c) => c.significant && isPid(c.pid)) ? 'ok' : 'shutdown';
}

/** Counts a restart against the intensity, then restarts as the strategy says. */
function* restart(state: State, child: Child): Generator<Wait, 'ok' | 'shutdown', unknown> {
  if (!countRestart(state, child.id, child.lastExitReason)) {
    publish(state);
    return 'shutdown';
  }
  const index = state.children.indexOf(child);
  let toRestart: Child[];
  if (state.strategy === 'one_for_one') {
    toRestart = [child];
  } else {
    // one_for_all: every other child; rest_for_one: those started after this one.
    const others = state.children.filter((c, i) => c !== child && (state.strategy === 'one_for_all' || i > index));
    yield* terminateChildren(state, others.filter((c) => isPid(c.pid)));
    toRestart = state.strategy === 'one_for_all' ? state.children.slice() : state.children.slice(index);
  }
  for (let i = 0; i < toRestart.length; i++) {
    const c = toRestart[i]!;
    if (!state.children.includes(c)) continue; // a temporary child terminated above is gone
    const r = yield* startChildProcess(placedStart(c));
    if (r !== 'ignore' && r[0] === 'error') {
      reportError(state, 'start_error', r[1], c.id, null);
      // Try again later, through the mailbox, so that each try counts against the intensity.
      c.pid = 'restarting';
      c.lastExitReason = r[1];
      for (const rest of toRestart.slice(i + 1)) if (state.children.includes(rest)) rest.pid = null;
      tryAgainLater(state, c.id);
      publish(state);
      return 'ok';
    }
    c.pid = r === 'ignore' ? null : r[1];
    c.restarts++;
    c.lastRestartAt = state.clock.now();
    restarted(state, c.id, c.lastPid, isPid(c.pid) ? c.pid : null, c.lastExitReason, c.restarts);
  }
  publish(state);
  return 'ok';
}

// --- Shutdown ---

/** Terminates `children` in reverse start order; temporary ones are dropped from the specs. */
function* terminateChildren(state: State, children: Child[]): Generator<Wait, void, unknown> {
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i]!;
    if (isPid(c.pid)) yield* stopChild(state, c, c.pid);
    c.pid = null;
    if (c.restart === 'temporary') remove(state, c);
  }
  publish(state);
}

/** Stops one child as its `shutdown` says, reporting a shutdown that did not go as asked. */
function* stopChild(state: State, child: Child, pid: Pid): Generator<Wait, void, unknown> {
  child.lastPid = pid;
  const reason = yield* shutdownChild(pid, child.shutdown);
  child.lastExitReason = reason;
  const problem = checkShutdown(child, reason);
  if (problem !== null) reportError(state, 'shutdown_error', problem, child.id, pid);
}

function remove(state: State, child: Child): void {
  const i = state.children.indexOf(child);
  if (i >= 0) state.children.splice(i, 1);
}

// --- Reports ---

function publish(state: State): void {
  publishView(state, (now) => report(state, now));
}

/** The supervisor at `now`, for the inspector (and as its formatted status). */
function report(state: State, now: number): SupervisorReport {
  return engineReport(state, state.children.map((c) => ({
    id: c.id,
    pid: isPid(c.pid) ? c.pid : null,
    restart: c.restart,
    type: c.type,
    restarts: c.restarts,
    lastExitReason: c.lastExitReason,
    lastRestartAt: c.lastRestartAt,
  })), now);
}

registerStarter(BEHAVIOUR, (module, args, options) => GenServer.startLink(module, args[0], { ...((args[1] as object | undefined) ?? {}), ...options, behaviour: BEHAVIOUR }));
