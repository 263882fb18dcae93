import { useStore } from 'zustand';
import { describeTarget } from '../client/attachStore.ts';
import { useObserver, useRuntime } from '../context/ObserverContext.tsx';
import styles from './RuntimeBadge.module.css';

/** Which runtime is inspected, what it granted, and whether we hear from it. */
export function RuntimeBadge() {
  const { attach } = useObserver();
  const target = useStore(attach, (s) => s.target);
  const connection = useRuntime((s) => s.connection);
  const runtime = connection.runtime;
  const control = connection.granted.includes('control');
  return (
    <div className={styles.badge} data-testid="runtime-badge">
      <span className={styles.status} data-status={connection.status} title={connection.message ?? connection.status}>
        <span className={styles.dot} aria-hidden="true" />
        {STATUS_TEXT[connection.status]}
      </span>
      <span className={styles.what}>
        <span className={styles.name}>{runtime ? (runtime.application ?? runtime.name) : describeTarget(target)}</span>
        {runtime ? (
          <span className={styles.meta}>
            {describeTarget(target)} · {runtime.origin ?? ''} · v{runtime.version}
          </span>
        ) : null}
      </span>
      {connection.status === 'connected' ? (
        <span className={control ? styles.control : styles.observe} data-testid="granted" title={control ? 'This runtime lets you kill, exit and send' : 'This runtime lets you watch only'}>
          {control ? 'control' : 'observe only'}
        </span>
      ) : null}
    </div>
  );
}

const STATUS_TEXT = {
  idle: 'Not attached',
  connecting: 'Connecting…',
  connected: 'Connected',
  refused: 'Refused',
  gone: 'Gone',
} as const;
