import { PidLink } from '../../components/PidLink.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useObserver, useRuntime } from '../../context/ObserverContext.tsx';
import { processRates } from '../../store/rates.ts';
import { formatBytes, formatDuration, formatInt } from '../../format/format.ts';
import type { ProcessRow } from '../../protocol.ts';
import styles from './ProcessFields.module.css';

/** Every field of the process row, in Observer's order of interest. */
export function ProcessFields({ row }: { row: ProcessRow }) {
  const at = useRuntime((s) => s.at);
  const rates = processRates(useObserver().runtime);
  const perSecond = useRuntime(() => rates.of(row.pid));
  return (
    <dl className={styles.fields}>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={row.status} />
      </dd>
      <dt>Registered name</dt>
      <dd>{row.name ?? '—'}</dd>
      <dt>Label</dt>
      <dd>{row.label ?? '—'}</dd>
      <dt>Behaviour</dt>
      <dd>{row.behaviour ?? '—'}</dd>
      <dt>Initial call</dt>
      <dd>
        <code>{row.initialCall}</code>
      </dd>
      <dt>Reductions</dt>
      <dd className={styles.num}>
        {formatInt(row.reductions)} <span className={styles.dim}>({formatInt(perSecond)}/s over the last second)</span>
      </dd>
      <dt>Mailbox</dt>
      <dd className={styles.num}>{formatInt(row.mailbox)}</dd>
      <dt>Memory</dt>
      <dd className={styles.num}>{formatBytes(row.memory)}</dd>
      <dt>Scheduler</dt>
      <dd className={styles.num}>{row.scheduler}</dd>
      <dt>Trap exit</dt>
      <dd>{row.trapExit ? 'true' : 'false'}</dd>
      <dt>Started</dt>
      <dd>
        {new Date(row.startedAt).toLocaleTimeString()} <span className={styles.dim}>(up {formatDuration(at - row.startedAt)})</span>
      </dd>
      <dt>Parent</dt>
      <dd>{row.parent ? <PidLink pid={row.parent} showName /> : '—'}</dd>
      <dt>Supervisor</dt>
      <dd>{row.supervisor ? <PidLink pid={row.supervisor} showName /> : '—'}</dd>
      {row.childId !== null ? (
        <>
          <dt>Child id</dt>
          <dd>
            <code>{row.childId}</code>
          </dd>
          <dt>Restarts</dt>
          <dd className={styles.num}>{row.restarts}</dd>
          <dt>Last exit reason</dt>
          <dd>
            <code>{row.lastExitReason ?? '—'}</code>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
