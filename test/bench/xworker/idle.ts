/**
 * For million_processes: idle processes spawned in bulk on each scheduler, as an application's
 * long-lived servers sit waiting for a message.
 */
import { type Pid, type Wait, defineModule, receiveLoop, self, send, spawn, yieldNow } from '../../../runtime/core/index.ts';

const ignore = (): void => {};

/** An idle server: a behaviour-style loop waiting for its first message. */
defineModule('xwIdle', () => receiveLoop(ignore));

/** Spawns `count` idle processes here, `chunk` per turn, then reports how long it took. */
defineModule('xwSpawner', function* xwSpawner(count: number, chunk: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  const t0 = performance.now();
  for (let i = 0; i < count; ) {
    const end = Math.min(count, i + chunk);
    for (; i < end; i++) spawn('xwIdle');
    yield yieldNow();
  }
  send(reportTo, { spawned: count, ms: performance.now() - t0, from: me });
});
