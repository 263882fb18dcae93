/**
 * The timeline under every view: what the Observer has recorded (the live ring, or an opened
 * file), its markers (kills, restarts, escalations, replaced schedulers), a thumb to drag back
 * through it, and the Live button. Keys: `[` `]` previous / next marker, `l` live; on the track
 * ← → one frame, Shift+← → five seconds, Home the oldest moment, End live, Enter step through
 * the restart or escalation at or before the thumb.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useObserver } from '../context/ObserverContext.tsx';
import { formatBytes, formatClock, formatDuration } from '../format/format.ts';
import { useNow } from '../hooks/useNow.ts';
import { REPLAY_REASON, type Replay } from '../replay/createReplay.ts';
import type { Marker } from '../store/recording.ts';
import { TimelineExport } from './TimelineExport.tsx';
import { TimelineSteps } from './TimelineSteps.tsx';
import styles from './Timeline.module.css';

/** At most this many marker elements on the track: close ones share one, the most severe. */
const MARKER_SLOTS = 400;
const SEVERITY: Record<Marker['kind'], number> = { kill: 0, restart: 1, scheduler: 2, escalation: 3 };

export function Timeline() {
  const { replay } = useObserver();
  const mode = useStore(replay.state, (s) => s.mode);
  const position = useStore(replay.state, (s) => s.position);
  const at = useStore(replay.state, (s) => s.at);
  const file = useStore(replay.state, (s) => s.file);
  const step = useStore(replay.state, (s) => s.step !== null);
  const error = useStore(replay.state, (s) => s.error);
  const busy = useStore(replay.state, (s) => s.busy);
  const now = useNow(mode === 'live' ? 500 : 2_000);
  const rec = replay.current();
  const [exporting, setExporting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const track = useRef<HTMLDivElement>(null);
  const slider = useRef<HTMLDivElement>(null);

  // While the pointer drags, the scale holds still (the live ring grows under it meanwhile).
  const [held, setHeld] = useState<{ start: number; end: number } | null>(null);
  const start = held?.start ?? rec.startT;
  const end = held?.end ?? (file !== null ? rec.endT : Math.max(rec.endT, mode === 'live' ? now : rec.endT));
  const span = Math.max(1, end - start);
  const x = (t: number): number => Math.max(0, Math.min(100, ((t - start) / span) * 100));
  const revision = rec.revision;
  // Markers placed on the track, binned so a storm of kills stays a few hundred elements.
  const placed = useMemo(() => {
    const bins = new Map<number, Marker>();
    for (const m of rec.markers) {
      const bin = Math.round(((m.t - start) / span) * MARKER_SLOTS);
      const had = bins.get(bin);
      if (had === undefined || SEVERITY[m.kind] > SEVERITY[had.kind]) bins.set(bin, m);
    }
    return [...bins.values()];
  }, [rec, revision, start, span]);

  // The track's box, read once per press: reading it on every move forces a layout of what the
  // last moment drew (a table of rows), ~5 ms a move.
  const box = useRef<DOMRect | null>(null);
  const timeAt = useCallback(
    (clientX: number): number => {
      const r = box.current ?? track.current!.getBoundingClientRect();
      return start + ((clientX - r.left) / Math.max(1, r.width)) * span;
    },
    [start, span],
  );

  const pending = useRef<number | null>(null);
  const latest = useRef(0);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    if ((e.target as HTMLElement).dataset.marker !== undefined || rec.empty) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    box.current = e.currentTarget.getBoundingClientRect();
    slider.current?.focus();
    setHeld({ start, end });
    replay.scrubTo(timeAt(e.clientX));
  };
  const onRelease = (): void => {
    if (pending.current !== null) {
      cancelAnimationFrame(pending.current);
      pending.current = null;
      replay.scrubTo(latest.current);
    }
    box.current = null;
    setHeld(null);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>): void => {
    if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
    const t = timeAt(e.clientX);
    // One scrub per frame however fast the pointer moves.
    if (pending.current === null) {
      pending.current = requestAnimationFrame(() => {
        pending.current = null;
        replay.scrubTo(latest.current);
      });
    }
    latest.current = t;
  };

  const onTrackKey = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const here = mode === 'live' ? rec.lastN : position;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const dir = e.key === 'ArrowLeft' ? -1 : 1;
      if (e.shiftKey) replay.scrubTo((mode === 'live' ? rec.endT : at) + dir * 5_000);
      else if (dir > 0 && here >= rec.lastN) {
        if (file === null) replay.goLive();
      }
      else replay.seek(here + dir);
    } else if (e.key === 'Enter') {
      // Step through the restart or escalation shown (the nearest at or before the thumb).
      const m = [...rec.markers].reverse().find((k) => k.n <= here && (k.kind === 'restart' || k.kind === 'escalation'));
      if (m !== undefined) replay.stepInto(m);
    } else if (e.key === 'Home') replay.seek(rec.firstN - 1);
    else if (e.key === 'End') {
      if (file === null) replay.goLive();
      else replay.seek(rec.lastN);
    }
    else return;
    e.preventDefault();
  };

  const thumb = mode === 'live' ? 100 : x(at);
  const behind = mode === 'replay' ? Math.max(0, rec.endT - at) : 0;
  return (
    <section className={styles.timeline} aria-label="Timeline" data-testid="timeline" data-mode={mode}>
      {mode === 'replay' ? (
        <div className={styles.note} role="status" data-testid="replay-note">
          <strong>{file !== null ? `Recording ${file.name}` : 'Looking back'}</strong>
          <span>
            at {formatClock(at)}
            {file === null ? ` (${formatDuration(behind)} ago)` : ''}: {REPLAY_REASON}.
          </span>
        </div>
      ) : null}
      {error !== null ? (
        <div className={`${styles.note} ${styles.error}`} role="alert" data-testid="replay-error">
          <span>{error}</span>
          <button type="button" onClick={() => replay.dismissError()}>
            Dismiss
          </button>
        </div>
      ) : null}
      {step ? <TimelineSteps /> : null}
      <div className={styles.bar}>
        <button
          type="button"
          className={mode === 'live' ? `${styles.live} ${styles.on}` : styles.live}
          aria-pressed={mode === 'live'}
          onClick={() => replay.goLive()}
          title={file !== null ? 'Close the recording and return to the present (l)' : 'Return to the present (l)'}
          data-testid="timeline-live"
        >
          {file !== null ? '✕ Close' : '● Live'}
        </button>
        <button type="button" onClick={() => replay.jump(-1)} title="Previous marker ([)" aria-label="Previous marker" disabled={rec.markers.length === 0}>
          «
        </button>
        <button type="button" onClick={() => replay.jump(1)} title="Next marker (])" aria-label="Next marker" disabled={mode === 'live'}>
          »
        </button>
        {/* The slider and the marker buttons are siblings (a control inside a slider is not reachable as one); the box around them takes the pointer. */}
        <div ref={track} className={styles.track} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onLostPointerCapture={onRelease}>
          <div
            ref={slider}
            className={styles.slider}
            role="slider"
            tabIndex={0}
            aria-label="Recorded time"
            aria-valuemin={start}
            aria-valuemax={end}
            aria-valuenow={mode === 'live' ? end : at}
            aria-valuetext={mode === 'live' ? 'live' : formatClock(at)}
            data-testid="timeline-track"
            onKeyDown={onTrackKey}
          >
            <div className={styles.rail} />
            <div className={styles.past} style={{ width: `${thumb}%` }} />
            <div className={styles.thumb} style={{ left: `${thumb}%` }} data-testid="timeline-thumb" />
          </div>
          {placed.map((m) => (
            <button
              key={m.n}
              type="button"
              tabIndex={-1}
              className={styles.marker}
              data-marker={m.kind}
              data-testid="timeline-marker"
              data-n={m.n}
              style={{ left: `${x(m.t)}%` }}
              title={`${formatClock(m.t)} ${m.label}${m.kind === 'restart' || m.kind === 'escalation' ? ' (click to step through it)' : ''}`}
              aria-label={m.label}
              onClick={() => (m.kind === 'restart' || m.kind === 'escalation' ? replay.stepInto(m) : replay.seek(m.n))}
            />
          ))}
        </div>
        <span className={styles.when} data-testid="timeline-when">
          {mode === 'live' ? `live · ${formatDuration(span)} kept` : `${formatClock(at)}`}
        </span>
        <span className={styles.dim} title="What the recording holds in memory (an estimate); the ring keeps the last 10 minutes" data-testid="timeline-memory">
          {formatBytes(rec.bytes)}
        </span>
        <button type="button" onClick={() => setExporting(true)} disabled={rec.empty} title="Save the recording, or part of it, to a file">
          Export…
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} disabled={busy !== null} title="Open a recording (or drop one on the page)">
          {busy ?? 'Open…'}
        </button>
        <FileInput ref={fileInput} replay={replay} />
      </div>
      {exporting ? <TimelineExport onClose={() => setExporting(false)} /> : null}
      <DropZone replay={replay} />
    </section>
  );
}

/** A recording dropped anywhere on the page opens. */
function DropZone({ replay }: { replay: Replay }) {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const hasFile = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') === true;
    const onOver = (e: DragEvent): void => {
      if (!hasFile(e)) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = (e: DragEvent): void => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent): void => {
      if (!hasFile(e)) return;
      e.preventDefault();
      setOver(false);
      const f = e.dataTransfer?.files[0];
      if (f !== undefined) void replay.open(f, f.name);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [replay]);
  return over ? <div className={styles.drop}>Drop a recording to open it</div> : null;
}

/**
 * The hidden file picker, apart so that it does not render with every moment a drag shows: React
 * writes an input's `type` and `name` on each render, and a write to `type` invalidates the page's
 * layout (a drag relaid out the whole document each frame).
 */
const FileInput = memo(function FileInput({ ref, replay }: { ref: React.Ref<HTMLInputElement>; replay: Replay }) {
  return (
    <input
      ref={ref}
      type="file"
      accept=".orchard,.gz,application/gzip"
      className={styles.file}
      data-testid="recording-file"
      aria-label="Open a recording"
      onChange={(e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f !== undefined) void replay.open(f, f.name);
      }}
    />
  );
});
