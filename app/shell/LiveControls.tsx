import { useUi, useUiActions } from '../context/ObserverContext.tsx';
import { REFRESH_CHOICES_MS } from '../store/uiStore.ts';
import styles from './LiveControls.module.css';

const label = (ms: number) => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

/**
 * Pause/resume and the refresh interval asked of the runtime. (No "hide the Observer's own
 * processes": an Orchard runtime's inspector runs outside its processes, so there are none.)
 */
export function LiveControls() {
  const paused = useUi((s) => s.paused);
  const refreshMs = useUi((s) => s.refreshMs);
  const { setPaused, setRefreshMs } = useUiActions();
  return (
    <div className={styles.controls}>
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
