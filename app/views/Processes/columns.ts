/** The process table's columns: header text, sort key, and the CSS grid track of each. */
import type { SortColumn } from '../../store/processQuery.ts';

export interface Column {
  key: SortColumn;
  title: string;
  /** Right-aligned numbers. */
  numeric?: boolean;
  hint?: string;
}

export const COLUMNS: readonly Column[] = [
  { key: 'pid', title: 'Pid' },
  { key: 'name', title: 'Name', hint: 'Registered name, else label, else child id; then the initial call' },
  { key: 'behaviour', title: 'Behaviour' },
  { key: 'status', title: 'Status' },
  { key: 'reductionsRate', title: 'Reds/s', numeric: true, hint: 'Reductions per second over the last second (a reduction is about one function call of work)' },
  { key: 'mailbox', title: 'Mailbox', numeric: true, hint: 'Messages waiting' },
  { key: 'memory', title: 'Memory', numeric: true },
  { key: 'scheduler', title: 'Sched', numeric: true, hint: 'Scheduler (Web Worker) it runs on' },
  { key: 'uptime', title: 'Uptime', numeric: true },
];

/** Also used by ProcessRowView: header and rows share one grid template. */
export const GRID_TEMPLATE = '96px minmax(160px, 2.4fr) minmax(84px, 1fr) 92px 64px 84px 80px 60px 72px';

export const ROW_HEIGHT = 26;
