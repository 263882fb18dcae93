import { formatClock } from '../../format/format.ts';
import type { InspectorEvent } from '../../protocol.ts';
import { EventSummary } from '../Events/EventSummary.tsx';
import styles from './DetailEvents.module.css';

/** The process's recent events, newest first. */
export function DetailEvents({ events }: { events: readonly InspectorEvent[] }) {
  if (events.length === 0) return <p className={styles.empty}>None recorded.</p>;
  return (
    <ol className={styles.list}>
      {events
        .slice(-50)
        .reverse()
        .map((e, i) => (
          <li key={`${e.at}-${i}`} className={styles.event}>
            <time>{formatClock(e.at)}</time>
            <EventSummary event={e} />
          </li>
        ))}
    </ol>
  );
}
