/**
 * The processes of the cross-scheduler benchmarks (Node worker threads and Chromium alike).
 * Times are `performance.timeOrigin + performance.now()`, comparable across workers.
 */
import { type Pid, type Wait, defineModule, receive, receiveLoop, self, send, yieldNow } from '../../../runtime/core/index.ts';

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
 * well-behaved process does (erlang:yield/0); starts on `go`, and says when it started.
 */
defineModule('xwSource', function* xwSource(sink: Pid, count: number, chunk: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  yield receive((m) => m === 'go');
  send(reportTo, { sourceStarted: me, at: wallNow() });
  for (let i = 0; i < count; ) {
    const end = Math.min(count, i + chunk);
    for (; i < end; i++) send(sink, i);
    yield yieldNow();
  }
});

/** Answers every `{ from, i }` with `i`. */
defineModule('xwPong', () => {
  receiveLoop((m: any) => send(m.from, m.i));
});

/**
 * Plays `n` round trips with `pong` after `warmup` unmeasured ones; reports round-trip times in
 * µs, each the mean over a window of `window` trips: a page that is not cross-origin isolated
 * reads its clock to 100 µs only.
 */
defineModule('xwPing', function* xwPing(pong: Pid, n: number, warmup: number, window: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  const samples: number[] = [];
  for (let i = 0; i < warmup; i++) {
    send(pong, { from: me, i });
    yield receive();
  }
  for (let w = 0; w < n / window; w++) {
    const t0 = performance.now();
    for (let i = 0; i < window; i++) {
      send(pong, { from: me, i });
      yield receive();
    }
    samples.push(((performance.now() - t0) * 1000) / window);
  }
  send(reportTo, { rtt: samples });
});
