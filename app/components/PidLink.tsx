import type { Pid } from '../protocol.ts';
import { useRuntime, useUiActions } from '../context/ObserverContext.tsx';
import styles from './PidLink.module.css';

/** A pid that opens the process's detail panel; a gone process is struck through. */
export function PidLink({ pid, showName = false }: { pid: Pid; showName?: boolean }) {
  const { select } = useUiActions();
  const name = useRuntime((s) => {
    const row = s.processes.get(pid);
    return row === undefined ? null : (row.name ?? row.label ?? '');
  });
  const gone = name === null;
  return (
    <button
      type="button"
      className={gone ? `${styles.pid} ${styles.gone}` : styles.pid}
      title={gone ? `${pid} (not in the process list)` : `${pid} ${name}`}
      onClick={(e) => {
        e.stopPropagation();
        select(pid, true);
      }}
    >
      {pid}
      {showName && name ? <span className={styles.name}> {name}</span> : null}
    </button>
  );
}
