import { useUi, useUiActions } from '../context/ObserverContext.tsx';
import { REFRESH_CHOICES_MS } from '../store/uiStore.ts';
import styles from './LiveControls.module.css';

const label = (ms: number) => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

/** Pause/resume, the refresh interval asked of the runtime, and the self-observation filter. */
export function LiveControls() {
  const paused = useUi((s) => s.paused);
  const refreshMs = useUi((s) => s.refreshMs);
  const hide = useUi((s) => s.hideObserverProcesses);
  const { setPaused, setRefreshMs, setHideObserverProcesses } = useUiActions();
  return (
    <div className={styles.controls}>
      <label className={styles.check} title="Hide the inspector's own processes">
        <input type="checkbox" checked={hide} onChange={(e) => setHideObserverProcesses(e.target.checked)} />
        Hide Observer processes
      </label>
      <label className={styles.rate}>
        Refresh
        <select aria-label="Refresh interval" value={refreshMs} onChange={(e) => setRefreshMs(Number(e.target.value))}>
          {REFRESH_CHOICES_MS.map((ms) => (
            <option key={ms} value={ms}>
              {label(ms)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className={paused ? `${styles.pause} ${styles.paused}` : styles.pause}
        onClick={() => setPaused(!paused)}
        aria-pressed={paused}
        title="Pause or resume live updates (space)"
      >
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
    </div>
  );
}
