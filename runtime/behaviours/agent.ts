/**
 * Agent: state held by a process and read or changed with functions, with Elixir's Agent
 * semantics, built on GenServer. https://hexdocs.pm/elixir/Agent.html
 *
 * - `start`/`startLink(fn, options)` run `fn()` in the new process; what it returns is the
 *   state. They return `['ok', pid]`, or `['error', reason]` when `fn` throws; a name already
 *   taken gives `['error', { already_started: pid }]`.
 * - `get(agent, fn)` returns `fn(state)`; `update(agent, fn)` makes `fn(state)` the state and
 *   returns `'ok'`; `getAndUpdate(agent, fn)` expects `[reply, newState]` from `fn(state)` and
 *   returns `reply` (anything else stops the agent with `{ bad_return_value: value }`). These are
 *   calls: they wait 5000 ms by default, and the caller exits with `timeout` after that, or with
 *   the agent's reason when a function crashes it.
 * - `cast(agent, fn)` makes `fn(state)` the state without waiting; it never fails.
 * - The functions run in the agent process, one at a time, in the order they arrive; they are
 *   closures, so they reach only agents on the caller's scheduler.
 * - A function may be a generator function, to wait (`yield sleep(100)`, `yield* GenServer.call(…)`)
 *   as GenServer callbacks may: the agent handles nothing else meanwhile, and a caller whose
 *   timeout runs out first exits with `timeout` while the agent goes on (Agent.get/3: "the
 *   caller exits" when no result arrives within `timeout`).
 */
import { type Wait, isGenerator } from '../core/index.ts';
import * as GenServer from './genServer.ts';
import type { ChildSpec } from './childSpec.ts';
import type { StartResult } from './procLib.ts';
import type { ServerName, ServerRef } from './serverName.ts';

// --- API ---

export function startLink<S>(fn: () => MaybeGen<S>, options: AgentOptions = {}): Generator<Wait, StartResult, unknown> {
  return GenServer.startLink(SERVER, fn, serverOptions(options));
}

/** Starts an agent without a link, outside any supervision tree (Agent.start/2). */
export function start<S>(fn: () => MaybeGen<S>, options: AgentOptions = {}): Generator<Wait, StartResult, unknown> {
  return GenServer.start(SERVER, fn, serverOptions(options));
}

export function get<S, R>(agent: ServerRef, fn: (state: S) => MaybeGen<R>, timeout: number = GenServer.DEFAULT_CALL_TIMEOUT): Generator<Wait, R, unknown> {
  return GenServer.call<R>(agent, { get: fn } satisfies Request, timeout);
}

export function update<S>(agent: ServerRef, fn: (state: S) => MaybeGen<S>, timeout: number = GenServer.DEFAULT_CALL_TIMEOUT): Generator<Wait, 'ok', unknown> {
  return GenServer.call<'ok'>(agent, { update: fn } satisfies Request, timeout);
}

export function getAndUpdate<S, R>(agent: ServerRef, fn: (state: S) => MaybeGen<[R, S]>, timeout: number = GenServer.DEFAULT_CALL_TIMEOUT): Generator<Wait, R, unknown> {
  return GenServer.call<R>(agent, { getAndUpdate: fn } satisfies Request, timeout);
}

export function cast<S>(agent: ServerRef, fn: (state: S) => MaybeGen<S>): 'ok' {
  GenServer.cast(agent, { cast: fn } satisfies Request);
  return 'ok';
}

/** Stops the agent and waits until it is gone (Agent.stop/3). */
export function stop(agent: ServerRef, reason: unknown = 'normal', timeout = Infinity): Generator<Wait, 'ok', unknown> {
  return GenServer.stop(agent, reason, timeout);
}

/** A child spec that starts this agent under a supervisor (Agent.child_spec/1). */
export function childSpec<S>(fn: () => MaybeGen<S>, options: AgentOptions & Partial<Omit<ChildSpec, 'start'>> = {}): ChildSpec {
  const { name, label, timeout, ...spec } = options;
  return { id: BEHAVIOUR, ...spec, start: () => startLink(fn, { name, label, timeout }) };
}

// --- Types ---

export const BEHAVIOUR = 'Agent';

/** What an agent's function returns: the value, or a generator that waits and then returns it. */
export type MaybeGen<T> = T | Generator<Wait, T, unknown>;

export interface AgentOptions {
  name?: ServerName;
  label?: string;
  /** Ms to wait for `fn` to return the initial state before the start fails with `timeout`. */
  timeout?: number;
}

type Request =
  | { get: (state: any) => unknown }
  | { update: (state: any) => unknown }
  | { getAndUpdate: (state: any) => unknown }
  | { cast: (state: any) => unknown };

// --- Handlers ---

const SERVER: GenServer.Callbacks<unknown> = {
  init: (fn: () => unknown) => then(fn(), (state) => ['ok', state] as const),
  handleCall(request: Request, _from, state) {
    if ('get' in request) return then(request.get(state), (r) => ['reply', r, state] as const);
    if ('update' in request) return then(request.update(state), (next) => ['reply', 'ok', next] as const);
    if ('getAndUpdate' in request) {
      return then(request.getAndUpdate(state), (r): GenServer.CallResult<unknown> =>
        Array.isArray(r) && r.length === 2 ? ['reply', r[0], r[1]] : ['stop', { bad_return_value: r }, state]);
    }
    return ['reply', null, state];
  },
  handleCast(request: Request, state) {
    if ('cast' in request) return then(request.cast(state), (next) => ['noreply', next] as const);
    return ['noreply', state];
  },
};

/** `k(value)`, after the generator has run when the function returned one. */
function then<T, R>(r: unknown, k: (value: T) => R): MaybeGen<R> {
  if (!isGenerator<T>(r)) return k(r as T);
  return (function* () {
    return k(yield* r);
  })();
}

function serverOptions(options: AgentOptions): GenServer.GenServerOptions {
  const out: GenServer.GenServerOptions = { behaviour: BEHAVIOUR };
  if (options.name !== undefined) out.name = options.name;
  if (options.label !== undefined) out.label = options.label;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  return out;
}
