import type { Pid, ProcessInfo } from '../../runtime/core/index.ts';
import styles from './ProcessTable.module.css';

export interface ProcessTableProps {
  processes: readonly ProcessInfo[];
  /** Whether a row gets a kill button (the demo offers it for workers only). */
  canKill(info: ProcessInfo): boolean;
  onKill(pid: Pid): void;
}

/** A mailbox this long fills the bar; longer ones just stay full. */
const MAILBOX_SCALE = 16;

export function ProcessTable({ processes, canKill, onKill }: ProcessTableProps) {
  const rows = [...processes].sort(byTreePosition);
  return (
    <div className={styles.scroll}>
      <table className={styles.table} aria-label="Processes">
        <thead>
          <tr>
            <th>Pid</th>
            <th>Name / label</th>
            <th>Initial call</th>
            <th>Status</th>
            <th className={styles.num}>Mailbox</th>
            <th className={styles.num}>Reductions</th>
            <th>Links</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.pid} data-testid="process-row" data-label={p.label ?? ''} data-name={p.registeredName ?? ''}>
              <td className={styles.pid} data-col="pid">{p.pid}</td>
              <td data-col="name">
                {p.registeredName !== null && <span className={styles.name}>{p.registeredName}</span>}
                {p.label !== null && <span className={styles.label}>{p.label}</span>}
                {p.trapExit && <span className={styles.badge} title="Traps exits">trap_exit</span>}
              </td>
              <td className={styles.mono} data-col="init">{p.initialCall}</td>
              <td data-col="status">
                <span className={styles.status} data-status={p.status}>{p.status}</span>
              </td>
              <td className={styles.num} data-col="mailbox">
                <span className={styles.bar} aria-hidden="true">
                  <span style={{ width: `${Math.min(100, (p.mailboxLength / MAILBOX_SCALE) * 100)}%` }} />
                </span>
                <span className={styles.count} data-testid="mailbox-length">{p.mailboxLength}</span>
              </td>
              <td className={styles.num} data-col="reductions">{p.reductions.toLocaleString('en-US')}</td>
              <td data-col="links">
                <div className={styles.links}>
                  {p.links.length === 0 ? <span className={styles.none}>none</span> : p.links.map((l) => <code key={l}>{l}</code>)}
                </div>
              </td>
              <td className={styles.actions}>
                {canKill(p) && (
                  <button type="button" className={styles.kill} onClick={() => onKill(p.pid)} aria-label={`Kill ${p.label ?? p.pid}`}>
                    kill
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Roots first, then by label or name, then by pid: a restarted worker keeps its row, so the
 * pid changes in place instead of the row jumping to the bottom.
 */
function byTreePosition(a: ProcessInfo, b: ProcessInfo): number {
  const depth = a.ancestors.length - b.ancestors.length;
  if (depth !== 0) return depth;
  const an = a.registeredName ?? a.label ?? '';
  const bn = b.registeredName ?? b.label ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return pidNumber(a.pid) - pidNumber(b.pid);
}

function pidNumber(pid: Pid): number {
  return Number(pid.split('.')[1]);
}
