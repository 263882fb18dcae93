import { useRuntime, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import { CHARTS } from './chartSeries.ts';
import { TimeSeriesChart } from './TimeSeriesChart.tsx';
import styles from './LoadView.module.css';

const WINDOWS = [30, 60, 120, 300, 600];
const SAMPLES = [100, 250, 500, 1000, 2000, 5000];

/** Observer's Load Charts: utilization, run queues, throughput, processes and memory over time. */
export function LoadView() {
  const chart = useUi((s) => s.chart);
  const { setChart } = useUiActions();
  const beamNode = useRuntime((s) => s.node?.beam?.node ?? null);
  const pollRate = useRuntime((s) => s.node?.beam?.pollRate ?? null);
  return (
    <div className={styles.view}>
      <div className={styles.toolbar}>
        <label>
          Window
          <select aria-label="Time window" value={chart.windowSec} onChange={(e) => setChart({ windowSec: Number(e.target.value) })}>
            {WINDOWS.map((s) => (
              <option key={s} value={s}>
                {s < 60 ? `${s} s` : `${s / 60} min`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sample every
          <select aria-label="Sample rate" value={chart.sampleMs} onChange={(e) => setChart({ sampleMs: Number(e.target.value) })}>
            {SAMPLES.map((ms) => (
              <option key={ms} value={ms}>
                {ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={chart.frozen} onClick={() => setChart({ frozen: !chart.frozen })} title="Stop redrawing; samples keep being recorded">
          {chart.frozen ? '▶ Resume charts' : '❚❚ Pause charts'}
        </button>
        <span className={styles.note}>History keeps 6,000 samples per series; samples are taken as updates arrive.</span>
      </div>
      {beamNode !== null ? (
        <p className={styles.beam} data-testid="load-beam-note">
          Erlang node <b>{beamNode}</b>, read by the bridge {pollRate}/s: a sample per read. Scheduler utilization is
          measured over 100 ms of each read (erlang:statistics(scheduler_wall_time)); run queues are erlang:statistics(run_queue_lengths).
          The BEAM keeps no count of messages sent, so Messages/s stays at 0; reductions are erlang:statistics(reductions).
        </p>
      ) : null}
      <div className={styles.grid}>
        {/* A BEAM node has no JS heap (its memory by type is on the System tab). */}
        {CHARTS.filter((def) => beamNode === null || def.id !== 'heap').map((def) => (
          <TimeSeriesChart key={def.id} def={def} windowSec={chart.windowSec} frozen={chart.frozen} />
        ))}
      </div>
    </div>
  );
}
