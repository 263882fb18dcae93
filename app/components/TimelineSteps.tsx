import { useStore } from 'zustand';
import { useObserver } from '../context/ObserverContext.tsx';
import { formatClock } from '../format/format.ts';
import styles from './Timeline.module.css';

/**
 * Stepping through a restart or an escalation: its facts in the order they happened, one at a
 * time, the views showing the tree after the facts so far. The order, not the clock: the
 * runtime does all of it within one tick. Keys: `,` previous, `.` next, `p` play or pause.
 */
export function TimelineSteps() {
  const { replay } = useObserver();
  const step = useStore(replay.state, (s) => s.step);
  if (step === null) return null;
  const total = step.facts.length;
  return (
    <div className={styles.steps} data-testid="step-through" data-index={step.index} aria-label="Step through">
      <div className={styles.stepsHead}>
        <strong>{step.marker.kind === 'escalation' ? 'Escalation' : 'Restart'}</strong>
        <span className={styles.dim} data-testid="step-count">
          at {formatClock(step.marker.t)}, in the order it happened: step {step.index} of {total}
        </span>
        <span className={styles.spacer} />
        <button type="button" onClick={() => replay.stepTo(step.index - 1)} disabled={step.index === 0} title="Previous step (,)" aria-label="Previous step">
          ◀
        </button>
        {step.playing ? (
          <button type="button" onClick={() => replay.pause()} title="Pause (p)" data-testid="step-pause">
            ❚❚ Pause
          </button>
        ) : (
          <button type="button" onClick={() => replay.play()} title="Play, one fact a second (p)" data-testid="step-play">
            ▶ Play
          </button>
        )}
        <button type="button" onClick={() => replay.stepTo(step.index + 1)} disabled={step.index >= total} title="Next step (.)" aria-label="Next step" data-testid="step-next">
          ▶
        </button>
        <button type="button" onClick={() => replay.seek(step.marker.n)} title="Close the steps (stay at this moment)" aria-label="Close the steps">
          ✕
        </button>
      </div>
      <p className={`${styles.before} ${step.index === 0 ? styles.current : styles.done}`}>before: the tree as it was</p>
      <ol className={styles.facts}>
        {step.texts.map((text, i) => (
          <li key={i} className={i + 1 === step.index ? styles.current : i + 1 < step.index ? styles.done : styles.todo} data-testid="step-fact">
            {text}
          </li>
        ))}
      </ol>
    </div>
  );
}
