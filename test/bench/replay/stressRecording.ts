/**
 * The stress recording the replay benches scrub (replay.bench.ts in Node, replay_browser.bench.ts
 * in Chromium): a real supervision tree of 10,101 processes (a root, 100 supervisors of 100
 * GenServer workers each) on one scheduler with a manual clock, 1,000 workers (picked at random)
 * getting a message each tick, a worker killed every 500 ms (its supervisor restarts it),
 * watched through the inspector source at 10 ticks a second with every process listed, for 60 s
 * of runtime time (600 ticks). Each tick's delta (protocol v2, lifecycle facts in it) goes to the
 * Observer's store, and the recorder keeps it.
 */
import * as GenServer from '../../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../../runtime/behaviours/supervisor.ts';
import type { Pid } from '../../../runtime/core/index.ts';
import { createSchedulerSource } from '../../../runtime/inspector/index.ts';
import type { SourceView } from '../../../runtime/inspector/index.ts';
import { LIMITS, PROTOCOL } from '../../../runtime/protocol/index.ts';
import type { AnyRuntimeMessage } from '../../../app/protocol.ts';
import { Recording } from '../../../app/store/recording.ts';
import { createRuntimeStore, type RuntimeStore } from '../../../app/store/runtimeStore.ts';
import { setup } from '../../utils.ts';
import { note } from '../lib/report.ts';
import { picker } from '../lib/picker.ts';

export const BRANCHES = 100;
export const LEAVES = 100;
export const CHANGING = 1_000;
export const TICK_MS = 100;
export const SECONDS = 60;
const KILL_EVERY = 5; // ticks: 500 ms
/** A drag across the recording: this many steps one way (one a frame), as many back. */
export const DRAG_STEPS = 120;

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

const env = (type: string, payload: object): AnyRuntimeMessage => ({ protocol: PROTOCOL, version: 2, type, ...payload }) as AnyRuntimeMessage;

export interface StressRecording {
  rec: Recording;
  /** The Observer's store the deltas went to (the recording's live side). */
  live: RuntimeStore;
  /** ms Recording.record took per tick, and the store's own apply of each delta. */
  recordMs: number[];
  ingestMs: number[];
  processes: number;
  kills: number;
}

/** Runs the stress tree for 60 s of runtime time and records what the Observer received. */
export function recordStress(): StressRecording {
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
  return { rec, live, recordMs, ingestMs, processes: h.s.procs.size, kills };
}
