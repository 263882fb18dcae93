// benches: snapshot_cost delta_bytes snapshot_cost_1m snapshot_cost_1m_10k
// timeout: 240
/**
 * What watching costs the runtime's thread: processes on one scheduler, some of them (picked at
 * random) getting a message and running each tick, and an inspector subscribed. Per tick the
 * thread builds the delta from the scheduler's watch set and posts it on a MessagePort
 * (postMessage serializes there, so that is counted too).
 *
 * - `snapshot_cost`: 100,000 processes, 1,000 changing a tick; ms per tick for the default
 *   subscription (the top 2,000 processes by reductions). Extra fields: `all_rows_ms` with every
 *   process in the list (limit 200,000), `snapshot_ms` for the first message a subscription
 *   starts with, and `watch_overhead_ms`: how much longer the tick's 1,000 messages take to run
 *   while watched than while not (the scheduler's share of the cost).
 * - `delta_bytes`: JSON size of one tick's messages (delta plus events) for the default
 *   subscription; `all_rows_bytes` with every process in the list.
 * - `snapshot_cost_1m` / `snapshot_cost_1m_10k`: 1,000,000 processes, 1,000 / 10,000 changing a
 *   tick, the subscription the Observer makes (the top 200,000 by reductions in the last tick:
 *   the processes that ran come into the list and push idle ones out, so a tick sends each
 *   changed row and removes as many), after its first rows have all come. Extra fields: the
 *   default subscription's figure, and the ms of the subscription's first message and of its
 *   longest, which must not hold the thread for long either (a scheduler in a worker that stays
 *   silent for a second is replaced).
 */
import { type Pid, Scheduler, receiveLoop } from '../../runtime/core/index.ts';
import { createSchedulerSource } from '../../runtime/inspector/index.ts';
import type { SourceView, ViewOptions } from '../../runtime/inspector/index.ts';
import { LIMITS, PROTOCOL, PROTOCOL_VERSION } from '../../runtime/protocol/index.ts';
import { emit, gc, median, note, round, wanted } from './lib/report.ts';
import { picker } from './lib/picker.ts';

const want = wanted('inspector');
const TICKS = 100;
const WARMUP = 20;

const DEFAULT: Omit<ViewOptions, 'include'> = { limit: LIMITS.defaultProcessLimit, sortBy: 'reductions' };
const ALL: Omit<ViewOptions, 'include'> = { limit: LIMITS.maxProcessLimit, sortBy: 'reductions' };
/** What the Observer's session subscribes with (app/client/createSession.ts). */
const OBSERVER: Omit<ViewOptions, 'include'> = { limit: LIMITS.maxProcessLimit, sortBy: 'reductionsDelta' };

/** A manual host: slices run only when the bench says, so each phase is timed on its own. */
function startRuntime(processes: number): { s: Scheduler; pids: Pid[] } {
  const s = new Scheduler({ yieldToHost: () => {} });
  const pids: Pid[] = [];
  for (let i = 0; i < processes; i++) {
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

function poke(s: Scheduler, pids: Pid[], pick: (n: number) => number, changing: number): number {
  const t0 = performance.now();
  for (let i = 0; i < changing; i++) s.send(pids[pick(pids.length)]!, i);
  s.runUntilIdle();
  return performance.now() - t0;
}

interface Measured {
  ms: number[];
  bytes: number[];
  snapshotMs: number;
  /** The longest message of all, warm-up included (a snapshot's rows come over several). */
  longestMs: number;
  rows: number;
}

function measure(s: Scheduler, pids: Pid[], options: Omit<ViewOptions, 'include'>, changing: number, ticks = TICKS, warmup = WARMUP): Measured {
  const source = createSchedulerSource(s, { flightRecorder: false });
  const view: SourceView = source.openView({ ...options, include: [] });
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
  let longestMs = snapshotMs;
  for (let tick = 0; tick < warmup + ticks; tick++) {
    poke(s, pids, pick, changing);
    t0 = performance.now();
    const { events, dropped, ...delta } = view.delta() as Exclude<ReturnType<SourceView['delta']>, Promise<unknown>>;
    post('delta', { ...delta, seq: tick + 1 });
    if (events.length > 0 || dropped > 0) post('events', { events, dropped });
    const dt = performance.now() - t0;
    longestMs = Math.max(longestMs, dt);
    if (tick >= warmup) {
      ms.push(dt);
      if (bytes.length < 20) bytes.push(JSON.stringify({ delta, events }).length);
      rows += delta.processes.length;
    }
  }
  view.close();
  channel.port1.close();
  channel.port2.close();
  return { ms, bytes, snapshotMs, longestMs, rows: rows / ticks };
}

function hundredThousand(): void {
  const PROCESSES = 100_000;
  const CHANGING = PROCESSES / 100;
  gc();
  note(`starting ${PROCESSES} processes`);
  const { s, pids } = startRuntime(PROCESSES);

  // The scheduler's share: the same 1,000 messages unwatched, then watched.
  const pick = picker(777);
  const unwatched: number[] = [];
  for (let i = 0; i < WARMUP + TICKS; i++) {
    const dt = poke(s, pids, pick, CHANGING);
    if (i >= WARMUP) unwatched.push(dt);
  }
  const watchedSource = createSchedulerSource(s, { flightRecorder: false });
  const v = watchedSource.openView({ ...DEFAULT, include: [] });
  v.snapshot();
  const watched: number[] = [];
  for (let i = 0; i < WARMUP + TICKS; i++) {
    const dt = poke(s, pids, pick, CHANGING);
    v.delta();
    if (i >= WARMUP) watched.push(dt);
  }
  v.close();

  gc();
  note('default subscription (top 2,000 by reductions)');
  const top = measure(s, pids, DEFAULT, CHANGING);
  gc();
  note('every process in the list');
  const all = measure(s, pids, ALL, CHANGING);

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

function million(): void {
  const PROCESSES = 1_000_000;
  gc();
  note(`starting ${PROCESSES} processes`);
  const t0 = performance.now();
  const { s, pids } = startRuntime(PROCESSES);
  note(`started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const [name, changing] of [['snapshot_cost_1m', 1_000], ['snapshot_cost_1m_10k', 10_000]] as const) {
    if (!want(name)) continue;
    gc();
    note(`${name}: the Observer's subscription (top 200,000 by reductions in the last tick), ${changing} changing a tick`);
    // Warm-up: the snapshot's scan (100,000 processes a message) and its 200,000 rows (10,000 a
    // message) are done after 30 ticks; the ticks measured are the steady state.
    const observer = measure(s, pids, OBSERVER, changing, 30, 35);
    gc();
    note(`${name}: the default subscription (top 2,000 by reductions)`);
    const top = measure(s, pids, DEFAULT, changing, 30, 10);
    emit({
      bench: name,
      value: round(median(observer.ms)),
      unit: 'ms/tick',
      samples: observer.ms.map(round),
      target: changing === 1_000 ? '<= 2' : '<= 8',
      processes: PROCESSES,
      changing_per_tick: changing,
      subscription: 'top 200,000 by reductionsDelta',
      rows_per_tick: round(observer.rows),
      p95_ms: round([...observer.ms].sort((a, b) => a - b)[Math.floor(observer.ms.length * 0.95)]!),
      first_message_ms: round(observer.snapshotMs),
      longest_message_ms: round(observer.longestMs),
      default_subscription_ms: round(median(top.ms)),
      default_first_message_ms: round(top.snapshotMs),
      default_longest_message_ms: round(top.longestMs),
    });
  }
}

async function main(): Promise<void> {
  if (want('snapshot_cost') || want('delta_bytes')) hundredThousand();
  if (want('snapshot_cost_1m') || want('snapshot_cost_1m_10k')) million();
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
