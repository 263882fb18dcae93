import { useStore } from 'zustand';
import { useObserver, useRuntime, useUi, useUiActions } from '../context/ObserverContext.tsx';
import styles from './ConnectionBanner.module.css';

/** Says plainly why nothing moves: the runtime refused, went away, or updates are paused. */
export function ConnectionBanner() {
  const observer = useObserver();
  const target = useStore(observer.attach, (s) => s.target);
  const { status, message, runtime } = useRuntime((s) => s.connection);
  const paused = useUi((s) => s.paused);
  const down = useRuntime((s) => s.node?.beam?.down ?? null);
  const nodeName = useRuntime((s) => s.node?.beam?.node ?? '');
  const { setPaused, setTab } = useUiActions();

  if (status === 'refused' || status === 'gone') {
    return (
      <div className={`${styles.banner} ${styles.error}`} role="alert" data-testid="connection-banner">
        <strong>{status === 'refused' ? 'The runtime refused the connection.' : runtime === null ? 'No runtime answered.' : 'The runtime is gone.'}</strong>
        <span className={styles.message}>{message ?? ''}</span>
        <span className={styles.spacer} />
        {target !== null ? (
          <button type="button" onClick={() => observer.connect(target)}>
            Try again
          </button>
        ) : null}
        {target?.kind !== 'self' ? (
          <button type="button" onClick={() => observer.connect({ kind: 'self' })}>
            Inspect this page
          </button>
        ) : null}
        <button type="button" onClick={() => setTab('attach')}>
          Attach…
        </button>
      </div>
    );
  }
  if (status === 'connected' && down !== null) {
    return (
      <div className={`${styles.banner} ${styles.error}`} role="alert" data-testid="node-down-banner">
        <strong>Node down: {nodeName}.</strong>
        <span className={styles.message}>
          {down.reason} · since {new Date(down.since).toLocaleTimeString()} · the bridge reconnects when it is back
        </span>
      </div>
    );
  }
  if (status === 'connecting') {
    return (
      <div className={styles.banner} role="status" data-testid="connection-banner">
        Connecting to the runtime…
      </div>
    );
  }
  if (paused) {
    return (
      <div className={`${styles.banner} ${styles.paused}`} role="status" data-testid="paused-banner">
        <strong>Live updates paused.</strong> What you see is frozen; press <kbd>space</kbd> or
        <button type="button" onClick={() => setPaused(false)}>
          Resume
        </button>
      </div>
    );
  }
  return null;
}
