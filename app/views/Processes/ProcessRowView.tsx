import { memo } from 'react';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useObserver, useRuntime } from '../../context/ObserverContext.tsx';
import { formatBytes, formatDuration, formatInt } from '../../format/format.ts';
import type { Pid, ProcessRow } from '../../protocol.ts';
import { displayName } from '../../store/processQuery.ts';
import { processRates } from '../../store/rates.ts';
import { GRID_TEMPLATE, ROW_HEIGHT } from './columns.ts';
import styles from './ProcessTable.module.css';

/**
 * One row, reading its own process from the store: when a tick changes 1% of the rows, only
 * those rows re-render (rows are replaced whole, so identity tells what changed).
 */
/** Every name the process has, for the tooltip. */
function nameTitle(row: ProcessRow): string {
  const parts = [row.name && `registered ${row.name}`, row.label && `label ${row.label}`, row.childId && `child id ${row.childId}`, `initial call ${row.initialCall}`];
  return parts.filter(Boolean).join(' · ');
}

export const ProcessRowView = memo(function ProcessRowView({ pid, index, selected, onSelect }: { pid: Pid; index: number; selected: boolean; onSelect: (pid: Pid) => void }) {
  const row = useRuntime((s) => s.processes.get(pid));
  // Uptime by the runtime time of the last update, so it moves with the data (and stops when
  // paused). As text: a row re-renders when it reads differently (once a second), not on every
  // tick, which for the ~50 rows in view was most of a tick's rendering.
  const uptime = useRuntime((s) => {
    const r = s.processes.get(pid);
    return r === undefined ? '' : formatDuration(s.at - r.startedAt);
  });
  const rates = processRates(useObserver().runtime);
  const rate = useRuntime(() => rates.of(pid));
  const style = { top: index * ROW_HEIGHT, gridTemplateColumns: GRID_TEMPLATE };
  if (row === undefined) {
    return (
      <div role="row" className={`${styles.row} ${styles.gone}`} style={style} data-pid={pid}>
        <span role="cell" className={styles.mono}>
          {pid}
        </span>
        <span role="cell">exited</span>
      </div>
    );
  }
  return (
    <div
      role="row"
      aria-selected={selected}
      className={selected ? `${styles.row} ${styles.selected}` : styles.row}
      style={style}
      onClick={() => onSelect(pid)}
      data-testid="process-row"
      data-pid={pid}
      data-name={row.name ?? undefined}
      data-label={row.label ?? undefined}
    >
      <span role="cell" className={styles.mono} data-col="pid">
        {pid}
      </span>
      <span role="cell" className={styles.name} data-col="name" title={nameTitle(row)}>
        {displayName(row) === row.initialCall ? (
          <span className={styles.dim}>{row.initialCall}</span>
        ) : (
          <>
            {displayName(row)} <span className={styles.dim}>{row.initialCall}</span>
          </>
        )}
      </span>
      <span role="cell" className={styles.dim} data-col="behaviour">
        {row.behaviour ?? '—'}
      </span>
      <span role="cell" data-col="status">
        <StatusBadge status={row.status} />
      </span>
      <span role="cell" className={styles.num} data-col="reductionsRate">
        {formatInt(rate)}
      </span>
      <span role="cell" className={row.mailbox > 0 ? `${styles.num} ${styles.busy}` : styles.num} data-col="mailbox">
        {formatInt(row.mailbox)}
      </span>
      <span role="cell" className={styles.num} data-col="memory">
        {formatBytes(row.memory)}
      </span>
      <span role="cell" className={styles.num} data-col="scheduler">
        {row.scheduler}
      </span>
      <span role="cell" className={styles.num} data-col="uptime">
        {uptime}
      </span>
    </div>
  );
});
