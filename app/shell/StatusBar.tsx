import { useStore } from 'zustand';
import { useObserver, useRuntime, useUi } from '../context/ObserverContext.tsx';
import { formatAge, formatInt } from '../format/format.ts';
import { useNow } from '../hooks/useNow.ts';
import styles from './StatusBar.module.css';

/** Process count as Observer's status bar shows it, and how fresh the data is. */
export function StatusBar() {
  const total = useRuntime((s) => s.processTotal);
  const listed = useRuntime((s) => s.processes.size);
  const at = useRuntime((s) => s.at);
  // Updates received, not the subscription's seq, which starts again at each resume.
  const ticks = useRuntime((s) => s.revision);
  const paused = useUi((s) => s.paused);
  const now = useNow(1000);
  // Looking back, the age of the data and the live update count say nothing: which frame is shown.
  const { replay } = useObserver();
  const frame = useStore(replay.state, (s) => (s.mode === 'replay' ? s.position : null));
  const frames = replay.current();
  return (
    <footer className={styles.bar}>
      <span data-testid="process-count">
        Processes: <b>{formatInt(total)}</b>
        {listed < total ? <span className={styles.dim}> (top {formatInt(listed)} listed)</span> : null}
      </span>
      <span className={styles.dim} data-testid="tick">
        {frame !== null
          ? `recorded frame ${formatInt(frame - frames.firstN + 2)} of ${formatInt(frames.lastN - frames.firstN + 2)}`
          : at === 0 ? 'no data yet' : `updated ${formatAge(Math.max(0, now - at))} ago · #${ticks}`}
        {paused && frame === null ? ' · paused' : ''}
      </span>
      <span className={styles.spacer} />
      <span className={styles.dim}>
        <kbd>1</kbd>–<kbd>9</kbd> tabs · <kbd>/</kbd> search · <kbd>space</kbd> pause · <kbd>k</kbd> kill · <kbd>?</kbd> all shortcuts
      </span>
    </footer>
  );
}
