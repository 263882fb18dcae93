// benches: ring_1k_x_1k ring_1k_x_1k_loop pingpong_rtt pingpong_rtt_dev pingpong_rtt_loop spawn_idle_100k spawn_idle_100k_calls spawn_exit idle_process_bytes idle_process_bytes_generator idle_process_bytes_loop million_processes_mib
/**
 * The runtime core on one scheduler, doing the same work as ../shared/anchors/beam_anchor.erl
 * (which measures BEAM with `+S 1`), so the two can be set side by side. Each bench runs on a
 * fresh `new Scheduler()` with the real clock and the default host yield, driven by real
 * slices; its main process measures, as the Erlang one does, and resolves a promise when done.
 *
 * `*_loop` variants run the same work in the behaviour-loop form (`receiveLoop`), the hot path
 * of GenServer and friends; the others use generator processes (`yield receive()`), the form
 * that mirrors the Erlang code line by line.
 */
import { type Pid, Scheduler, exit, receive, receiveLoop, self, send, spawn } from '../../runtime/core/index.ts';
import { type Gen, now, onScheduler } from './lib/onScheduler.ts';
import { emit, gc, heapUsed, median, note, round, wanted } from './lib/report.ts';

const want = wanted('core');

/** Repeats a measurement after `warmup` discarded runs (the JIT's turn); a fresh scheduler each time. */
async function repeat<T>(runs: number, warmup: number, measure: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    gc();
    const r = await measure();
    if (i >= warmup) out.push(r);
  }
  return out;
}

// --- Ring: 1,000 processes, one token making 1,000,000 hops in all ---

/** Erlang's relay/2: pass the count on, decremented; at 0 tell the main process. */
function* relay(next: Pid, main: Pid): Gen {
  for (;;) {
    const k = (yield receive()) as number;
    if (k === 0) send(main, 'done');
    else send(next, k - 1);
  }
}

function* ringMain(n: number, hops: number, done: (msgsPerS: number) => void): Gen {
  const me = self();
  const last = spawn(function* lastInRing(): Gen {
    const m = (yield receive()) as { next: Pid };
    yield* relay(m.next, me);
  });
  let first = last;
  for (let i = 1; i < n; i++) first = spawn(relay, [first, me]);
  send(last, { next: first });
  const t0 = now();
  send(first, hops);
  yield receive();
  done(hops / ((now() - t0) / 1000));
}

/** The same ring, each relay a behaviour loop. */
function relayLoop(next: Pid | null, main: Pid): void {
  receiveLoop((m) => {
    if (next === null) {
      next = (m as { next: Pid }).next;
    } else if (m === 0) {
      send(main, 'done');
    } else {
      send(next, (m as number) - 1);
    }
  });
}

function* ringLoopMain(n: number, hops: number, done: (msgsPerS: number) => void): Gen {
  const me = self();
  const last = spawn(relayLoop, [null, me]);
  let first = last;
  for (let i = 1; i < n; i++) first = spawn(relayLoop, [first, me]);
  send(last, { next: first });
  const t0 = now();
  send(first, hops);
  yield receive();
  done(hops / ((now() - t0) / 1000));
}

// --- Ping-pong: one round trip, 200,000 rounds ---

function* pong(): Gen {
  for (;;) {
    const m = (yield receive()) as { from: Pid; x: number } | 'stop';
    if (m === 'stop') return;
    send(m.from, m.x);
  }
}

function* pingpongMain(rounds: number, done: (usPerRoundTrip: number) => void): Gen {
  const p = spawn(pong);
  const t0 = now();
  for (let i = 1; i <= rounds; i++) {
    send(p, { from: self(), x: i });
    // Erlang's `receive I -> ok end`: the only message that can arrive is I; check it is.
    if ((yield receive()) !== i) throw new Error('pingpong: reply out of order');
  }
  const t = now() - t0;
  send(p, 'stop');
  done((t * 1000) / rounds);
}

/** Both sides as behaviour loops: ping counts replies and starts the next round from its handler. */
function pingpongLoop(rounds: number): Promise<number> {
  return onScheduler<number>(function* (resolve): Gen {
    const pongPid = spawn(() => {
      receiveLoop((m) => {
        if (m === 'stop') exit('normal');
        const r = m as { from: Pid; x: number };
        send(r.from, r.x);
      });
    });
    let t0 = 0;
    spawn(() => {
      const me = self();
      receiveLoop((m) => {
        const x = m as number;
        if (x === rounds) {
          const t = now() - t0;
          send(pongPid, 'stop');
          resolve((t * 1000) / rounds);
          exit('normal');
        }
        send(pongPid, { from: me, x: x + 1 });
      });
      t0 = now();
      send(pongPid, { from: me, x: 1 });
    });
  });
}

// --- Idle processes ---

/** Erlang's `fun() -> receive stop -> ok end end`, as a generator process. */
function* idleInReceive(): Gen {
  while ((yield receive()) !== 'stop');
}

/** The same idle process as a behaviour loop, with the per-process handler closure a behaviour has. */
function idleInLoop(): void {
  receiveLoop((m) => {
    if (m === 'stop') exit('normal');
  });
}

/** Sent last: the run queue is FIFO, so when this one runs, every process spawned before it has run. */
function tell(to: Pid, message: unknown): void {
  send(to, message);
}

interface SpawnTimes {
  /** ms for the spawn calls alone. */
  calls: number;
  /** ms until every spawned process has run to its receive. */
  ready: number;
}

function* spawnIdleMain(n: number, body: () => unknown, done: (t: SpawnTimes) => void): Gen {
  const me = self();
  const t0 = now();
  for (let i = 0; i < n; i++) spawn(body);
  const calls = now() - t0;
  spawn(tell, [me, 'ready']);
  yield receive();
  done({ calls, ready: now() - t0 });
}

/** Heap bytes per idle process: gc, spawn `n`, wait until all sit in receive, gc, divide the delta. */
async function idleBytes(n: number, body: () => unknown): Promise<{ bytes: number; ms: number; heapMiB: number }> {
  // The scheduler itself is allocated before the baseline: only what the processes add counts.
  const s = new Scheduler();
  gc();
  const h0 = heapUsed();
  const t = await onScheduler<SpawnTimes>((done) => spawnIdleMain(n, body, done), s);
  gc();
  const h1 = heapUsed();
  if (s.procs.size !== n) throw new Error(`idle bytes: expected ${n} live processes, found ${s.procs.size}`);
  return { bytes: (h1 - h0) / n, ms: t.ready, heapMiB: h1 / 2 ** 20 };
}

// --- Spawn and exit at once: the full lifecycle ---

const exitAtOnce = (): void => {};

function* spawnExitMain(n: number, done: (perS: number) => void): Gen {
  const me = self();
  const t0 = now();
  for (let i = 0; i < n; i++) spawn(exitAtOnce);
  spawn(tell, [me, 'done']);
  yield receive();
  done(n / ((now() - t0) / 1000));
}

// --- Main ---

const samplesOf = (xs: number[]) => xs.map(round);

async function main(): Promise<void> {
  // An application starts with some processes alive at once; so does this group, before any
  // forced gc. V8 fixes an object's shape after its first few constructions, and if a full gc
  // runs while no Process is alive at that moment, every later Process keeps its fields out of
  // object (+32 bytes each): results would then depend on which benches ran first.
  await onScheduler<SpawnTimes>((done) => spawnIdleMain(1000, idleInReceive, done));

  if (want('ring_1k_x_1k')) {
    const xs = await repeat(9, 1, () => onScheduler<number>((done) => ringMain(1000, 1_000_000, done)));
    emit({ bench: 'ring_1k_x_1k', value: round(median(xs)), unit: 'msgs/s', samples: samplesOf(xs), target: '>= 5000000', goal: 'G1', form: 'generator', beam_target: '>= 1.8' });
  }
  if (want('ring_1k_x_1k_loop')) {
    const xs = await repeat(9, 1, () => onScheduler<number>((done) => ringLoopMain(1000, 1_000_000, done)));
    emit({ bench: 'ring_1k_x_1k_loop', value: round(median(xs)), unit: 'msgs/s', samples: samplesOf(xs), target: '>= 5000000', goal: 'G1', form: 'receiveLoop', beam: 'ring_1k_x_1k' });
  }
  if (want('pingpong_rtt')) {
    const xs = await repeat(9, 1, () => onScheduler<number>((done) => pingpongMain(200_000, done)));
    emit({ bench: 'pingpong_rtt', value: round(median(xs)), unit: 'us', samples: samplesOf(xs), target: '<= 0.5', goal: 'G2', form: 'generator', beam_target: '<= 0.6' });
  }
  if (want('pingpong_rtt_dev')) {
    // The same round trips with development builds' freezeMessages on: each message is
    // clone-checked and deep-frozen. The others run as production builds do (the runner sets
    // NODE_ENV=production), handing messages over by reference.
    const xs = await repeat(9, 1, () => onScheduler<number>((done) => pingpongMain(200_000, done), new Scheduler({ freezeMessages: true })));
    emit({ bench: 'pingpong_rtt_dev', value: round(median(xs)), unit: 'us', samples: samplesOf(xs), form: 'generator', freezeMessages: true, beam: 'pingpong_rtt' });
  }
  if (want('pingpong_rtt_loop')) {
    const xs = await repeat(9, 1, () => pingpongLoop(200_000));
    emit({ bench: 'pingpong_rtt_loop', value: round(median(xs)), unit: 'us', samples: samplesOf(xs), target: '<= 0.5', goal: 'G2', form: 'receiveLoop', beam: 'pingpong_rtt' });
  }
  if (want('spawn_idle_100k') || want('spawn_idle_100k_calls')) {
    const ts = await repeat(7, 1, () => onScheduler<SpawnTimes>((done) => spawnIdleMain(100_000, idleInReceive, done)));
    const ready = ts.map((t) => (t.ready * 1000) / 100_000);
    const calls = ts.map((t) => (t.calls * 1000) / 100_000);
    emit({ bench: 'spawn_idle_100k', value: round(median(ready)), unit: 'us/process', samples: samplesOf(ready), target: '<= 1', goal: 'G5', form: 'generator', measures: 'spawn calls until every process waits in receive' });
    emit({ bench: 'spawn_idle_100k_calls', value: round(median(calls)), unit: 'us/process', samples: samplesOf(calls), target: '<= 1', goal: 'G5', form: 'generator', measures: 'the spawn calls alone', beam: 'spawn_idle_100k' });
  }
  if (want('spawn_exit')) {
    const xs = await repeat(7, 1, () => onScheduler<number>((done) => spawnExitMain(200_000, done)));
    emit({ bench: 'spawn_exit', value: round(median(xs)), unit: 'processes/s', samples: samplesOf(xs), target: '>= 300000', goal: 'G5', beam_target: '>= 1.5' });
  }
  let smaller: { form: 'generator' | 'receiveLoop'; body: () => unknown } = { form: 'receiveLoop', body: idleInLoop };
  if (want('idle_process_bytes') || want('idle_process_bytes_generator') || want('idle_process_bytes_loop') || want('million_processes_mib')) {
    const n = 200_000;
    const gen = (await repeat(5, 0, () => idleBytes(n, idleInReceive))).map((r) => r.bytes);
    const loop = (await repeat(5, 0, () => idleBytes(n, idleInLoop))).map((r) => r.bytes);
    const g = median(gen);
    const l = median(loop);
    if (g < l) smaller = { form: 'generator', body: idleInReceive };
    const processes = n;
    emit({ bench: 'idle_process_bytes_generator', value: round(g), unit: 'bytes', samples: samplesOf(gen), target: '<= 400', goal: 'G6', form: 'generator', processes, beam: 'idle_process_bytes' });
    emit({ bench: 'idle_process_bytes_loop', value: round(l), unit: 'bytes', samples: samplesOf(loop), target: '<= 400', goal: 'G6', form: 'receiveLoop', processes, beam: 'idle_process_bytes' });
    emit({ bench: 'idle_process_bytes', value: round(Math.min(g, l)), unit: 'bytes', samples: samplesOf(l <= g ? loop : gen), target: '<= 400', goal: 'G6', form: smaller.form, processes });
  }
  if (want('million_processes_mib')) {
    const n = 1_000_000;
    const rs = await repeat(3, 0, () => idleBytes(n, smaller.body));
    const mib = rs.map((r) => (r.bytes * n) / 2 ** 20);
    const seconds = median(rs.map((r) => r.ms / 1000));
    emit({
      bench: 'million_processes_mib', value: round(median(mib)), unit: 'MiB', samples: samplesOf(mib), target: '<= 1024', goal: 'G7',
      seconds: round(seconds), seconds_samples: samplesOf(rs.map((r) => r.ms / 1000)), heap_used_mib: round(median(rs.map((r) => r.heapMiB))), form: smaller.form, processes: n,
    });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    note(`core: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
