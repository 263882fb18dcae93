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
  const beam = useRuntime((s) => s.node?.beam ?? null);
  const down = beam?.down ?? null;
  // A recording has no attach target: its connection names it ("recording stress.orchard").
  const where = target === null && connection.target !== '' ? connection.target : describeTarget(target);
  return (
    <div className={styles.badge} data-testid="runtime-badge">
      <span className={styles.status} data-status={down !== null ? 'gone' : connection.status} title={down?.reason ?? connection.message ?? connection.status}>
        <span className={styles.dot} aria-hidden="true" />
        {down !== null ? 'Node down' : STATUS_TEXT[connection.status]}
      </span>
      <span className={styles.what}>
        <span className={styles.name} data-testid="runtime-name">
          {target?.kind === 'beam' && runtime ? runtime.name : runtime ? (runtime.application ?? runtime.name) : where}
        </span>
        {target?.kind === 'beam' && runtime ? (
          <span className={styles.meta} data-testid="beam-release">
            Erlang/OTP {beam?.otpRelease ?? runtime.application?.replace(/^Erlang\/OTP /, '') ?? '?'}
            {beam ? ` · erts ${beam.ertsVersion} · read ${beam.pollRate}/s` : ''}
          </span>
        ) : runtime ? (
          <span className={styles.meta}>
            {where} · {runtime.origin ?? ''} · v{runtime.version}
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
