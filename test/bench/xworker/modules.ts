/**
 * The processes of the cross-scheduler benchmarks (Node worker threads and Chromium alike).
 * Times are `performance.timeOrigin + performance.now()`, comparable across workers.
 */
import { type Pid, type Wait, defineModule, receive, receiveLoop, self, send } from '../../../runtime/core/index.ts';

const wallNow = (): number => performance.timeOrigin + performance.now();

/** Counts messages; at `expected` tells `reportTo` when the last one came. */
defineModule('xwSink', (expected: number, reportTo: Pid) => {
  const me = self();
  let count = 0;
  receiveLoop(() => {
    if (++count === expected) send(reportTo, { sinkDone: me, count, at: wallNow() });
  });
});

/**
 * Sends `count` small messages to `sink` in chunks of `chunk`, yielding between chunks as a
 * well-behaved process does; starts on `go`, and says when it started.
 */
defineModule('xwSource', function* xwSource(sink: Pid, count: number, chunk: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  yield receive((m) => m === 'go');
  send(reportTo, { sourceStarted: me, at: wallNow() });
  for (let i = 0; i < count; ) {
    const end = Math.min(count, i + chunk);
    for (; i < end; i++) send(sink, i);
    send(me, 'continue');
    yield receive((m) => m === 'continue');
  }
});

/** Answers every `{ from, i }` with `i`. */
defineModule('xwPong', () => {
  receiveLoop((m: any) => send(m.from, m.i));
});

/** Plays `n` round trips with `pong` after `warmup` unmeasured ones; reports the round-trip times in µs. */
defineModule('xwPing', function* xwPing(pong: Pid, n: number, warmup: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  const samples: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t0 = performance.now();
    send(pong, { from: me, i });
    yield receive();
    if (i >= warmup) samples.push((performance.now() - t0) * 1000);
  }
  send(reportTo, { rtt: samples });
});
