import { useStore } from 'zustand';
import { useObserver } from '../../context/ObserverContext.tsx';
import { formatClock } from '../../format/format.ts';
import { CHAOS_INTERVALS_MS, chaos, setChaos } from './chaosMonkey.ts';
import styles from './DemosView.module.css';

const label = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/** The chaos switch: on/off, how often, which application; and the last kills. */
export function ChaosPanel({ running, canControl }: { running: string[]; canControl: boolean }) {
  const observer = useObserver();
  const { on, intervalMs, target, kills } = useStore(chaos);
  return (
    <section className={styles.chaos} aria-label="Chaos" data-testid="chaos">
      <h2 className={styles.heading}>Chaos</h2>
      <p className={styles.note}>
        Kills a random worker (never a supervisor) every so often, with reason <code>kill</code>. Watch the Applications tab: each
        victim's supervisor restarts it, and a tight interval uses up restart intensity until a supervisor gives up.
      </p>
      <div className={styles.controls}>
        <label className={styles.switch}>
          <input
            type="checkbox"
            role="switch"
            aria-checked={on}
            checked={on}
            disabled={!canControl}
            onChange={(e) => setChaos(observer, { on: e.target.checked })}
            data-testid="chaos-switch"
          />
          <span>{on ? 'on' : 'off'}</span>
        </label>
        <label>
          every{' '}
          <select value={intervalMs} onChange={(e) => setChaos(observer, { intervalMs: Number(e.target.value) })} aria-label="Interval">
            {CHAOS_INTERVALS_MS.map((ms) => (
              <option key={ms} value={ms}>
                {label(ms)}
              </option>
            ))}
          </select>
        </label>
        <label>
          in{' '}
          <select value={target ?? ''} onChange={(e) => setChaos(observer, { target: e.target.value === '' ? null : e.target.value })} aria-label="Application">
            <option value="">every running application</option>
            {running.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {kills.length > 0 ? (
        <ol className={styles.kills} aria-label="Recent chaos kills">
          {kills.map((k) => (
            <li key={`${k.at}${k.pid}`} data-ok={k.ok}>
              <time>{formatClock(k.at)}</time> <code>{k.pid}</code> {k.title} <span className={styles.dim}>({k.application})</span>
              {k.ok ? null : <span className={styles.error}> {k.message}</span>}
            </li>
          ))}
        </ol>
      ) : on ? (
        <p className={styles.note}>{running.length === 0 ? 'No application running: nothing to kill.' : 'Waiting for the first strike…'}</p>
      ) : null}
    </section>
  );
}
