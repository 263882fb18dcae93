/**
 * What a node keeps when the watchdog replaces a scheduler.
 *
 * - A child spec's `scheduler: N` names a place in the node: when N is replaced, the child
 *   restarts on N's replacement. Otherwise each restart fails (`scheduler N is not running`),
 *   and the supervisor spends its restart intensity at once and shuts down (supervisor docs,
 *   "Restart intensity and period": a supervisor terminates only when children die more often
 *   than its intensity allows).
 * - `node.pid` is the host's, not a scheduler's: replies sent to it after scheduler 0 was
 *   replaced still arrive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Pid, TIMEOUT, schedulerOf } from '../../../runtime/core/index.ts';
import { type NodeEvent, type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import { sleep } from './driver.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);

let node: OrchardNode | undefined;
afterEach(() => node?.stop());

async function start(): Promise<{ node: OrchardNode; ups: Array<Extract<NodeEvent, { type: 'orchard.scheduler.up' }>> }> {
  const n = await startNode({ schedulers: 2, workerEntry: ENTRY, watchdog: { intervalMs: 50, timeoutMs: 600 } });
  const ups: Array<Extract<NodeEvent, { type: 'orchard.scheduler.up' }>> = [];
  n.subscribe((e) => {
    if (e.type === 'orchard.scheduler.up') ups.push(e);
  });
  node = n;
  return { node: n, ups };
}

async function until<T>(f: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

async function ping(n: OrchardNode, to: Pid | string, tag: string): Promise<Pid | null> {
  n.send(to, { ping: tag, replyTo: n.pid });
  const r = await n.receive({ pong: tag }, { after: 2_000 });
  return r === TIMEOUT ? null : (r as { from: Pid }).from;
}

describe('a scheduler replaced by the watchdog', () => {
  it("restarts the children pinned to it on its replacement, and their supervisor lives on", async () => {
    const { node: n, ups } = await start();
    n.spawn('pinnedHost', [[{ id: 'pinned', scheduler: 1, name: 'pinned' }], n.pid], { scheduler: 0 });
    const started = (await n.receive((m: any) => m?.pinnedStarted !== undefined, { after: 5_000 })) as { pinnedStarted: [string, Pid] };
    expect(started.pinnedStarted[0]).toBe('ok');
    const sup = started.pinnedStarted[1];
    const first = await until(() => n.whereis('pinned'));
    expect(schedulerOf(first)).toBe(1);

    n.send(first, { hang: true });
    const up = await until(() => ups.find((u) => u.replaces === 1));
    const again = await until(() => {
      const p = n.whereis('pinned');
      return p !== undefined && p !== first ? p : undefined;
    });
    expect(schedulerOf(again)).toBe(up.id);
    expect(await ping(n, again, 'after')).toBe(again);
    // The supervisor did not give up: it restarts the child on the replacement again.
    expect(schedulerOf(sup)).toBe(0);
    n.exit(again, 'kill');
    const third = await until(() => {
      const p = n.whereis('pinned');
      return p !== undefined && p !== again ? p : undefined;
    });
    expect(schedulerOf(third)).toBe(up.id);
  });

  it('keeps node.pid: replies sent to it after scheduler 0 was replaced arrive', async () => {
    const { node: n, ups } = await start();
    const before = n.pid;
    const echo = n.spawn('echo', [], { scheduler: 1 });
    expect(await ping(n, echo, 'before')).toBe(echo);
    const victim = n.spawn('placedChild', [null], { scheduler: 0 });
    n.send(victim, { hang: true });
    await until(() => ups.find((u) => u.replaces === 0));
    expect(n.schedulers).not.toContain(0);
    expect(n.pid).toBe(before);
    expect(await ping(n, echo, 'after')).toBe(echo);
    // And from the replacement itself.
    const fresh = n.spawn('echo', [], { scheduler: 0 });
    expect(await ping(n, fresh, 'fresh')).toBe(fresh);
  });
});
