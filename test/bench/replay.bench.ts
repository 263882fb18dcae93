// benches: recording_bytes_per_minute scrub_frame_p95 record_cost
// timeout: 400
/**
 * The Observer's recorder on a stress run: a real supervision tree of 10,101 processes (a root,
 * 100 supervisors of 100 GenServer workers each) on one scheduler with a manual clock, 1,000
 * workers (picked at random) getting a message each tick, a worker killed every 500 ms (its
 * supervisor restarts it), watched through the inspector source at 10 ticks a second with
 * every process listed, for 60 s of runtime time (600 ticks). Each tick's delta (protocol v2,
 * lifecycle facts in it) goes to the Observer's store, and the recorder keeps it.
 *
 * - record_cost: ms the recorder takes per tick (Recording.record after the store applied the
 *   delta, keyframes included). Extra fields: p95, and ingest_ms, the store's own apply.
 * - recording_bytes_per_minute: the exported 60 s recording, gzip-compressed, per minute.
 * - scrub_frame_p95: the file opened as a person opens it, then dragged across: the thumb
 *   moving one step a frame from the end to the start and back (240 steps), each step the
 *   replay store's rebuild of that moment (undo the frames back to it, or restore a keyframe and
 *   re-apply the frames after it; the Load view's chart history follows once the thumb rests).
 *   The views' own drawing is the observer bench's (tree_frame_p95, table_frame_p95). Three
 *   drags; the median of their p95s. `store_copy_ms`, measured in the same run, is one copy of
 *   the store's 10,101-entry process Map; `p95_in_store_copies` the p95 in those units, a
 *   figure a busy machine does not move as much.
 */
import * as GenServer from '../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../runtime/behaviours/supervisor.ts';
import type { Pid } from '../../runtime/core/index.ts';
import { createSchedulerSource } from '../../runtime/inspector/index.ts';
import type { SourceView } from '../../runtime/inspector/index.ts';
import { LIMITS, PROTOCOL } from '../../runtime/protocol/index.ts';
import type { AnyRuntimeMessage } from '../../app/protocol.ts';
import { createReplay } from '../../app/replay/createReplay.ts';
import { Recording } from '../../app/store/recording.ts';
import { exportRecording } from '../../app/store/recordingFile.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { setup } from '../utils.ts';
import { emit, gc, median, note, round, wanted } from './lib/report.ts';

const want = wanted('replay');
const BRANCHES = 100;
const LEAVES = 100;
const CHANGING = 1_000;
const TICK_MS = 100;
const SECONDS = 60;
const KILL_EVERY = 5; // ticks: 500 ms
const DRAG_STEPS = 120;
const DRAGS = 3;

GenServer.define('ReplayBench.Worker', {
  init: (n: number) => ['ok', n],
  handleInfo: (_m: unknown, n: number) => ['noreply', n + 1],
  handleCall: (_req: unknown, _from, n: number) => ['reply', n, n],
});
Supervisor.define('ReplayBench.Branch', {
  init: (b: number) => ['ok', [{ strategy: 'one_for_one', intensity: 10, period: 5 }, Array.from({ length: LEAVES }, (_, i) => ({ id: `w${b}_${i}`, start: ['ReplayBench.Worker', [i]] as [string, unknown[]] }))]],
});
Supervisor.define('ReplayBench.Root', {
  init: () => ['ok', [{ strategy: 'one_for_one', intensity: 10, period: 5 }, Array.from({ length: BRANCHES }, (_, b) => ({ id: `branch_${b}`, type: 'supervisor' as const, start: ['ReplayBench.Branch', [b]] as [string, unknown[]] }))]],
});

/** Deterministic pseudo-random picks (xorshift), so every run does the same. */
function picker(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const p95 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
};

const env = (type: string, payload: object): AnyRuntimeMessage => ({ protocol: PROTOCOL, version: 2, type, ...payload }) as AnyRuntimeMessage;

async function main(): Promise<void> {
  if (!want('recording_bytes_per_minute') && !want('scrub_frame_p95') && !want('record_cost')) return;
  const h = setup();
  h.s.spawn(function* starter() {
    yield* Supervisor.startLink('ReplayBench.Root', undefined, { name: 'ReplayBench.Root' });
    yield { match: () => false, after: -1, persistent: false, resume: () => {} };
  });
  h.run();
  note(`${h.s.procs.size} processes`);

  const source = createSchedulerSource(h.s);
  const view: SourceView = source.openView({ limit: LIMITS.maxProcessLimit, sortBy: 'reductionsDelta', include: [] });
  const live = createRuntimeStore();
  const rec = new Recording();
  let t = 1_000_000;
  let seq = 0;
  live.getState().ingest(env('snapshot', { ...(view.snapshot() as object), seq: ++seq }));
  rec.start(live.getState(), t);

  const workers = (): Pid[] => [...live.getState().processes.values()].filter((r) => r.childId !== null && r.childId.startsWith('w')).map((r) => r.pid);
  const pick = picker(4242);
  const recordMs: number[] = [];
  const ingestMs: number[] = [];
  let kills = 0;
  let pool = workers();
  for (let tick = 0; tick < (SECONDS * 1000) / TICK_MS; tick++) {
    for (let i = 0; i < CHANGING; i++) h.s.send(pool[pick(pool.length)]!, i);
    if (tick % KILL_EVERY === KILL_EVERY - 1) {
      h.exit(pool[pick(pool.length)]!, 'kill');
      kills++;
    }
    h.advance(TICK_MS);
    t += TICK_MS;
    const { events, dropped, ...delta } = view.delta() as Exclude<ReturnType<SourceView['delta']>, Promise<unknown>>;
    const m = env('delta', { ...delta, seq: ++seq, events, ...(dropped > 0 ? { dropped } : {}) });
    let t0 = performance.now();
    live.getState().ingest(m);
    ingestMs.push(performance.now() - t0);
    t0 = performance.now();
    rec.record(m, live.getState(), t);
    recordMs.push(performance.now() - t0);
    if (events.length > 0) pool = workers();
  }
  view.close();
  note(`${rec.frameCount} frames, ${kills} kills, ${rec.markers.length} markers, about ${Math.round(rec.bytes / 1e6)} MB held`);

  emit({
    bench: 'record_cost',
    value: round(median(recordMs)),
    unit: 'ms/tick',
    samples: recordMs.filter((_, i) => i % 20 === 0).map(round),
    target: '<= 0.5',
    p95: round(p95(recordMs)),
    ingest_ms: round(median(ingestMs)),
    processes: h.s.procs.size,
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
