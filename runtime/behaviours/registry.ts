/**
 * Registry: a local key–process store, with Elixir's Registry semantics.
 * https://hexdocs.pm/elixir/Registry.html
 *
 * - `startLink({ keys: 'unique' | 'duplicate', name })` starts a registry process registered as
 *   `name`; the other functions take that name.
 * - `register(registry, key, value)` registers the calling process under `key` with `value` and
 *   returns `['ok', owner]`, the registry process, which it links to the caller. In a unique
 *   registry a key held by a live process (the caller included) gives
 *   `['error', { already_registered: pid }]`; a duplicate registry keeps every registration.
 *   Keys are equal when they are equal terms.
 * - `lookup(registry, key)` returns the `[pid, value]` pairs under `key`; `dispatch(registry,
 *   key, fn)` calls `fn(entries)` in the caller when there are any; `unregister` drops the
 *   caller's entries under a key, `unregisterMatch` those of them whose value a predicate
 *   accepts, and both unlink it once it has none left.
 * - Entries vanish when their process exits: the registry traps exits and drops the entries of
 *   a registrant whose exit signal arrives. Until it has, lookups skip the dead process and a
 *   unique key held by it is free to register.
 * - The table lives with the registry process and is read and written by the callers directly,
 *   without a message, so lookups are cheap and a registration is seen by the very next lookup
 *   from any process. It is reachable from the registry's own scheduler only (badarg elsewhere).
 * - `{ via: [registry, key] }` names a GenServer (Agent, Supervisor…) through a unique registry.
 */
import {
  type Pid, type Process, type Scheduler, type Wait, OrchardError, currentScheduler, isExitMessage, isPid, schedulerOf, trapExit, link, unlink,
} from '../core/index.ts';
import * as GenServer from './genServer.ts';
import type { StartResult } from './procLib.ts';
import { setViaModule } from './serverName.ts';
import { termKey } from './terms.ts';

// --- API ---

export function startLink(options: RegistryOptions): Generator<Wait, StartResult, unknown> {
  const o = checkOptions(options);
  const serverOptions: GenServer.GenServerOptions = { name: o.name, behaviour: BEHAVIOUR };
  if (options.label !== undefined) serverOptions.label = options.label;
  return GenServer.startLink(SERVER, o, serverOptions);
}

/** Registers the calling process under `key` (Registry.register/3). */
export function register(registry: string, key: unknown, value: unknown): ['ok', Pid] | ['error', { already_registered: Pid }] {
  const s = currentScheduler();
  return registerIn(s, open(s, registry, 'register'), s.self(), key, value);
}

/** Drops the calling process's entries under `key` (Registry.unregister/2). */
export function unregister(registry: string, key: unknown): 'ok' {
  const s = currentScheduler();
  const t = open(s, registry, 'unregister');
  const me = s.self();
  const mine = t.byPid.get(me.pid);
  if (mine !== undefined) {
    const mk = termKey(key);
    for (const e of mine.filter((x) => x.mk === mk)) remove(t, e);
    // Unlinked once nothing is left, but never from its parent: that link is the start's.
    if (!t.byPid.has(me.pid) && me.pid !== t.parent) unlink(t.pid);
  }
  notify(s, t, { type: 'unregister', registry: t.name, key, pid: me.pid });
  return 'ok';
}

/**
 * Drops the calling process's entries under `key` whose value `pred` accepts, and unlinks it
 * once it holds none (Registry.unregister_match/4, with a predicate for the pattern and guards).
 */
export function unregisterMatch(registry: string, key: unknown, pred: (value: unknown) => boolean): 'ok' {
  const s = currentScheduler();
  const t = open(s, registry, 'unregisterMatch');
  if (typeof pred !== 'function') throw badarg(`unregisterMatch: the pattern is a predicate (value) => boolean, got ${JSON.stringify(pred)}`);
  const me = s.self();
  const mine = t.byPid.get(me.pid);
  if (mine === undefined) return 'ok';
  const mk = termKey(key);
  const gone = mine.filter((x) => x.mk === mk && pred(x.value));
  for (const e of gone) remove(t, e);
  if (!t.byPid.has(me.pid) && me.pid !== t.parent) unlink(t.pid);
  if (gone.length > 0) notify(s, t, { type: 'unregister', registry: t.name, key, pid: me.pid });
  return 'ok';
}

/** The `[pid, value]` pairs under `key`, in registration order (Registry.lookup/2). */
export function lookup(registry: string, key: unknown): Array<[Pid, unknown]> {
  const s = currentScheduler();
  return live(s, open(s, registry, 'lookup').entries.get(termKey(key)));
}

/** Calls `fn` with the entries under `key` in the calling process, if there are any (Registry.dispatch/3). */
export function dispatch(registry: string, key: unknown, fn: (entries: Array<[Pid, unknown]>) => void): 'ok' {
  const entries = lookup(registry, key);
  if (entries.length > 0) fn(entries);
  return 'ok';
}

/** The keys `pid` is registered under (Registry.keys/2). */
export function keys(registry: string, pid: Pid): unknown[] {
  const s = currentScheduler();
  const mine = open(s, registry, 'keys').byPid.get(pid);
  return mine === undefined || !alive(s, pid) ? [] : mine.map((e) => e.key);
}

/** The values `pid` registered under `key` (Registry.values/3). */
export function values(registry: string, key: unknown, pid: Pid): unknown[] {
  const s = currentScheduler();
  const mk = termKey(key);
  const mine = open(s, registry, 'values').byPid.get(pid);
  return mine === undefined || !alive(s, pid) ? [] : mine.filter((e) => e.mk === mk).map((e) => e.value);
}

/** The `[pid, value]` pairs under `key` whose value `pred` accepts (Registry.match/3, with a predicate). */
export function match(registry: string, key: unknown, pred: (value: unknown) => boolean): Array<[Pid, unknown]> {
  return lookup(registry, key).filter(([, v]) => pred(v));
}

/** How many entries the registry holds (Registry.count/1). */
export function count(registry: string): number {
  const s = currentScheduler();
  let n = 0;
  for (const [pid, mine] of open(s, registry, 'count').byPid) if (alive(s, pid)) n += mine.length;
  return n;
}

/**
 * Replaces the calling process's value under `key` with `fn(old)`; returns `[new, old]`, or
 * `'error'` when the caller does not hold the key. Unique registries only (Registry.update_value/3).
 */
export function updateValue<V>(registry: string, key: unknown, fn: (old: V) => V): [V, V] | 'error' {
  const s = currentScheduler();
  const t = open(s, registry, 'updateValue');
  if (t.keys !== 'unique') throw badarg(`updateValue: registry '${t.name}' has duplicate keys; only unique registries support it`);
  const e = t.entries.get(termKey(key))?.[0];
  if (e === undefined || e.pid !== s.self().pid) return 'error';
  const old = e.value as V;
  e.value = fn(old);
  return [e.value as V, old];
}

/** Metadata given at start or put later (Registry.meta/2). */
export function meta(registry: string, key: string): ['ok', unknown] | 'error' {
  const t = open(currentScheduler(), registry, 'meta');
  return t.meta.has(key) ? ['ok', t.meta.get(key)] : 'error';
}

export function putMeta(registry: string, key: string, value: unknown): 'ok' {
  open(currentScheduler(), registry, 'putMeta').meta.set(key, value);
  return 'ok';
}

// --- Types ---

export const BEHAVIOUR = 'Registry';
export type RegistryKeys = 'unique' | 'duplicate';

export interface RegistryOptions {
  keys: RegistryKeys;
  /** The registry's registered name, which the other functions take. Required. */
  name: string;
  label?: string;
  /** Registered names told of each register and unregister (not of exits). */
  listeners?: string[];
  meta?: Record<string, unknown>;
}

/** What listeners receive (Elixir's {:register, …} and {:unregister, …}). */
export type ListenerMessage =
  | { type: 'register'; registry: string; key: unknown; pid: Pid; value: unknown }
  | { type: 'unregister'; registry: string; key: unknown; pid: Pid };

/** Where the registry process keeps its table, in its `ext.dict`. */
export const REGISTRY_TABLE = 'orchard.registry';

// --- State ---

interface Entry {
  readonly key: unknown;
  readonly mk: unknown;
  readonly pid: Pid;
  value: unknown;
}

interface Table {
  readonly name: string;
  readonly keys: RegistryKeys;
  /** The registry process, which registrants are linked to. */
  readonly pid: Pid;
  readonly parent: Pid | null;
  /** termKey(key) → its entries in registration order (at most one in a unique registry). */
  readonly entries: Map<unknown, Entry[]>;
  /** Registrant → its entries, to drop them all when it exits. */
  readonly byPid: Map<Pid, Entry[]>;
  readonly listeners: readonly string[];
  readonly meta: Map<string, unknown>;
}

// --- Handlers ---

const SERVER: GenServer.Callbacks<Table> = {
  init(options: Required<Omit<RegistryOptions, 'label'>>) {
    trapExit(true);
    const p = currentScheduler().self();
    const t: Table = {
      name: options.name, keys: options.keys, pid: p.pid, parent: p.parent, entries: new Map(), byPid: new Map(),
      listeners: options.listeners, meta: new Map(Object.entries(options.meta)),
    };
    (p.extension().dict ??= new Map()).set(REGISTRY_TABLE, t);
    return ['ok', t];
  },
  handleInfo(message: unknown, t) {
    // A registrant's exit signal. One from a live process (an exit/2 aimed at us) removes nothing.
    if (isExitMessage(message) && !alive(currentScheduler(), message.from)) {
      // A copy: remove() splices the very list it would walk, and would skip every other entry.
      for (const e of (t.byPid.get(message.from) ?? []).slice()) remove(t, e);
    }
    return ['noreply', t];
  },
  formatStatus: (t) => ({
    keys: t.keys,
    entries: [...t.entries.values()].flat().slice(0, 100).map((e) => [e.key, e.pid, e.value]),
    count: [...t.byPid.values()].reduce((n, l) => n + l.length, 0),
  }),
};

function registerIn(s: Scheduler, t: Table, me: Process, key: unknown, value: unknown): ['ok', Pid] | ['error', { already_registered: Pid }] {
  const mk = termKey(key);
  if (t.keys === 'unique') {
    const holder = t.entries.get(mk)?.[0];
    if (holder !== undefined) {
      if (alive(s, holder.pid)) return ['error', { already_registered: holder.pid }];
      // The holder has exited and the registry has not handled its exit yet: the entry is stale.
      remove(t, holder);
    }
  }
  link(t.pid);
  const e: Entry = { key, mk, pid: me.pid, value };
  const list = t.entries.get(mk);
  if (list === undefined) t.entries.set(mk, [e]);
  else list.push(e);
  const mine = t.byPid.get(me.pid);
  if (mine === undefined) t.byPid.set(me.pid, [e]);
  else mine.push(e);
  notify(s, t, { type: 'register', registry: t.name, key, pid: me.pid, value });
  return ['ok', t.pid];
}

function remove(t: Table, e: Entry): void {
  const list = t.entries.get(e.mk);
  if (list !== undefined) {
    const i = list.indexOf(e);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) t.entries.delete(e.mk);
  }
  const mine = t.byPid.get(e.pid);
  if (mine !== undefined) {
    const i = mine.indexOf(e);
    if (i >= 0) mine.splice(i, 1);
    if (mine.length === 0) t.byPid.delete(e.pid);
  }
}

function notify(s: Scheduler, t: Table, message: ListenerMessage): void {
  for (const name of t.listeners) if (s.whereis(name) !== undefined) s.send(name, message);
}

// --- Via ---

// `{ via: [registry, key] }` names: registered by the starting server itself, unique keys only.
setViaModule({
  registerName(s, registry, key, pid) {
    const t = open(s, registry, 'register_name');
    if (t.keys !== 'unique') throw badarg(`{via: ['${registry}', …]}: via names need a unique registry, '${registry}' has duplicate keys`);
    const me = s.self();
    if (me.pid !== pid) throw badarg(`{via: ['${registry}', …]}: ${pid} must register its name itself`);
    const r = registerIn(s, t, me, key, null);
    return r[0] === 'ok' ? null : r[1].already_registered;
  },
  whereisName(s, registry, key) {
    const t = open(s, registry, 'whereis_name');
    if (t.keys !== 'unique') throw badarg(`{via: ['${registry}', …]}: via names need a unique registry, '${registry}' has duplicate keys`);
    const e = t.entries.get(termKey(key))?.[0];
    return e !== undefined && alive(s, e.pid) ? e.pid : undefined;
  },
});

// --- Helpers ---

/** The registry's table, reached through its registered name (or pid) on this scheduler. */
function open(s: Scheduler, registry: string, op: string): Table {
  const pid = typeof registry === 'string' ? (registry.charCodeAt(0) === 60 ? (registry as Pid) : s.whereis(registry)) : undefined;
  const p = pid === undefined ? undefined : s.procs.get(pid);
  const t = p?.ext?.dict?.get(REGISTRY_TABLE) as Table | undefined;
  if (t !== undefined) return t;
  if (pid !== undefined && isPid(pid) && schedulerOf(pid) !== s.id) {
    throw badarg(`${op}: registry ${JSON.stringify(registry)} runs on scheduler ${schedulerOf(pid)}; a registry is used from its own scheduler`);
  }
  throw badarg(`${op}: unknown registry: ${JSON.stringify(registry)}`);
}

function alive(s: Scheduler, pid: Pid): boolean {
  return s.procs.get(pid)?.alive === true;
}

function live(s: Scheduler, list: Entry[] | undefined): Array<[Pid, unknown]> {
  const out: Array<[Pid, unknown]> = [];
  if (list !== undefined) for (const e of list) if (alive(s, e.pid)) out.push([e.pid, e.value]);
  return out;
}

function checkOptions(options: RegistryOptions): Required<Omit<RegistryOptions, 'label'>> {
  if (typeof options !== 'object' || options === null) throw badarg(`Registry.startLink needs options {keys, name}, got ${JSON.stringify(options)}`);
  if (options.keys !== 'unique' && options.keys !== 'duplicate') {
    throw badarg(`Registry.startLink: keys must be 'unique' or 'duplicate', got ${JSON.stringify(options.keys)}`);
  }
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw badarg(`Registry.startLink: a registry needs a name, got ${JSON.stringify(options.name)}`);
  }
  const listeners = options.listeners ?? [];
  if (!Array.isArray(listeners) || !listeners.every((l) => typeof l === 'string')) {
    throw badarg(`Registry.startLink: listeners must be registered names, got ${JSON.stringify(listeners)}`);
  }
  return { keys: options.keys, name: options.name, listeners, meta: options.meta ?? {} };
}

function badarg(message: string): OrchardError {
  return new OrchardError('badarg', `badarg: ${message}`);
}
