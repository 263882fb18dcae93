/**
 * scaling_2x's workload, one ring per module instance: `size` generator processes in a ring, a
 * counter sent round it `hops` times (beam_anchor.erl's ring). The ring is built before it is
 * timed; `go` starts it, and the ring's main reports wall-clock start and end, comparable across
 * workers (`performance.timeOrigin + performance.now()`). test/bench/erl/scaling.erl is the same
 * workload on the BEAM.
 */
import { type Pid, type Wait, defineModule, receive, self, send, spawn } from '../../../runtime/core/index.ts';

const wallNow = (): number => performance.timeOrigin + performance.now();

function* relay(next: Pid, main: Pid): Generator<Wait, void, unknown> {
  for (;;) {
    const k = (yield receive()) as number;
    if (k === 0) send(main, 'done');
    else send(next, k - 1);
  }
}

function* lastInRing(main: Pid): Generator<Wait, void, unknown> {
  const m = (yield receive()) as { next: Pid };
  yield* relay(m.next, main);
}

defineModule('scalingRing', function* scalingRing(size: number, hops: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  const last = spawn(lastInRing, [me]);
  let first = last;
  for (let i = 1; i < size; i++) first = spawn(relay, [first, me]);
  send(last, { next: first });
  send(reportTo, { ringReady: me });
  yield receive((m) => m === 'go');
  const start = wallNow();
  send(first, hops);
  yield receive((m) => m === 'done');
  send(reportTo, { ringDone: me, start, end: wallNow() });
});
