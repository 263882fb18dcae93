/**
 * Filtering and sorting the process table. Pure functions of the rows, so the Processes view
 * memoizes them on the store's revision and the query, not on each row.
 */
import type { Pid, ProcessRow } from '../protocol.ts';

export const SORT_COLUMNS = ['pid', 'name', 'behaviour', 'status', 'reductionsRate', 'mailbox', 'memory', 'scheduler', 'uptime'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDir = 'asc' | 'desc';

export interface ProcessSort {
  key: SortColumn;
  dir: SortDir;
}

export const DEFAULT_SORT: ProcessSort = { key: 'reductionsRate', dir: 'desc' };

/** Reductions per second of a row (see app/store/rates.ts); without one, the last tick's count. */
export type RateOf = (row: ProcessRow) => number;
const lastTick: RateOf = (row) => row.reductionsDelta;

export function isSortColumn(x: unknown): x is SortColumn {
  return typeof x === 'string' && (SORT_COLUMNS as readonly string[]).includes(x);
}

/**
 * The name a person knows a process by, as Observer's Name column: the registered name, else
 * its label (proc_lib:set_label), else its child id under its supervisor (so five Pooly workers
 * read `worker_1` … `worker_5`, not five times their module), else its initial call.
 */
export function displayName(row: ProcessRow): string {
  return row.name ?? row.label ?? row.childId ?? row.initialCall;
}

/**
 * Pid number for numeric ordering: `<0.12.3>` → 12 (then the scheduler breaks ties). Read digit
 * by digit: for 100,000 pids a sort, slicing and Number() cost several ms.
 */
export function pidKey(pid: Pid): number {
  let i = pid.indexOf('.') + 1;
  let n = 0;
  for (let c = pid.charCodeAt(i); c >= 48 && c <= 57; c = pid.charCodeAt(++i)) n = n * 10 + (c - 48);
  let s = 0;
  for (let c = pid.charCodeAt(++i); c >= 48 && c <= 57; c = pid.charCodeAt(++i)) s = s * 10 + (c - 48);
  return n * 1024 + s;
}

/** Numeric sort key of a row for `key`, or null for the text columns. */
function numericKey(key: SortColumn, row: ProcessRow, rateOf: RateOf): number {
  switch (key) {
    case 'uptime':
      return -row.startedAt;
    case 'reductionsRate':
      return rateOf(row);
    case 'mailbox':
    case 'memory':
    case 'scheduler':
      return row[key];
    default:
      return pidKey(row.pid);
  }
}

function textKey(key: SortColumn, row: ProcessRow): string {
  switch (key) {
    case 'name':
      return displayName(row).toLowerCase();
    case 'behaviour':
      return row.behaviour ?? '';
    default:
      return row.status;
  }
}

const TEXT_COLUMNS: ReadonlySet<SortColumn> = new Set(['name', 'behaviour', 'status']);

/** Columns whose value never changes for a process: the order changes only when processes come or go. */
export const STABLE_COLUMNS: ReadonlySet<SortColumn> = new Set(['pid', 'name', 'behaviour', 'uptime']);

/**
 * Whether a row matches the filter text: a substring of pid, registered name, label, child id,
 * behaviour, initial call or status.
 */
export function matchesFilter(row: ProcessRow, needle: string): boolean {
  if (needle === '') return true;
  return (
    row.pid.includes(needle) ||
    (row.name?.toLowerCase().includes(needle) ?? false) ||
    (row.label?.toLowerCase().includes(needle) ?? false) ||
    (row.childId?.toLowerCase().includes(needle) ?? false) ||
    (row.behaviour?.toLowerCase().includes(needle) ?? false) ||
    row.initialCall.toLowerCase().includes(needle) ||
    row.status === needle
  );
}

/**
 * Pids of the rows that match `filter`, in `sort` order; the pid number breaks ties, so the
 * order is stable across ticks. Keys are read once per row, not once per comparison.
 */
export function queryProcesses(rows: Iterable<ProcessRow>, filter: string, sort: ProcessSort, rateOf: RateOf = lastTick): Pid[] {
  const needle = filter.trim().toLowerCase();
  const picked: ProcessRow[] = [];
  for (const row of rows) if (matchesFilter(row, needle)) picked.push(row);
  const n = picked.length;
  const ties = new Float64Array(n);
  for (let i = 0; i < n; i++) ties[i] = pidKey(picked[i]!.pid);
  const sign = sort.dir === 'asc' ? 1 : -1;
  if (TEXT_COLUMNS.has(sort.key)) {
    const keys = picked.map((r) => textKey(sort.key, r));
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      return ka < kb ? -sign : ka > kb ? sign : ties[a]! - ties[b]!;
    });
    return order.map((i) => picked[i]!.pid);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = numericKey(sort.key, picked[i]!, rateOf);
  const order = numericOrder(keys, ties, sign);
  const out = new Array<Pid>(n);
  for (let r = 0; r < n; r++) out[r] = picked[order[r]!]!.pid;
  return out;
}

/**
 * The order by reductions per second without reading every row's rate: only the `growing`
 * processes can have a rate above 0 (rates.ts), so they are ranked among themselves and every
 * other row follows (or, ascending, precedes) in pid order, `byPid`, which changes only when
 * processes come or go. The same order as `queryProcesses` with no filter; with 100,000 rows
 * and 1,000 running it ranks 1,000, where a full query reads and sorts 100,000.
 */
export function rateOrder(byPid: readonly Pid[], growing: Iterable<Pid>, listed: (pid: Pid) => boolean, rateOf: (pid: Pid) => number, dir: SortDir): Pid[] {
  const moving: Pid[] = [];
  const rates: number[] = [];
  for (const pid of growing) {
    if (!listed(pid)) continue;
    const r = rateOf(pid);
    if (r > 0) {
      moving.push(pid);
      rates.push(r);
    }
  }
  const sign = dir === 'asc' ? 1 : -1;
  const idx = moving.map((_, i) => i);
  const ties = moving.map(pidKey);
  idx.sort((a, b) => sign * (rates[a]! - rates[b]!) || ties[a]! - ties[b]!);
  const ranked = idx.map((i) => moving[i]!);
  const skip = new Set(ranked);
  const rest = skip.size === 0 ? byPid.slice() : byPid.filter((pid) => !skip.has(pid));
  return dir === 'asc' ? rest.concat(ranked) : ranked.concat(rest);
}

// --- Numeric sort ---

const SLOT = 2 ** 18; // rows per sort at most on the fast path (the protocol's limit is 200,000)
const SAFE = 2 ** 35; // keys below this times SLOT stay exact integers in a double

/**
 * Row indices by key, then by tie, using typed-array sorts without a comparator: each
 * (key, row) pair is packed into one exact integer, `key * SLOT + rank`. Two native sorts of
 * 100,000 numbers take a few ms where a comparator sort takes about 50. Keys that do not fit
 * (fractions, huge values) take the comparator sort.
 */
function numericOrder(keys: Float64Array, ties: Float64Array, sign: 1 | -1): ArrayLike<number> {
  const n = keys.length;
  const split = n >= 1_000 ? splitOnCommonKey(keys, ties, sign) : null;
  if (split !== null) return split;
  const fast = n < SLOT ? packedOrder(keys, ties, sign) : null;
  if (fast !== null) return fast;
  const order = Array.from({ length: n }, (_, i) => i);
  return order.sort((a, b) => sign * (keys[a]! - keys[b]!) || ties[a]! - ties[b]!);
}

function packedOrder(keys: Float64Array, ties: Float64Array, sign: 1 | -1): Uint32Array | null {
  const n = keys.length;
  const packed = new Float64Array(n);
  const rank = new Uint32Array(n);
  // Rows usually come in spawn order, which is pid order: then the ranks are the indices, and
  // the first of the two sorts is not needed.
  let ascending = true;
  for (let i = 0; i < n; i++) {
    const t = ties[i]!;
    if (!(t >= 0 && t < SAFE && Number.isInteger(t))) return null;
    if (i > 0 && !(t > ties[i - 1]!)) ascending = false;
    packed[i] = t * SLOT + i;
  }
  if (ascending) {
    for (let i = 0; i < n; i++) rank[i] = i;
  } else {
    const byT = byTie(Uint32Array.from({ length: n }, (_, i) => i), ties);
    if (byT !== null) for (let r = 0; r < n; r++) rank[byT[r]!] = r;
    else {
      packed.sort();
      for (let r = 0; r < n; r++) rank[packed[r]! % SLOT] = r;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  for (let i = 0; i < n; i++) {
    const k = sign > 0 ? keys[i]! - min : max - keys[i]!;
    if (!(Number.isInteger(k) && k < SAFE)) return null;
    packed[i] = k * SLOT + rank[i]!;
  }
  packed.sort();
  const byRank = new Uint32Array(n);
  for (let i = 0; i < n; i++) byRank[rank[i]!] = i;
  const out = new Uint32Array(n);
  for (let r = 0; r < n; r++) out[r] = byRank[packed[r]! % SLOT]!;
  return out;
}

/**
 * Most rows often share the smallest key (idle processes: no reductions in the last tick, empty
 * mailboxes). Those only need ordering by tie, which is usually their order already, and only
 * the others need a real sort: the Swarm's 100,000 rows sort by reductions in a few ms, not
 * ~20. Null when fewer than half share the smallest key, or ties do not pack.
 */
function splitOnCommonKey(keys: Float64Array, ties: Float64Array, sign: 1 | -1): Uint32Array | null {
  const n = keys.length;
  let min = Infinity;
  for (let i = 0; i < n; i++) if (keys[i]! < min) min = keys[i]!;
  let same = 0;
  for (let i = 0; i < n; i++) if (keys[i] === min) same++;
  if (same * 2 < n || same === n) return null;
  const common = new Uint32Array(same);
  const rest = new Uint32Array(n - same);
  let ascending = true;
  for (let i = 0, c = 0, r = 0; i < n; i++) {
    if (keys[i] !== min) rest[r++] = i;
    else {
      if (c > 0 && !(ties[i]! > ties[common[c - 1]!]!)) ascending = false;
      common[c++] = i;
    }
  }
  if (!ascending) {
    const sorted = byTie(common.slice(), ties);
    if (sorted === null) return null;
    common.set(sorted);
  }
  const restKeys = new Float64Array(rest.length);
  const restTies = new Float64Array(rest.length);
  for (let r = 0; r < rest.length; r++) {
    restKeys[r] = keys[rest[r]!]!;
    restTies[r] = ties[rest[r]!]!;
  }
  const restOrder = numericOrder(restKeys, restTies, sign);
  // The smallest key comes first ascending, last descending.
  const out = new Uint32Array(n);
  let o = 0;
  if (sign > 0) for (let c = 0; c < same; c++) out[o++] = common[c]!;
  for (let r = 0; r < rest.length; r++) out[o++] = rest[restOrder[r]!]!;
  if (sign < 0) for (let c = 0; c < same; c++) out[o++] = common[c]!;
  return out;
}

/**
 * `idx` reordered by ascending tie: an LSD radix sort in two 16-bit passes, ~1 ms for 100,000
 * rows where a sort of packed doubles takes ~8. Ties must be distinct integers in [0, 2^32)
 * (pid keys are), else null. Reuses `idx` as scratch space.
 */
function byTie(idx: Uint32Array, ties: Float64Array): Uint32Array | null {
  const n = idx.length;
  for (let i = 0; i < n; i++) {
    const t = ties[idx[i]!]!;
    if (!(t >= 0 && t < 2 ** 32 && Number.isInteger(t))) return null;
  }
  let from: Uint32Array = idx;
  let to: Uint32Array = new Uint32Array(n);
  for (const shift of [0, 16]) {
    const count = new Uint32Array(65537);
    for (let i = 0; i < n; i++) count[((ties[from[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
    for (let i = 0; i < n; i++) {
      const j = from[i]!;
      to[count[(ties[j]! >>> shift) & 0xffff]!++] = j;
    }
    [from, to] = [to, from];
  }
  return from;
}
