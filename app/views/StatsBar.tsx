import type { SchedulerStats } from '../../runtime/core/index.ts';
import styles from './StatsBar.module.css';

export function StatsBar({ stats }: { stats: SchedulerStats }) {
  const items: Array<[string, string]> = [
    ['scheduler', String(stats.id)],
    ['processes', String(stats.processes)],
    ['run queue', String(stats.runQueue)],
    ['reductions', stats.reductions.toLocaleString('en-US')],
    ['messages', stats.received.toLocaleString('en-US')],
    ['spawned', String(stats.spawned)],
    ['exited', String(stats.exited)],
    ['timers', String(stats.timers)],
    ['utilization', `${(stats.utilization * 100).toFixed(1)}%`],
  ];
  return (
    <dl className={styles.bar} aria-label="Scheduler">
      {items.map(([k, v]) => (
        <div key={k} className={styles.item}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
