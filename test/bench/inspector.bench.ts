// benches: snapshot_cost delta_bytes
/**
 * What watching costs the runtime's thread: 100,000 processes on one scheduler, 1% of them
 * (1,000, picked at random) getting a message and running each tick, and an inspector
 * subscribed. Per tick the main thread builds the delta from the scheduler's watch set and
 * posts it on a MessagePort (postMessage serializes there, so that is counted too).
 *
 * - `snapshot_cost`: ms per tick for the default subscription (the top 2,000 processes by
 *   reductions, as the Observer asks). Extra fields: `all_rows_ms` with every process in the
 *   list (limit 200,000), `snapshot_ms` for the one full snapshot a subscription starts with,
 *   and `watch_overhead_ms`: how much longer the tick's 1,000 messages take to run while
 *   watched than while not (the scheduler's share of the cost).
 * - `delta_bytes`: JSON size of one tick's messages (delta plus events) for the default
 *   subscription; `all_rows_bytes` with every process in the list.
 */
import { type Pid, Scheduler, receiveLoop } from '../../runtime/core/index.ts';
import { createSchedulerSource } from '../../runtime/inspector/index.ts';
import type { SourceView } from '../../runtime/inspector/index.ts';
import { LIMITS, PROTOCOL, PROTOCOL_VERSION } from '../../runtime/protocol/index.ts';
import { emit, gc, median, note, round, wanted } from './lib/report.ts';

const want = wanted('inspector');
const PROCESSES = 100_000;
const CHANGING = PROCESSES / 100;
const TICKS = 100;
const WARMUP = 20;

/** A manual host: slices run only when the bench says, so each phase is timed on its own. */
function startRuntime(): { s: Scheduler; pids: Pid[] } {
  const s = new Scheduler({ yieldToHost: () => {} });
  const pids: Pid[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    pids.push(
      s.spawn(function worker() {
        let n = 0;
        receiveLoop(() => {
          n++;
        });
        void n;
      }),
    );
  }
  s.runUntilIdle();
  return { s, pids };
}

/** Deterministic pseudo-random picks (xorshift), so every run changes the same processes. */
function picker(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function poke(s: Scheduler, pids: Pid[], pick: (n: number) => number): number {
  const t0 = performance.now();
  for (let i = 0; i < CHANGING; i++) s.send(pids[pick(pids.length)]!, i);
  s.runUntilIdle();
  return performance.now() - t0;
}

interface Measured {
  ms: number[];
  bytes: number[];
  snapshotMs: number;
  rows: number;
}

function measure(s: Scheduler, pids: Pid[], limit: number): Measured {
  const source = createSchedulerSource(s, { flightRecorder: false });
  const view: SourceView = source.openView({ limit, sortBy: 'reductions', include: [] });
  const channel = new MessageChannel();
  // postMessage serializes synchronously, on this thread: part of the cost.
  const post = (type: string, payload: object): void => {
    channel.port1.postMessage({ protocol: PROTOCOL, version: PROTOCOL_VERSION, type, ...payload });
  };
  let t0 = performance.now();
  const snap = view.snapshot() as ReturnType<SourceView['snapshot']> & { processes: unknown[] };
  post('snapshot', snap);
  const snapshotMs = performance.now() - t0;
  const pick = picker(12345);
  const ms: number[] = [];
  const bytes: number[] = [];
  let rows = 0;
  for (let tick = 0; tick < WARMUP + TICKS; tick++) {
    poke(s, pids, pick);
    t0 = performance.now();
    const { events, dropped, ...delta } = view.delta() as Exclude<ReturnType<SourceView['delta']>, Promise<unknown>>;
    post('delta', { ...delta, seq: tick + 1 });
    if (events.length > 0 || dropped > 0) post('events', { events, dropped });
    const dt = performance.now() - t0;
    if (tick >= WARMUP) {
      ms.push(dt);
      bytes.push(JSON.stringify({ delta, events }).length);
      rows += delta.processes.length;
    }
  }
  view.close();
  channel.port1.close();
  channel.port2.close();
  return { ms, bytes, snapshotMs, rows: rows / TICKS };
}

async function main(): Promise<void> {
  if (!want('snapshot_cost') && !want('delta_bytes')) return;
  gc();
  note(`starting ${PROCESSES} processes`);
  const { s, pids } = startRuntime();

  // The scheduler's share: the same 1,000 messages unwatched, then watched.
  const pick = picker(777);
  const unwatched: number[] = [];
  for (let i = 0; i < WARMUP + TICKS; i++) {
    const dt = poke(s, pids, pick);
    if (i >= WARMUP) unwatched.push(dt);
  }
  const watchedSource = createSchedulerSource(s, { flightRecorder: false });
  const v = watchedSource.openView({ limit: LIMITS.defaultProcessLimit, sortBy: 'reductions', include: [] });
  v.snapshot();
  const watched: number[] = [];
  for (let i = 0; i < WARMUP + TICKS; i++) {
    const dt = poke(s, pids, pick);
    v.delta();
    if (i >= WARMUP) watched.push(dt);
  }
  v.close();

  gc();
  note('default subscription (top 2,000 by reductions)');
  const top = measure(s, pids, LIMITS.defaultProcessLimit);
  gc();
  note('every process in the list');
  const all = measure(s, pids, LIMITS.maxProcessLimit);

  emit({
    bench: 'snapshot_cost',
    value: round(median(top.ms)),
    unit: 'ms/tick',
    samples: top.ms.map(round),
    target: '<= 2',
    processes: PROCESSES,
    changing_per_tick: CHANGING,
    rows_per_tick: round(top.rows),
    all_rows_ms: round(median(all.ms)),
    all_rows_per_tick: round(all.rows),
    snapshot_ms: round(top.snapshotMs),
    all_rows_snapshot_ms: round(all.snapshotMs),
    watch_overhead_ms: round(median(watched) - median(unwatched)),
    unwatched_tick_run_ms: round(median(unwatched)),
  });
  emit({
    bench: 'delta_bytes',
    value: Math.round(median(top.bytes)),
    unit: 'bytes/tick',
    samples: top.bytes,
    all_rows_bytes: Math.round(median(all.bytes)),
  });
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

