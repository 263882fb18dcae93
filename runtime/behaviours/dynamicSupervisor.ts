/**
 * DynamicSupervisor: a supervisor that starts with no children and starts them on demand, with
 * Elixir's DynamicSupervisor semantics. https://hexdocs.pm/elixir/DynamicSupervisor.html
 *
 * - `startChild(sup, spec)` starts the child at once and returns what its start returned:
 *   `['ok', pid]`, `'ignore'` (then nothing is kept) or `['error', reason]`; a spec that does
 *   not check out is `['error', reason]` too. The spec's `id` is optional and ignored.
 * - `extraArguments` are prepended to the arguments of every child's start: `[module, args]`
 *   starts with `[...extraArguments, ...args]`, a start function is called with them.
 * - A `[module, args]` child whose spec names a `scheduler` starts there, and restarts there, as
 *   Supervisor's children do (ChildSpec.scheduler).
 * - A supervisor with `maxChildren` children (running or restarting) answers `startChild` with
 *   `['error', 'max_children']`.
 * - `one_for_one` is the only strategy. `permanent` children are always restarted, `transient`
 *   ones only after an abnormal exit (not `normal`, `shutdown` or `{ shutdown: _ }`), `temporary`
 *   ones never; a child that is not restarted is forgotten. More than `intensity` restarts in
 *   `period` seconds stop the supervisor with `shutdown`. A restart that fails is tried again
 *   later, through the mailbox, and each try counts against the intensity.
 * - `terminateChild(sup, pid)` stops the child as its `shutdown` says and forgets it, or returns
 *   `['error', 'not_found']`.
 * - When the supervisor stops, it shuts its children down all at once rather than one by one:
 *   each gets `shutdown` (`kill` for `brutal_kill`) together, one still alive when its own
 *   shutdown time runs out is killed, and the supervisor exits once all are gone.
 */
import {
  type Pid, type Ref, type SpawnOptions, type SupervisorReport, type TimerRef, type Wait, currentScheduler, isDownMessage, isExitMessage,
  isNormalExit, receive, trapExit, demonitor, exit, monitor, unlink,
} from '../core/index.ts';
import { type ChildType, type FullChildSpec, type RestartType, type Shutdown, type StartSpec, checkChildSpec, placedStart } from './childSpec.ts';
import { checkShutdown, shutdownChild, startChildProcess, takeExit } from './childProcess.ts';
import * as GenServer from './genServer.ts';
import { type StartResult, registerStarter } from './procLib.ts';
import {
  type Engine, type RestartFlags, DEFAULT_INTENSITY, DEFAULT_PERIOD, checkRestartFlags, countRestart, isTryAgain, publish as publishView,
  report as engineReport, reportError, restarted, tryAgainLater,
} from './supervisorEngine.ts';
import type { ServerName, ServerRef } from './serverName.ts';
import type { ChildCount } from './supervisor.ts';

// --- API ---

/** Starts a dynamic supervisor with these flags and no children (DynamicSupervisor.start_link/1). */
export function startLink(options?: DynamicSupervisorOptions): Generator<Wait, StartResult, unknown>;
/** Starts a module defined with `define`, passing `arg` to its init (DynamicSupervisor.start_link/3). */
export function startLink(module: string, arg?: unknown, options?: { name?: ServerName; label?: string }): Generator<Wait, StartResult, unknown>;
export function* startLink(what: DynamicSupervisorOptions | string = {}, a?: unknown, b: { name?: ServerName; label?: string } = {}): Generator<Wait, StartResult, unknown> {
  if (typeof what === 'string') return yield* GenServer.startLink(what, a, { ...b, behaviour: BEHAVIOUR });
  const serverOptions: GenServer.GenServerOptions = { behaviour: what.behaviour ?? BEHAVIOUR };
  if (what.name !== undefined) serverOptions.name = what.name;
  if (what.label !== undefined) serverOptions.label = what.label;
  return yield* GenServer.startLink(callbacks(() => ['ok', what]), undefined, serverOptions);
}

export function startChild(sup: ServerRef, spec: DynamicChildSpec): Generator<Wait, StartResult | ['error', 'max_children'], unknown> {
  return GenServer.call(sup, { startChild: spec }, Infinity);
}

export function terminateChild(sup: ServerRef, pid: Pid): Generator<Wait, 'ok' | ['error', 'not_found'], unknown> {
  return GenServer.call(sup, { terminateChild: pid }, Infinity);
}

export function whichChildren(sup: ServerRef): Generator<Wait, DynamicWhichChild[], unknown> {
  return GenServer.call(sup, { which: true }, Infinity);
}

export function countChildren(sup: ServerRef): Generator<Wait, ChildCount, unknown> {
  return GenServer.call(sup, { count: true }, Infinity);
}

/** Stops the supervisor, its children first (DynamicSupervisor.stop/3). */
export function stop(sup: ServerRef, reason: unknown = 'normal', timeout = Infinity): Generator<Wait, 'ok', unknown> {
  return GenServer.stop(sup, reason, timeout);
}

/** Registers a module: `init(arg)` returns `['ok', flags]` or `'ignore'` (DynamicSupervisor's init/1 callback). */
export function define(name: string, module: DynamicSupervisorModule): string {
  return GenServer.define(name, callbacks((arg) => module.init(arg)), BEHAVIOUR);
}

// --- Types ---

export const BEHAVIOUR = 'DynamicSupervisor';

export interface DynamicSupervisorFlags extends RestartFlags {
  strategy?: 'one_for_one';
  /** How many children may run at once; default `'infinity'`. */
  maxChildren?: number | 'infinity';
  /** Prepended to the arguments of every child's start; default none. */
  extraArguments?: unknown[];
}

export interface DynamicSupervisorOptions extends DynamicSupervisorFlags {
  name?: ServerName;
  label?: string;
  /** @internal A behaviour built on this one ('TaskSupervisor'), for the inspector. */
  behaviour?: string;
}

export interface DynamicSupervisorModule {
  init(arg: any): ['ok', DynamicSupervisorFlags] | 'ignore';
}

/** A child spec whose `id` is optional; a start function receives the extra arguments. */
export interface DynamicChildSpec {
  id?: string;
  start: [module: string, args: unknown[]] | ((...extraArguments: any[]) => Generator<Wait, StartResult, unknown> | StartResult);
  restart?: RestartType;
  shutdown?: Shutdown;
  type?: ChildType;
  /** Where a `[module, args]` child runs, as ChildSpec's `scheduler`. */
  scheduler?: SpawnOptions['scheduler'];
}

export interface DynamicWhichChild {
  /** Always null: a dynamic supervisor's children have no ids (OTP's `undefined`). */
  id: null;
  pid: Pid | 'restarting';
  type: ChildType;
}

export const DEFAULT_FLAGS = { strategy: 'one_for_one' as const, intensity: DEFAULT_INTENSITY, period: DEFAULT_PERIOD, maxChildren: Infinity };

// --- State ---

interface Child {
  readonly spec: FullChildSpec;
  /** The report's id: the spec's, or a number in start order (children need no id here). */
  readonly reportId: string;
  /** The running pid; while restarting, the pid it had (its key in `children`). */
  pid: Pid;
  restarting: boolean;
  restarts: number;
  lastExitReason: unknown;
  lastRestartAt: number | null;
}

interface State extends Engine {
  maxChildren: number;
  extraArguments: unknown[];
  /** By pid (the old pid while restarting, as Elixir keys them). */
  children: Map<Pid, Child>;
  /** Children started so far: the report's id of one without an id of its own. */
  started: number;
}

type Request = { which: true } | { count: true } | { startChild: DynamicChildSpec } | { terminateChild: Pid };

// --- Handlers ---

function callbacks(init: (arg: unknown) => ReturnType<DynamicSupervisorModule['init']>): GenServer.Callbacks<State> {
  return {
    init: (arg) => initSupervisor(init(arg)),
    handleCall: (request: Request, _from, state) => handleCall(request, state),
    handleInfo: (message, state) => handleInfo(message, state),
    terminate: (_reason, state) => terminateAll(state),
    formatStatus: (state) => report(state, state.clock.now()),
  };
}

function initSupervisor(spec: ReturnType<DynamicSupervisorModule['init']>): GenServer.InitResult<State> {
  trapExit(true);
  if (spec === 'ignore') return 'ignore';
  if (!Array.isArray(spec) || spec[0] !== 'ok' || typeof spec[1] !== 'object' || spec[1] === null) return ['stop', { bad_return: spec }];
  let state: State;
  try {
    state = newState(spec[1]);
  } catch (reason) {
    return ['stop', { supervisor_data: reason }];
  }
  publish(state);
  return ['ok', state];
}

function newState(flags: DynamicSupervisorFlags): State {
  const strategy = flags.strategy ?? DEFAULT_FLAGS.strategy;
  if (strategy !== 'one_for_one') throw { invalid_strategy: strategy };
  const { intensity, period } = checkRestartFlags(flags);
  const max = flags.maxChildren ?? DEFAULT_FLAGS.maxChildren;
  const maxChildren = max === 'infinity' ? Infinity : max;
  if (!(maxChildren === Infinity || (Number.isInteger(maxChildren) && maxChildren >= 0))) throw { invalid_max_children: max };
  const extraArguments = flags.extraArguments ?? [];
  if (!Array.isArray(extraArguments)) throw { invalid_extra_arguments: extraArguments };
  const s = currentScheduler();
  return {
    process: s.self(), clock: s.clock, strategy: 'one_for_one', intensity, period, maxChildren, extraArguments,
    children: new Map(), restarts: [], started: 0,
  };
}

function* handleCall(request: Request, state: State): Generator<Wait, GenServer.CallResult<State>, unknown> {
  if ('which' in request) {
    const which = [...state.children.values()].map((c): DynamicWhichChild => ({ id: null, pid: c.restarting ? 'restarting' : c.pid, type: c.spec.type }));
    return ['reply', which, state];
  }
  if ('count' in request) {
    let active = 0;
    let supervisors = 0;
    for (const c of state.children.values()) {
      if (!c.restarting) active++;
      if (c.spec.type === 'supervisor') supervisors++;
    }
    const specs = state.children.size;
    return ['reply', { specs, active, supervisors, workers: specs - supervisors } satisfies ChildCount, state];
  }
  if ('startChild' in request) return ['reply', yield* addChild(state, request.startChild), state];
  const pid = request.terminateChild;
  const child = state.children.get(pid);
  if (child === undefined) return ['reply', ['error', 'not_found'], state];
  if (!child.restarting) {
    child.lastExitReason = yield* shutdownChild(pid, child.spec.shutdown);
    shutdownReport(state, child, pid);
  }
  state.children.delete(pid);
  return ['reply', 'ok', state];
}

function* addChild(state: State, spec: DynamicChildSpec): Generator<Wait, StartResult | ['error', 'max_children'], unknown> {
  let full: FullChildSpec;
  try {
    full = checkChildSpec({ ...spec, id: spec.id ?? 'undefined' });
  } catch (reason) {
    return ['error', reason];
  }
  if (state.children.size >= state.maxChildren) return ['error', 'max_children'];
  const r = yield* startChildProcess(startOf(state, full));
  if (r === 'ignore' || r[0] !== 'ok') return r;
  const reportId = spec.id ?? String(++state.started);
  state.children.set(r[1], { spec: full, reportId, pid: r[1], restarting: false, restarts: 0, lastExitReason: null, lastRestartAt: null });
  return r;
}

function* handleInfo(message: unknown, state: State): Generator<Wait, GenServer.NoReplyResult<State>, unknown> {
  if (isExitMessage(message)) {
    const child = state.children.get(message.from);
    if (child === undefined || child.restarting) return ['noreply', state];
    const outcome = yield* childExited(state, child, message.reason);
    return outcome === 'shutdown' ? ['stop', 'shutdown', state] : ['noreply', state];
  }
  if (isTryAgain(message)) {
    // terminateChild may have forgotten it since the try was scheduled.
    const child = state.children.get(message.key as Pid);
    if (child === undefined || !child.restarting) return ['noreply', state];
    const outcome = yield* restart(state, child);
    return outcome === 'shutdown' ? ['stop', 'shutdown', state] : ['noreply', state];
  }
  return ['noreply', state];
}

// --- Restart ---

function* childExited(state: State, child: Child, reason: unknown): Generator<Wait, 'ok' | 'shutdown', unknown> {
  child.lastExitReason = reason;
  const type = child.spec.restart;
  if (type === 'permanent' || (type === 'transient' && !isNormalExit(reason))) return yield* restart(state, child);
  state.children.delete(child.pid);
  return 'ok';
}

/** Counts a restart against the intensity, then starts the child again. */
function* restart(state: State, child: Child): Generator<Wait, 'ok' | 'shutdown', unknown> {
  if (!countRestart(state, child.reportId, child.lastExitReason)) {
    state.children.delete(child.pid);
    return 'shutdown';
  }
  const old = child.pid;
  const r = yield* startChildProcess(startOf(state, child.spec));
  if (r !== 'ignore' && r[0] === 'error') {
    reportError(state, 'start_error', r[1], child.reportId, null);
    // Try again later, through the mailbox, so that each try counts against the intensity.
    child.restarting = true;
    child.lastExitReason = r[1];
    tryAgainLater(state, old);
    return 'ok';
  }
  state.children.delete(old);
  const newPid = r === 'ignore' ? null : r[1];
  if (newPid !== null) {
    child.pid = newPid;
    child.restarting = false;
    child.restarts++;
    child.lastRestartAt = state.clock.now();
    state.children.set(newPid, child);
  }
  restarted(state, child.reportId, old, newPid, child.lastExitReason, child.restarts);
  return 'ok';
}

/**
 * The start with the extra arguments in front, as Elixir's `extra ++ args`, on the scheduler the
 * spec names (placedStart).
 */
function startOf(state: State, spec: FullChildSpec): StartSpec {
  const extra = state.extraArguments;
  const start = spec.start;
  if (extra.length === 0) return placedStart(spec);
  // checkChildSpec refuses a scheduler with a start function: it places nothing.
  if (typeof start === 'function') return () => (start as (...a: unknown[]) => ReturnType<Extract<StartSpec, Function>>)(...extra);
  return placedStart({ ...spec, start: [start[0], [...extra, ...start[1]]] });
}

// --- Shutdown ---

/**
 * Shuts every child down at once, as Elixir's DynamicSupervisor does: all exit signals go out
 * together, one timer per distinct shutdown time kills the children still alive then, and it
 * returns when every child is gone.
 */
function* terminateAll(state: State): Generator<Wait, void, unknown> {
  const s = currentScheduler();
  const me = s.self();
  const waiting = new Map<Ref, Child>();
  const deadlines = new Map<number, Pid[]>();
  for (const [pid, c] of state.children) {
    if (c.restarting) continue;
    // Monitor, then unlink: the monitor sees the exit even if the link's EXIT is already queued.
    const ref = monitor(pid);
    unlink(pid);
    const earlier = takeExit(me, pid);
    if (earlier !== undefined) {
      demonitor(ref, { flush: true });
      c.lastExitReason = earlier;
      continue;
    }
    const shutdown = c.spec.shutdown;
    exit(pid, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
    if (typeof shutdown === 'number') {
      const list = deadlines.get(shutdown);
      if (list === undefined) deadlines.set(shutdown, [pid]);
      else list.push(pid);
    }
    waiting.set(ref, c);
  }
  const tag = s.makeRef();
  const timers: TimerRef[] = [];
  for (const [ms, pids] of deadlines) timers.push(s.sendAfter(ms, me.pid, { type: '$shutdown_kill', tag, pids } satisfies KillTimeout));
  while (waiting.size > 0) {
    const m = yield receive((x: unknown) => (isDownMessage(x) && waiting.has(x.ref)) || ((x as KillTimeout)?.type === '$shutdown_kill' && (x as KillTimeout).tag === tag));
    if (isDownMessage(m)) {
      const c = waiting.get(m.ref)!;
      c.lastExitReason = m.reason;
      shutdownReport(state, c, c.pid);
      waiting.delete(m.ref);
    } else {
      for (const pid of (m as KillTimeout).pids) exit(pid, 'kill');
    }
  }
  for (const t of timers) s.cancelTimer(t);
  state.children.clear();
}

interface KillTimeout {
  type: '$shutdown_kill';
  tag: Ref;
  pids: Pid[];
}

/** Reports a child that did not stop as its `shutdown` asked (a `shutdown_error`). */
function shutdownReport(state: State, child: Child, pid: Pid): void {
  const problem = checkShutdown(child.spec, child.lastExitReason);
  if (problem !== null) reportError(state, 'shutdown_error', problem, child.reportId, pid);
}

// --- Reports ---

function publish(state: State): void {
  publishView(state, (now) => report(state, now));
}

/** The supervisor at `now`, for the inspector (and as its formatted status). */
function report(state: State, now: number): SupervisorReport {
  return engineReport(state, [...state.children.values()].map((c) => ({
    id: c.reportId,
    pid: c.restarting ? null : c.pid,
    restart: c.spec.restart,
    type: c.spec.type,
    restarts: c.restarts,
    lastExitReason: c.lastExitReason,
    lastRestartAt: c.lastRestartAt,
  })), now);
}

registerStarter(BEHAVIOUR, (module, args, options) => GenServer.startLink(module, args[0], { ...((args[1] as object | undefined) ?? {}), ...options, behaviour: BEHAVIOUR }));
