/**
 * Filtering and sorting the process table. Pure functions of the rows, so the Processes view
 * memoizes them on the store's revision and the query, not on each row.
 */
import type { Pid, ProcessRow } from '../protocol.ts';

export const SORT_COLUMNS = ['pid', 'name', 'behaviour', 'status', 'reductionsDelta', 'mailbox', 'memory', 'scheduler', 'uptime'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDir = 'asc' | 'desc';

export interface ProcessSort {
  key: SortColumn;
  dir: SortDir;
}

export const DEFAULT_SORT: ProcessSort = { key: 'reductionsDelta', dir: 'desc' };

export function isSortColumn(x: unknown): x is SortColumn {
  return typeof x === 'string' && (SORT_COLUMNS as readonly string[]).includes(x);
}

/** The name a person knows a process by: registered name, else label, else initial call. */
export function displayName(row: ProcessRow): string {
  return row.name ?? row.label ?? row.initialCall;
}

/** Pid number for numeric ordering: `<0.12.3>` → 12 (then the scheduler breaks ties). */
function pidKey(pid: Pid): number {
  const a = pid.indexOf('.');
  const b = pid.indexOf('.', a + 1);
  return Number(pid.slice(a + 1, b)) * 1024 + Number(pid.slice(b + 1, -1));
}

function compareBy(key: SortColumn): (a: ProcessRow, b: ProcessRow) => number {
  switch (key) {
    case 'pid':
      return (a, b) => pidKey(a.pid) - pidKey(b.pid);
    case 'name':
      return (a, b) => displayName(a).localeCompare(displayName(b));
    case 'behaviour':
      return (a, b) => (a.behaviour ?? '').localeCompare(b.behaviour ?? '');
    case 'status':
      return (a, b) => a.status.localeCompare(b.status);
    case 'uptime':
      return (a, b) => b.startedAt - a.startedAt;
    default:
      return (a, b) => a[key] - b[key];
  }
}

/** Whether a row matches the filter text: a substring of pid, name, label, behaviour, initial call or status. */
export function matchesFilter(row: ProcessRow, needle: string): boolean {
  if (needle === '') return true;
  return (
    row.pid.includes(needle) ||
    (row.name?.toLowerCase().includes(needle) ?? false) ||
    (row.label?.toLowerCase().includes(needle) ?? false) ||
    (row.behaviour?.toLowerCase().includes(needle) ?? false) ||
    row.initialCall.toLowerCase().includes(needle) ||
    row.status === needle
  );
}

/** Pids of the rows that match `filter`, in `sort` order (pid breaks ties, so the order is stable across ticks). */
export function queryProcesses(
  rows: Iterable<ProcessRow>,
  filter: string,
  sort: ProcessSort,
  hide?: (row: ProcessRow) => boolean,
): Pid[] {
  const needle = filter.trim().toLowerCase();
  const picked: ProcessRow[] = [];
  for (const row of rows) if (matchesFilter(row, needle) && !(hide?.(row) ?? false)) picked.push(row);
  const by = compareBy(sort.key);
  const sign = sort.dir === 'asc' ? 1 : -1;
  picked.sort((a, b) => sign * by(a, b) || pidKey(a.pid) - pidKey(b.pid));
  return picked.map((r) => r.pid);
}
