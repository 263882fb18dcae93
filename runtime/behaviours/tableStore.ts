/**
 * Where a scheduler's tables live and how a table holds its objects, for `table.ts` (ETS):
 * https://www.erlang.org/doc/apps/stdlib/ets.html
 *
 * Each scheduler has one store, created with its first table, which hooks the scheduler's
 * process exits so that a table goes to its heir or away with its owner. Nothing here checks
 * access rights: `table.ts` does, before it calls in.
 */
import { type Pid, type Ref, type Scheduler, OrchardError, isRef } from '../core/index.ts';
import { compareTerms, termKey } from './terms.ts';

// --- Types ---

/** A table id, printed as a reference; a named table is addressed by its name instead. */
export type Tid = Ref & { readonly __tid: never };
export type TableRef = Tid | string;
export type Tuple = readonly unknown[];
export type TableType = 'set' | 'ordered_set' | 'bag' | 'duplicate_bag';
export type Access = 'public' | 'protected' | 'private';

/** What a new owner receives (OTP's {'ETS-TRANSFER', Tab, FromPid, GiftData}). */
export interface TransferMessage {
  type: 'ETS-TRANSFER';
  table: TableRef;
  from: Pid;
  data: unknown;
}

// --- State ---

export interface Tab {
  readonly tid: Tid;
  /** What callers use: the tid, or the name of a named table. */
  readonly id: TableRef;
  readonly name: string;
  readonly named: boolean;
  readonly type: TableType;
  readonly access: Access;
  readonly keyPos: number;
  owner: Pid;
  heir: Pid | null;
  heirData: unknown;
  /** termKey(key) → the object (set, ordered_set) or its objects in insertion order (bags). */
  readonly data: Map<unknown, Tuple | Tuple[]>;
  /** ordered_set only: [key, termKey(key)] in term order. */
  readonly order: Array<[key: unknown, mapKey: unknown]> | null;
  /** Objects held; each object of a bag counts. */
  size: number;
}

/** The tables of one scheduler. */
export interface Store {
  readonly tables: Map<Tid, Tab>;
  readonly named: Map<string, Tab>;
  readonly owned: Map<Pid, Set<Tab>>;
}

const stores = new WeakMap<Scheduler, Store>();

export function store(s: Scheduler): Store {
  let st = stores.get(s);
  if (st === undefined) {
    const created: Store = { tables: new Map(), named: new Map(), owned: new Map() };
    stores.set(s, created);
    s.exitHooks.push((pid) => ownerExited(s, created, pid));
    st = created;
  }
  return st;
}

/** The scheduler's tables if it has any, without creating a store (for the inspector). */
export function existingStore(s: Scheduler): Store | undefined {
  return stores.get(s);
}

export function find(st: Store, ref: TableRef): Tab | undefined {
  if (typeof ref !== 'string') return undefined;
  return isRef(ref) ? st.tables.get(ref as Tid) : st.named.get(ref);
}

// --- Storage ---

export function isBag(tab: Tab): boolean {
  return tab.type === 'bag' || tab.type === 'duplicate_bag';
}

export function keyOf(tab: Tab, o: unknown, op: string): unknown {
  if (!Array.isArray(o) || o.length < tab.keyPos) {
    throw badarg(`${op}: ${show(o)} is not a tuple (an array) with a key at position ${tab.keyPos} for table ${show(tab.id)}`);
  }
  return o[tab.keyPos - 1];
}

export function put(tab: Tab, obj: Tuple): void {
  const key = obj[tab.keyPos - 1];
  const mk = termKey(key);
  const v = tab.data.get(mk);
  if (!isBag(tab)) {
    if (v === undefined) {
      tab.size++;
      if (tab.order !== null) tab.order.splice(orderIndex(tab.order, key), 0, [key, mk]);
    }
    tab.data.set(mk, obj);
    return;
  }
  if (v === undefined) {
    tab.data.set(mk, [obj]);
  } else {
    // A bag keeps one copy of equal objects; a duplicate_bag keeps them all.
    if (tab.type === 'bag' && (v as Tuple[]).some((o) => compareTerms(o, obj) === 0)) return;
    (v as Tuple[]).push(obj);
  }
  tab.size++;
}

export function removeKey(tab: Tab, key: unknown): void {
  const mk = termKey(key);
  const v = tab.data.get(mk);
  if (v === undefined) return;
  tab.data.delete(mk);
  tab.size -= isBag(tab) ? (v as Tuple[]).length : 1;
  if (tab.order !== null) {
    const i = orderIndex(tab.order, key);
    if (i < tab.order.length && compareTerms(tab.order[i]![0], key) === 0) tab.order.splice(i, 1);
  }
}

/** Where `key` is or would go in an ordered_set's keys (binary search). */
export function orderIndex(order: Array<[unknown, unknown]>, key: unknown): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareTerms(order[mid]![0], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function objects(tab: Tab): Tuple[] {
  const out: Tuple[] = [];
  if (tab.order !== null) {
    for (const [, mk] of tab.order) out.push(tab.data.get(mk) as Tuple);
  } else if (isBag(tab)) {
    for (const list of tab.data.values()) out.push(...(list as Tuple[]));
  } else {
    for (const o of tab.data.values()) out.push(o as Tuple);
  }
  return out;
}

export function keysInOrder(tab: Tab): unknown[] {
  if (tab.order !== null) return tab.order.map(([k]) => k);
  const out: unknown[] = [];
  for (const v of tab.data.values()) out.push((isBag(tab) ? (v as Tuple[])[0]! : (v as Tuple))[tab.keyPos - 1]);
  return out;
}

// --- Ownership ---

export function own(st: Store, tab: Tab): void {
  let set = st.owned.get(tab.owner);
  if (set === undefined) st.owned.set(tab.owner, (set = new Set()));
  set.add(tab);
}

function disown(st: Store, tab: Tab): void {
  const set = st.owned.get(tab.owner);
  if (set === undefined) return;
  set.delete(tab);
  if (set.size === 0) st.owned.delete(tab.owner);
}

export function drop(st: Store, tab: Tab): void {
  disown(st, tab);
  st.tables.delete(tab.tid);
  if (tab.named && st.named.get(tab.name) === tab) st.named.delete(tab.name);
}

export function transfer(s: Scheduler, st: Store, tab: Tab, to: Pid, from: Pid, data: unknown): void {
  disown(st, tab);
  tab.owner = to;
  own(st, tab);
  s.send(to, { type: 'ETS-TRANSFER', table: tab.id, from, data } satisfies TransferMessage, from);
}

/**
 * Runs inside the scheduler's exit handling, before the owner's EXIT and DOWN signals go out:
 * a supervisor that restarts the owner finds the name free, and an heir that monitors the owner
 * gets the table before the DOWN.
 */
function ownerExited(s: Scheduler, st: Store, pid: Pid): void {
  const owned = st.owned.get(pid);
  if (owned === undefined) return;
  for (const tab of [...owned]) {
    const heir = tab.heir === null || tab.heir === pid ? undefined : s.procs.get(tab.heir);
    if (heir !== undefined && heir.alive) transfer(s, st, tab, heir.pid, pid, tab.heirData);
    else drop(st, tab);
  }
}

const TABLE_BYTES = 200;
const OBJECT_BYTES = 16;
const ELEMENT_BYTES = 16;

export function estimateMemory(tab: Tab): number {
  let elements = 0;
  for (const v of tab.data.values()) {
    if (isBag(tab)) for (const o of v as Tuple[]) elements += o.length;
    else elements += (v as Tuple).length;
  }
  return TABLE_BYTES + tab.size * OBJECT_BYTES + elements * ELEMENT_BYTES;
}

// --- Helpers ---

export function badarg(message: string): OrchardError {
  return new OrchardError('badarg', `badarg: ${message}`);
}

export function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  try {
    const s = JSON.stringify(x);
    return s === undefined ? String(x) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(x);
  }
}
