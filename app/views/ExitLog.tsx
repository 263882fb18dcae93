import type { ExitRecord } from '../demo/readRuntime.ts';
import styles from './ExitLog.module.css';

export function ExitLog({ exits }: { exits: readonly ExitRecord[] }) {
  if (exits.length === 0) return <p className={styles.empty}>No process has exited yet.</p>;
  return (
    <ol className={styles.log} aria-label="Recent exits">
      {exits.map((e) => (
        <li key={`${e.pid}@${e.at}`}>
          <time>{(e.at / 1000).toFixed(2)}s</time>
          <code>{e.pid}</code>
          <span className={styles.label}>{e.label ?? ''}</span>
          <span className={styles.reason} data-reason={e.reason}>{e.reason}</span>
        </li>
      ))}
    </ol>
  );
}
