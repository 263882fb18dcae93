import { useShallow } from 'zustand/react/shallow';
import { PidLink } from '../../components/PidLink.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useRuntime } from '../../context/ObserverContext.tsx';
import { formatBytes, formatDuration, formatInt, formatRate } from '../../format/format.ts';
import { useNow } from '../../hooks/useNow.ts';
import { BeamMemory, BeamNodeFields } from './BeamSections.tsx';
import { SchedulerTable } from './SchedulerTable.tsx';
import styles from './SystemView.module.css';

/** Observer's System tab: who the node is, how long it has run, and its totals now. */
export function SystemView() {
  const runtime = useRuntime((s) => s.connection.runtime);
  const node = useRuntime((s) => s.node);
  const applications = useRuntime(useShallow((s) => s.applications));
  const now = useNow(1000);
  // Over a sliding second, not the last tick: a tick that saw no work would read 0/s.
  const reductionsPerSecond = useRuntime((s) => s.history.rates.reductionsPerSecond(s.at));
  const messagesPerSecond = useRuntime((s) => s.history.rates.messagesPerSecond(s.at));
  if (runtime === null || node === null) return <EmptyState title="No runtime data yet">Attach to a runtime to see its system information.</EmptyState>;
  const beam = node.beam;
  return (
    <div className={styles.view} data-testid="system-view">
      <section className={styles.card}>
        <h2>Node</h2>
        <dl className={styles.fields}>
          <dt>{beam ? 'Served by' : 'Runtime'}</dt>
          <dd>
            {beam ? 'the Orchard bridge' : runtime.name} <span className={styles.dim}>v{runtime.version}</span>
          </dd>
          {beam ? null : (
            <>
              <dt>Application</dt>
              <dd>{runtime.application ?? '—'}</dd>
              <dt>Origin</dt>
              <dd>
                <code>{runtime.origin ?? '—'}</code>
              </dd>
            </>
          )}
          <dt>Started</dt>
          <dd>{new Date(node.startedAt).toLocaleString()}</dd>
          <dt>Uptime</dt>
          <dd data-testid="uptime">{formatDuration(Math.max(node.uptimeMs, now - node.startedAt))}</dd>
          <dt>Schedulers</dt>
          <dd>{node.schedulers}</dd>
          {beam ? <BeamNodeFields beam={beam} /> : null}
        </dl>
      </section>
      <section className={styles.card}>
        <h2>Load</h2>
        <div className={styles.stats}>
          <Stat label="Processes" value={formatInt(node.processes)} testId="stat-processes" sub={beam ? `of ${formatInt(beam.processLimit)} allowed` : undefined} />
          <Stat label="Reductions" value={formatRate(reductionsPerSecond)} testId="stat-reductions" sub={`${formatInt(node.reductions)} total`} />
          {beam ? (
            <Stat label="Messages" value="—" testId="stat-messages" sub="not counted: the BEAM keeps no count of messages sent" />
          ) : (
            <Stat label="Messages" value={formatRate(messagesPerSecond)} testId="stat-messages" sub="delivered, over the last second" />
          )}
          {beam ? (
            <Stat label="Process memory" value={formatBytes(node.memory.processes)} sub={`of ${formatBytes(beam.memoryByType.total ?? 0)} in all (erlang:memory/0)`} />
          ) : (
            <Stat label="Process memory (est.)" value={formatBytes(node.memory.processes)} sub={memorySub(node.memory)} />
          )}
        </div>
      </section>
      {beam ? <BeamMemory beam={beam} /> : null}
      <section className={`${styles.card} ${styles.wide}`}>
        <h2>Schedulers</h2>
        <SchedulerTable />
      </section>
      <section className={`${styles.card} ${styles.wide}`}>
        <h2>Applications running</h2>
        {applications.length === 0 ? (
          <p className={styles.dim}>{beam ? 'None.' : 'None. Start one from the Demos tab.'}</p>
        ) : (
          <ul className={styles.apps}>
            {applications.map((a) => (
              <li key={a.name}>
                <b>{a.name}</b>
                <span className={styles.dim}>master</span> <PidLink pid={a.master} />
                <span className={styles.dim}>root</span> {a.root ? <PidLink pid={a.root} showName /> : '—'}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function memorySub(m: { processes: number; heap?: number; total?: number }): string {
  if (m.heap === undefined) return 'records, mailboxes, links and monitors';
  return `JS heap ${formatBytes(m.heap)} used${m.total === undefined ? '' : ` of ${formatBytes(m.total)}`}`;
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className={styles.stat}>
      <span className={styles.label}>{label}</span>
      <span className={styles.value} data-testid={testId}>
        {value}
      </span>
      {sub ? <span className={styles.sub}>{sub}</span> : null}
    </div>
  );
}
