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
  { key: 'name', title: 'Name or label', hint: 'Registered name, else label, else initial call' },
  { key: 'behaviour', title: 'Behaviour' },
  { key: 'status', title: 'Status' },
  { key: 'reductionsDelta', title: 'Reds', numeric: true, hint: 'Reductions in the last refresh interval' },
  { key: 'mailbox', title: 'Mailbox', numeric: true, hint: 'Messages waiting' },
  { key: 'memory', title: 'Memory', numeric: true },
  { key: 'scheduler', title: 'Sched', numeric: true, hint: 'Scheduler (Web Worker) it runs on' },
  { key: 'uptime', title: 'Uptime', numeric: true },
];

/** Also used by ProcessRowView: header and rows share one grid template. */
export const GRID_TEMPLATE = '96px minmax(160px, 2.4fr) minmax(84px, 1fr) 92px 64px 84px 80px 60px 72px';

export const ROW_HEIGHT = 26;
