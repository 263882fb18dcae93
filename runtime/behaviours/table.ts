/**
 * Tables: ETS (Erlang term storage) for the processes of one scheduler, with OTP's rules.
 * https://www.erlang.org/doc/apps/stdlib/ets.html
 *
 * - `new(name, options)` creates a table owned by the calling process and returns its id; with
 *   `named: true` the id is the name itself, and creating a second named table of that name is
 *   badarg. `whereis(name)` finds a named table's id.
 * - Objects are tuples (arrays). The key is the element at `keyPos`, counted from 1 as OTP does
 *   (default 1). A `set` holds one object per key, an `ordered_set` the same kept in term order,
 *   a `bag` several different objects per key, a `duplicate_bag` several objects, equal ones
 *   included. Keys are equal when they are equal terms (`['a', 1]` finds `['a', 1]`).
 * - Access: `public` lets any process read and write, `protected` (the default) lets the others
 *   only read, `private` lets only the owner in. A broken rule, or a table that does not exist
 *   (deleted, or its owner gone), is badarg naming the table and the rule.
 * - A table lives as long as its owner. When the owner exits, a live heir inherits it and gets
 *   `{type: 'ETS-TRANSFER', table, from, data}` (OTP's `{'ETS-TRANSFER', Tab, FromPid,
 *   HeirData}`); without one the table is deleted. `giveAway` hands it over the same way. A heir
 *   already dead when it is named is ignored (`info` reports `'none'`).
 * - Objects are stored and handed out by reference, as messages are within a scheduler (DESIGN
 *   decision 3): treat them as immutable. `updateCounter` and `updateElement` store a new
 *   tuple; they never change the old one.
 * - Tables belong to one scheduler: processes on other schedulers cannot reach them.
 */
import { type Pid, type Scheduler, OrchardError, currentScheduler, isPid, schedulerOf } from '../core/index.ts';
import { compareTerms, termKey } from './terms.ts';
import {
  type Access, type TableRef, type TableType, type Tab, type Tid, type Tuple, badarg, drop, estimateMemory, find, isBag,
  keyOf, keysInOrder, objects, orderIndex, own, put, removeKey, show, store, transfer,
} from './tableStore.ts';

export type { Access, TableRef, TableType, Tid, TransferMessage, Tuple } from './tableStore.ts';

// --- API ---

export { newTable as new, deleteTable as delete };

/** Creates a table owned by the calling process (ets:new/2). */
function newTable(name: string, options: TableOptions = {}): TableRef {
  const s = currentScheduler();
  const owner = s.self().pid;
  if (typeof name !== 'string' || name.length === 0 || name.charCodeAt(0) === 35 /* # */) {
    throw badarg(`new: ${show(name)} is not a table name (a non-empty string not starting with '#')`);
  }
  const o = checkOptions(options);
  const st = store(s);
  if (o.named && st.named.has(name)) throw badarg(`new: a named table '${name}' already exists`);
  const tid = s.makeRef() as Tid;
  const tab: Tab = {
    tid, id: o.named ? name : tid, name, named: o.named, type: o.type, access: o.access, keyPos: o.keyPos,
    owner, heir: o.heir, heirData: o.heirData, data: new Map(), order: o.type === 'ordered_set' ? [] : null, size: 0,
  };
  st.tables.set(tid, tab);
  if (o.named) st.named.set(name, tab);
  own(st, tab);
  return tab.id;
}

/** ets:delete/1 deletes the whole table, ets:delete/2 the objects under `key`. */
function deleteTable(table: TableRef, ...key: [] | [key: unknown]): true {
  const s = currentScheduler();
  const tab = open(s, table, 'write', 'delete');
  if (key.length === 0) drop(store(s), tab);
  else removeKey(tab, key[0]);
  return true;
}

/** Inserts objects, replacing those with the same key in a set (ets:insert/2). */
export function insert(table: TableRef, ...objects: Tuple[]): true {
  const tab = open(currentScheduler(), table, 'write', 'insert');
  for (const o of objects) keyOf(tab, o, 'insert');
  for (const o of objects) put(tab, o);
  return true;
}

/** Inserts only when none of the keys is in the table yet; all or nothing (ets:insert_new/2). */
export function insertNew(table: TableRef, ...objects: Tuple[]): boolean {
  const tab = open(currentScheduler(), table, 'write', 'insertNew');
  const seen = new Set<unknown>();
  for (const o of objects) {
    const mk = termKey(keyOf(tab, o, 'insertNew'));
    if (tab.data.has(mk) || seen.has(mk)) return false;
    seen.add(mk);
  }
  for (const o of objects) put(tab, o);
  return true;
}

/** The objects stored under `key`: at most one in a set (ets:lookup/2). */
export function lookup(table: TableRef, key: unknown): Tuple[] {
  const tab = open(currentScheduler(), table, 'read', 'lookup');
  const v = tab.data.get(termKey(key));
  if (v === undefined) return [];
  return isBag(tab) ? (v as Tuple[]).slice() : [v as Tuple];
}

/** The element at `pos` of the object under `key`; badarg when there is none (ets:lookup_element/3). */
export function lookupElement(table: TableRef, key: unknown, pos: number): unknown {
  const tab = open(currentScheduler(), table, 'read', 'lookupElement');
  const objects = lookup(table, key);
  if (objects.length === 0) throw badarg(`lookupElement: table ${show(tab.id)} has no object with key ${show(key)}`);
  const elements = objects.map((o) => {
    if (!Number.isInteger(pos) || pos < 1 || pos > o.length) throw badarg(`lookupElement: position ${show(pos)} is outside ${show(o)}`);
    return o[pos - 1];
  });
  return isBag(tab) ? elements : elements[0];
}

export function member(table: TableRef, key: unknown): boolean {
  return open(currentScheduler(), table, 'read', 'member').data.has(termKey(key));
}

/** Removes and returns the objects under `key` (ets:take/2). */
export function take(table: TableRef, key: unknown): Tuple[] {
  const tab = open(currentScheduler(), table, 'write', 'take');
  const v = tab.data.get(termKey(key));
  if (v === undefined) return [];
  removeKey(tab, key);
  return isBag(tab) ? (v as Tuple[]) : [v as Tuple];
}

/** Deletes this exact object; others under its key stay; every copy in a duplicate_bag (ets:delete_object/2). */
export function deleteObject(table: TableRef, object: Tuple): true {
  const tab = open(currentScheduler(), table, 'write', 'deleteObject');
  const key = keyOf(tab, object, 'deleteObject');
  const mk = termKey(key);
  const v = tab.data.get(mk);
  if (v === undefined) return true;
  if (!isBag(tab)) {
    if (compareTerms(v, object) === 0) removeKey(tab, key);
    return true;
  }
  const kept = (v as Tuple[]).filter((o) => compareTerms(o, object) !== 0);
  tab.size -= (v as Tuple[]).length - kept.length;
  if (kept.length === 0) tab.data.delete(mk);
  else tab.data.set(mk, kept);
  return true;
}

export function deleteAllObjects(table: TableRef): true {
  const tab = open(currentScheduler(), table, 'write', 'deleteAllObjects');
  tab.data.clear();
  tab.order?.splice(0);
  tab.size = 0;
  return true;
}

/** Every object, in key order for an ordered_set, insertion order otherwise (ets:tab2list/1). */
export function toList(table: TableRef): Tuple[] {
  return objects(open(currentScheduler(), table, 'read', 'toList'));
}

/** The objects `pred` accepts (ets:match_object/2, with a predicate for the pattern). */
export function match(table: TableRef, pred: (object: Tuple) => boolean): Tuple[] {
  return objects(open(currentScheduler(), table, 'read', 'match')).filter((o) => pred(o));
}

/** `project` of each object `pred` accepts (ets:select/2: guard, then body). */
export function select<R = Tuple>(table: TableRef, pred: (object: Tuple) => boolean, project?: (object: Tuple) => R): R[] {
  const out: R[] = [];
  for (const o of objects(open(currentScheduler(), table, 'read', 'select'))) {
    if (pred(o)) out.push(project === undefined ? (o as R) : project(o));
  }
  return out;
}

/** Deletes the objects `pred` accepts; returns how many (ets:select_delete/2). */
export function selectDelete(table: TableRef, pred: (object: Tuple) => boolean): number {
  const tab = open(currentScheduler(), table, 'write', 'selectDelete');
  let n = 0;
  for (const o of objects(tab)) {
    if (!pred(o)) continue;
    n++;
    if (isBag(tab)) deleteObject(table, o);
    else removeKey(tab, o[tab.keyPos - 1]);
  }
  return n;
}

/**
 * Adds to counters in the object under `key` and returns the new values (ets:update_counter).
 * `op` is an increment for the element after the key, `[pos, incr]`, `[pos, incr, threshold,
 * setValue]` (past the threshold the counter is set to `setValue`), or a list of these. A
 * missing key is badarg unless `defaultObject` is given; it is inserted first, with `key` in
 * its key position. Set and ordered_set only; all or nothing.
 */
export function updateCounter(table: TableRef, key: unknown, op: CounterOp, defaultObject?: Tuple): number;
export function updateCounter(table: TableRef, key: unknown, ops: CounterOp[], defaultObject?: Tuple): number[];
export function updateCounter(table: TableRef, key: unknown, op: CounterOp | CounterOp[], defaultObject?: Tuple): number | number[] {
  const tab = open(currentScheduler(), table, 'write', 'updateCounter');
  const many = Array.isArray(op) && (op.length === 0 || Array.isArray(op[0]));
  const ops = (many ? op : [op]) as CounterOp[];
  const obj = updatable(tab, key, defaultObject, 'updateCounter');
  const results: number[] = [];
  for (const o of ops) {
    const [pos, incr, threshold, setValue] = typeof o === 'number' ? [tab.keyPos + 1, o] : o;
    checkPosition(tab, obj, pos, 'updateCounter');
    const current = obj[pos - 1];
    const numbers = [current, incr, ...(threshold === undefined ? [] : [threshold, setValue])];
    if (!numbers.every((x) => Number.isInteger(x))) {
      throw badarg(`updateCounter: ${show(o)} on ${show(obj)} needs integers (the counter, increment, threshold and set value)`);
    }
    let next = (current as number) + incr;
    if (threshold !== undefined && (incr >= 0 ? next > threshold : next < threshold)) next = setValue!;
    obj[pos - 1] = next;
    results.push(next);
  }
  put(tab, obj);
  return many ? results : results[0]!;
}

/**
 * Replaces elements of the object under `key`: `[pos, value]` or a list of them. Returns false
 * when there is no such object and no `defaultObject` (ets:update_element). Set and ordered_set only.
 */
export function updateElement(table: TableRef, key: unknown, change: ElementChange | ElementChange[], defaultObject?: Tuple): boolean {
  const tab = open(currentScheduler(), table, 'write', 'updateElement');
  if (defaultObject === undefined && !tab.data.has(termKey(key)) && !isBag(tab)) return false;
  const obj = updatable(tab, key, defaultObject, 'updateElement');
  const changes = (Array.isArray(change[0]) ? change : [change]) as ElementChange[];
  for (const [pos, value] of changes) {
    checkPosition(tab, obj, pos, 'updateElement');
    obj[pos - 1] = value;
  }
  put(tab, obj);
  return true;
}

/** The first key (in term order for an ordered_set), or `END_OF_TABLE` (ets:first/1). */
export function first(table: TableRef): unknown {
  const keys = keysInOrder(open(currentScheduler(), table, 'read', 'first'));
  return keys.length === 0 ? END_OF_TABLE : keys[0];
}

export function last(table: TableRef): unknown {
  const keys = keysInOrder(open(currentScheduler(), table, 'read', 'last'));
  return keys.length === 0 ? END_OF_TABLE : keys[keys.length - 1];
}

/** The key after `key`, or `END_OF_TABLE` (ets:next/2). Outside an ordered_set `key` must be in the table. */
export function next(table: TableRef, key: unknown): unknown {
  return step(open(currentScheduler(), table, 'read', 'next'), key, 1);
}

export function prev(table: TableRef, key: unknown): unknown {
  return step(open(currentScheduler(), table, 'read', 'prev'), key, -1);
}

/** Every table of this scheduler, private ones included (ets:all/0). */
export function all(): TableRef[] {
  return [...store(currentScheduler()).tables.values()].map((t) => t.id);
}

/** What the table is and who has it, or undefined when there is no such table (ets:info/1). */
export function info(table: TableRef): TableInfo | undefined {
  const tab = find(store(currentScheduler()), table);
  if (tab === undefined) return undefined;
  return {
    id: tab.id, name: tab.name, named: tab.named, owner: tab.owner, heir: tab.heir ?? 'none',
    size: tab.size, type: tab.type, access: tab.access, keyPos: tab.keyPos, memory: estimateMemory(tab),
  };
}

/** The id of the named table `name`, or undefined (ets:whereis/1). */
export function whereis(name: string): Tid | undefined {
  return store(currentScheduler()).named.get(name)?.tid;
}

/** The owner hands the table to `pid`, which gets an ETS-TRANSFER message (ets:give_away/3). */
export function giveAway(table: TableRef, pid: Pid, data: unknown): true {
  const s = currentScheduler();
  const st = store(s);
  const tab = find(st, table);
  if (tab === undefined) throw missing(table, 'giveAway');
  const caller = callerOf(s);
  if (caller !== tab.owner) throw badarg(`giveAway: table ${show(tab.id)} is owned by ${tab.owner}: only its owner may give it away`);
  const to = isPid(pid) ? s.procs.get(pid) : undefined;
  if (to === undefined || !to.alive) throw badarg(`giveAway: ${show(pid)} is not a live process on this scheduler`);
  if (pid === caller) throw badarg(`giveAway: ${pid} already owns table ${show(tab.id)}`);
  transfer(s, st, tab, to.pid, caller, data);
  return true;
}

/** The owner sets or clears the heir (ets:setopts/2 with {heir, Pid, HeirData} or {heir, none}). */
export function setHeir(table: TableRef, heir: Pid | 'none', data?: unknown): true {
  const s = currentScheduler();
  const tab = find(store(s), table);
  if (tab === undefined) throw missing(table, 'setHeir');
  if (callerOf(s) !== tab.owner) throw badarg(`setHeir: table ${show(tab.id)} is owned by ${tab.owner}: only its owner may set its heir`);
  tab.heir = checkHeir(s, heir);
  tab.heirData = data;
  return true;
}

// --- Types ---

export type CounterOp = number | [pos: number, incr: number] | [pos: number, incr: number, threshold: number, setValue: number];
export type ElementChange = [pos: number, value: unknown];

export interface TableOptions {
  type?: TableType;
  access?: Access;
  /** Address the table by its name (OTP's named_table). */
  named?: boolean;
  /** Which element is the key, from 1 (OTP's keypos). */
  keyPos?: number;
  /** Inherits the table when the owner exits (OTP's {heir, Pid, HeirData}); 'none' by default. */
  heir?: Pid | 'none';
  heirData?: unknown;
}

export interface TableInfo {
  id: TableRef;
  name: string;
  named: boolean;
  owner: Pid;
  heir: Pid | 'none';
  size: number;
  type: TableType;
  access: Access;
  keyPos: number;
  /** Estimated bytes: the table record and its objects. */
  memory: number;
}

/** What first/next/last/prev return past the last key (OTP's '$end_of_table'). */
export const END_OF_TABLE = '$end_of_table';

export const DEFAULT_OPTIONS = { type: 'set' as TableType, access: 'protected' as Access, named: false, keyPos: 1 };

// --- Access ---

/** The table, if the calling process (or the host) may `mode` it; badarg naming the rule if not. */
function open(s: Scheduler, ref: TableRef, mode: 'read' | 'write', op: string): Tab {
  const tab = find(store(s), ref);
  if (tab === undefined) throw missing(ref, op);
  if (tab.access === 'public') return tab;
  const caller = callerOf(s);
  if (caller === tab.owner || (tab.access === 'protected' && mode === 'read')) return tab;
  const rule = tab.access === 'private' ? 'only its owner may read or write it' : 'only its owner may write it';
  throw badarg(`${op}: table ${show(tab.id)} is ${tab.access} (owner ${tab.owner}): ${rule}`);
}

function callerOf(s: Scheduler): Pid {
  return s.current?.pid ?? s.hostPid;
}

function missing(ref: TableRef, op: string): OrchardError {
  return badarg(`${op}: no table ${show(ref)} exists (never created, deleted, or its owner exited)`);
}

// --- Walking and updating ---

function step(tab: Tab, key: unknown, dir: 1 | -1): unknown {
  if (tab.order !== null) {
    // An ordered_set steps from where the key would be, present or not.
    const i = orderIndex(tab.order, key);
    const present = i < tab.order.length && compareTerms(tab.order[i]![0], key) === 0;
    const j = dir === 1 ? (present ? i + 1 : i) : i - 1;
    return j >= 0 && j < tab.order.length ? tab.order[j]![0] : END_OF_TABLE;
  }
  const keys = keysInOrder(tab);
  const i = keys.findIndex((k) => compareTerms(k, key) === 0);
  if (i < 0) throw badarg(`${dir === 1 ? 'next' : 'prev'}: key ${show(key)} is not in table ${show(tab.id)}`);
  const j = i + dir;
  return j >= 0 && j < keys.length ? keys[j] : END_OF_TABLE;
}

/** A fresh copy of the object under `key` (or of the default, keyed), ready to change and store. */
function updatable(tab: Tab, key: unknown, defaultObject: Tuple | undefined, op: string): unknown[] {
  if (isBag(tab)) throw badarg(`${op}: table ${show(tab.id)} is a ${tab.type}: only set and ordered_set tables can be updated in place`);
  const v = tab.data.get(termKey(key)) as Tuple | undefined;
  if (v !== undefined) return v.slice();
  if (defaultObject === undefined) throw badarg(`${op}: table ${show(tab.id)} has no object with key ${show(key)} and no default object was given`);
  keyOf(tab, defaultObject, op);
  const obj = defaultObject.slice();
  obj[tab.keyPos - 1] = key;
  return obj;
}

function checkPosition(tab: Tab, obj: Tuple, pos: unknown, op: string): asserts pos is number {
  if (!Number.isInteger(pos) || (pos as number) < 1 || (pos as number) > obj.length) {
    throw badarg(`${op}: position ${show(pos)} is outside ${show(obj)}`);
  }
  if (pos === tab.keyPos) throw badarg(`${op}: position ${pos} is the key of table ${show(tab.id)}, which cannot be updated`);
}

// --- Validation ---

function checkOptions(options: TableOptions): Required<Omit<TableOptions, 'heir'>> & { heir: Pid | null } {
  if (typeof options !== 'object' || options === null) throw badarg(`new: options must be an object, got ${show(options)}`);
  const type = options.type ?? DEFAULT_OPTIONS.type;
  if (!['set', 'ordered_set', 'bag', 'duplicate_bag'].includes(type)) throw badarg(`new: ${show(type)} is not a table type`);
  const access = options.access ?? DEFAULT_OPTIONS.access;
  if (!['public', 'protected', 'private'].includes(access)) throw badarg(`new: ${show(access)} is not an access (public, protected or private)`);
  const keyPos = options.keyPos ?? DEFAULT_OPTIONS.keyPos;
  if (!Number.isInteger(keyPos) || keyPos < 1) throw badarg(`new: keyPos ${show(keyPos)} is not a position from 1`);
  const heir = checkHeir(currentScheduler(), options.heir ?? 'none');
  return { type, access, keyPos, named: options.named === true, heir, heirData: options.heirData };
}

/**
 * A heir that is already dead when it is named is ignored: the table has none, as ets:new/2 and
 * ets:setopts/2 do (erl_db.c checks that the heir process exists).
 */
function checkHeir(s: Scheduler, heir: unknown): Pid | null {
  if (heir === 'none') return null;
  if (!isPid(heir) || schedulerOf(heir) !== s.id) throw badarg(`heir ${show(heir)} is not a pid on this scheduler`);
  return s.procs.get(heir)?.alive === true ? heir : null;
}
