import { useShallow } from 'zustand/react/shallow';
import { useRuntime } from '../../context/ObserverContext.tsx';
import { formatInt, formatPercent } from '../../format/format.ts';
import styles from './SchedulerTable.module.css';

/**
 * One row per scheduler (one per Web Worker): utilization, run queue, traffic. A BEAM node's
 * schedulers tell only their utilization and run queue: the BEAM counts no processes or
 * messages per scheduler, so those columns are left out rather than shown as zeros.
 */
export function SchedulerTable() {
  const schedulers = useRuntime(useShallow((s) => s.schedulers));
  const beam = useRuntime((s) => s.node?.beam !== undefined);
  return (
    <table className={styles.table} aria-label="Schedulers">
      <thead>
        <tr>
          <th>#</th>
          <th className={styles.util}>Utilization</th>
          <th>Run queue</th>
          {beam ? null : (
            <>
              <th>Processes</th>
              <th>Messages in</th>
              <th>Messages out</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {schedulers.map((s) => (
          <tr key={s.id}>
            <td>
              {s.id}
              {s.replaced ? <span className={styles.replaced}> replaced</span> : null}
            </td>
            <td className={styles.util}>
              <span className={styles.bar}>
                <span className={styles.fill} style={{ width: formatPercent(Math.min(1, s.utilization)) }} />
              </span>
              <span className={styles.num}>{formatPercent(s.utilization)}</span>
            </td>
            <td className={styles.num}>{formatInt(s.runQueue)}</td>
            {beam ? null : (
              <>
                <td className={styles.num}>{formatInt(s.processes)}</td>
                <td className={styles.num}>{formatInt(s.messagesIn)}</td>
                <td className={styles.num}>{formatInt(s.messagesOut)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
