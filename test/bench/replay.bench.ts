// benches: recording_bytes_per_minute scrub_frame_p95 record_cost
// timeout: 400
/**
 * The Observer's recorder on a stress run (replay/stressRecording.ts): a real supervision tree of
 * 10,101 processes on one scheduler with a manual clock, 1,000 workers getting a message each
 * tick, a worker killed every 500 ms, watched at 10 ticks a second with every process listed,
 * for 60 s of runtime time (600 ticks). Each tick's delta goes to the Observer's store, and the
 * recorder keeps it.
 *
 * - record_cost: ms the recorder takes per tick (Recording.record after the store applied the
 *   delta, keyframes included). Extra fields: p95, and ingest_ms, the store's own apply.
 * - recording_bytes_per_minute: the exported 60 s recording, gzip-compressed, per minute.
 * - scrub_frame_p95: the file opened as a person opens it, then dragged across: the thumb
 *   moving one step a frame from the end to the start and back (240 steps), each step the
 *   replay store's rebuild of that moment (undo the frames back to it, or restore a keyframe and
 *   re-apply the frames after it; the Load view's chart history follows once the thumb rests).
 *   The views' own drawing is the observer bench's (tree_frame_p95, table_frame_p95), and the
 *   whole of it in Chromium, views drawn, replay_browser's (scrub_frame_p95_browser). Three
 *   drags; the median of their p95s. `store_copy_ms`, measured in the same run, is one copy of
 *   the store's 10,101-entry process Map; `p95_in_store_copies` the p95 in those units, a
 *   figure a busy machine does not move as much.
 */
import { createReplay } from '../../app/replay/createReplay.ts';
import { exportRecording } from '../../app/store/recordingFile.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { emit, gc, median, round, wanted } from './lib/report.ts';
import { CHANGING, DRAG_STEPS, recordStress } from './replay/stressRecording.ts';

const want = wanted('replay');
const DRAGS = 3;

const p95 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
};

async function main(): Promise<void> {
  if (!want('recording_bytes_per_minute') && !want('scrub_frame_p95') && !want('record_cost')) return;
  const { rec, live, recordMs, ingestMs, processes } = recordStress();

  emit({
    bench: 'record_cost',
    value: round(median(recordMs)),
    unit: 'ms/tick',
    samples: recordMs.filter((_, i) => i % 20 === 0).map(round),
    target: '<= 0.5',
    p95: round(p95(recordMs)),
    ingest_ms: round(median(ingestMs)),
    processes,
    changing_per_tick: CHANGING,
  });

  gc();
  const blob = await exportRecording(rec, { target: 'replay bench', protocol: 2 });
  const minutes = (rec.endT - rec.startT) / 60_000;
  emit({
    bench: 'recording_bytes_per_minute',
    value: Math.round(blob.size / minutes),
    unit: 'bytes/min',
    target: '<= 5000000',
    seconds: round(minutes * 60),
    frames: rec.frameCount,
    held_bytes_estimate: rec.bytes,
  });

  // Opened as on another machine: the live ring is gone by then.
  rec.clear();
  live.getState().reset();
  gc();
  const replay = createReplay(createRuntimeStore());
  if (!(await replay.open(blob, 'bench.orchard'))) throw new Error(replay.state.getState().error ?? 'did not open');
  const opened = replay.current();
  // The yardstick, in the same run: one copy of the store's process Map, what any rebuild of a
  // moment costs at least (on a busy machine every figure here grows alike).
  const copies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    void new Map(replay.runtime.getState().processes);
    copies.push(performance.now() - t0);
  }
  const copyMs = median(copies);
  const p95s: number[] = [];
  const all: number[] = [];
  for (let d = 0; d < DRAGS; d++) {
    const ms: number[] = [];
    const span = opened.endT - opened.startT;
    for (let i = 0; i <= 2 * DRAG_STEPS; i++) {
      const x = i <= DRAG_STEPS ? 1 - i / DRAG_STEPS : (i - DRAG_STEPS) / DRAG_STEPS;
      const t0 = performance.now();
      replay.scrubTo(opened.startT + x * span);
      ms.push(performance.now() - t0);
    }
    p95s.push(p95(ms));
    all.push(...ms);
  }
  emit({
    bench: 'scrub_frame_p95',
    value: round(median(p95s)),
    unit: 'ms',
    samples: p95s.map(round),
    target: '<= 33',
    median_ms: round(median(all)),
    steps_per_drag: 2 * DRAG_STEPS + 1,
    store_copy_ms: round(copyMs),
    p95_in_store_copies: round(median(p95s) / copyMs),
  });
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
