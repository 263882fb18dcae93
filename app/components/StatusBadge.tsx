import type { ProcessStatus } from '../protocol.ts';
import styles from './StatusBadge.module.css';

/** A process status as a coloured dot and its OTP word. */
export function StatusBadge({ status }: { status: ProcessStatus }) {
  return (
    <span className={styles.badge} data-status={status}>
      <span className={styles.dot} aria-hidden="true" />
      {status}
    </span>
  );
}
