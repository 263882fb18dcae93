// benches: call_rtt restart_p50 restart_p99
/**
 * OTP behaviours on one scheduler, doing what ../shared/anchors/beam_anchor.erl does:
 * - call_rtt: GenServer.call round trip to a server that replies at once (200,000 calls).
 * - restart_p50 / restart_p99: exit(child, kill) until the one_for_one supervisor has the new
 *   child registered under its name again, over 5,000 kills; the measuring process polls
 *   whereis and yields in between, as the Erlang one does with erlang:yield/0.
 */
import { type Pid, exit, trapExit, whereis, yieldNow, register, self } from '../../runtime/core/index.ts';
import * as GenServer from '../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../runtime/behaviours/supervisor.ts';
import { type Gen, now, onScheduler } from './lib/onScheduler.ts';
import { emit, gc, median, note, round, wanted } from './lib/report.ts';

const want = wanted('behaviours');

GenServer.define('Bench.Server', {
  init: () => ['ok', 0],
  handleCall: (_req: 'ping', _from, n: number) => ['reply', 'pong', n + 1],
});

GenServer.define('Bench.Child', {
  init: () => {
    register('anchor_child', self());
    return ['ok', null];
  },
});

function* callRtt(calls: number, done: (us: number) => void): Gen {
  const r = yield* GenServer.start('Bench.Server');
  if (r === 'ignore' || r[0] !== 'ok') throw new Error(`server did not start: ${JSON.stringify(r)}`);
  const pid = r[1];
  const t0 = now();
  for (let i = 0; i < calls; i++) {
    if ((yield* GenServer.call(pid, 'ping')) !== 'pong') throw new Error('bad reply');
  }
  const us = ((now() - t0) * 1000) / calls;
  yield* GenServer.stop(pid);
  done(us);
}

function* waitChild(old: Pid | undefined): Generator<ReturnType<typeof yieldNow>, Pid, unknown> {
  for (;;) {
    const p = whereis('anchor_child');
    if (p !== undefined && p !== old) return p;
    yield yieldNow();
  }
}

function* restartLatency(kills: number, done: (samples: number[]) => void): Gen {
  trapExit(true);
  const r = yield* Supervisor.startLink([{ id: 'c', start: ['Bench.Child', []] }], { intensity: 1_000_000, period: 1 });
  if (r === 'ignore' || r[0] !== 'ok') throw new Error(`supervisor did not start: ${JSON.stringify(r)}`);
  const samples: number[] = [];
  for (let i = 0; i < kills; i++) {
    const old = yield* waitChild(undefined);
    const t0 = now();
    exit(old, 'kill');
    yield* waitChild(old);
    samples.push((now() - t0) * 1000);
  }
  exit(r[1], 'shutdown');
  done(samples);
}

if (want('call_rtt')) {
  const runs: number[] = [];
  for (let i = 0; i < 6; i++) {
    gc();
    const us = await onScheduler<number>((done) => callRtt(200_000, done));
    if (i > 0) runs.push(us); // the first run warms the JIT up
  }
  note(`call_rtt runs (µs): ${runs.map(round).join(', ')}`);
  emit({ bench: 'call_rtt', value: round(median(runs)), unit: 'us', samples: runs.map(round), target: '<= beam', beam_target: '<= 0.75' });
}

if (want('restart_p50') || want('restart_p99')) {
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let i = 0; i < 4; i++) {
    gc();
    const samples = await onScheduler<number[]>((done) => restartLatency(5_000, done));
    samples.sort((a, b) => a - b);
    if (i === 0) continue; // warm-up
    p50s.push(samples[Math.floor(samples.length / 2)]!);
    p99s.push(samples[Math.floor((samples.length * 99) / 100)]!);
  }
  note(`restart p50 runs (µs): ${p50s.map(round).join(', ')}; p99: ${p99s.map(round).join(', ')}`);
  if (want('restart_p50')) emit({ bench: 'restart_p50', value: round(median(p50s)), unit: 'us', samples: p50s.map(round), target: '<= beam' });
  if (want('restart_p99')) emit({ bench: 'restart_p99', value: round(median(p99s)), unit: 'us', samples: p99s.map(round) });
}
