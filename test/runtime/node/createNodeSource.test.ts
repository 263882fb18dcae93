/**
 * The Observer's view of a node: the inspector source that asks each worker's scheduler and
 * merges their answers, and shows a scheduler the watchdog replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import { type InspectorSource, type SourceDelta, type SourceView, exposeInspector } from '../../../runtime/inspector/index.ts';
import { attachPort } from '../../../runtime/protocol/index.ts';
import { type OrchardNode, createNodeSource, startNode } from '../../../runtime/node/index.ts';
import { sleep } from './driver.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);

let node: OrchardNode;
let source: InspectorSource;
let view: SourceView;

beforeAll(async () => {
  node = await startNode({ schedulers: 2, workerEntry: ENTRY, watchdog: { intervalMs: 50, timeoutMs: 1_000 } });
  source = createNodeSource(node);
});

afterAll(() => {
  view?.close();
  node?.stop();
});

/** Deltas until one satisfies `ok` (the schedulers report on their own ticks; a replacement worker starts slowly on a loaded machine). */
async function deltaUntil(ok: (d: SourceDelta, all: SourceDelta[]) => boolean, ms = 20_000): Promise<SourceDelta[]> {
  const all: SourceDelta[] = [];
  const end = Date.now() + ms;
  for (;;) {
    const d = await view.delta();
    all.push(d);
    if (ok(d, all) || Date.now() > end) return all;
    await sleep(50);
  }
}

describe('createNodeSource', () => {
  it('shows the processes of every scheduler in one snapshot, with a row per scheduler', async () => {
    const a = node.spawn('echo', [], { scheduler: 0, name: 'on_zero' });
    const b = node.spawn('echo', [], { scheduler: 1 });
    await sleep(50);
    view = source.openView({ limit: 100, sortBy: 'pid', include: [] });
    const snap = await view.snapshot();
    const pids = snap.processes.map((p) => p.pid);
    expect(pids).toContain(a);
    expect(pids).toContain(b);
    expect(snap.schedulers.map((s) => s.id).sort()).toEqual([0, 1]);
    expect(snap.node.schedulers).toBe(2);
    expect(snap.node.processes).toBeGreaterThanOrEqual(2);
    expect(snap.processes.find((p) => p.pid === a)?.name).toBe('on_zero');
    // The node's heap is reported with workers too (PROTOCOL.md, snapshot `node.memory.heap`).
    expect(snap.node.memory.heap).toBeGreaterThan(0);
  });

  it('streams changes from every scheduler in deltas', async () => {
    const c = node.spawn('echo', [], { scheduler: 1 });
    const seen = await deltaUntil((_d, all) => all.some((x) => x.processes.some((p) => p.pid === c)));
    expect(seen.some((x) => x.processes.some((p) => p.pid === c))).toBe(true);
    expect(await source.exit(c, 'kill')).toBe('ok');
    const gone = await deltaUntil((_d, all) => all.some((x) => x.removed.includes(c)));
    expect(gone.some((x) => x.removed.includes(c))).toBe(true);
    expect(await source.exit(c, 'kill')).toBe('noproc');
  });

  it("answers details and commands from the process's own scheduler", async () => {
    const d = node.spawn('echo', [], { scheduler: 1 });
    await sleep(50);
    const detail = await source.detail(d, 10);
    expect(detail?.row.pid).toBe(d);
    expect(detail?.row.scheduler).toBe(1);
    expect(await source.send('on_zero', 'hello')).toBe('ok');
    expect(await source.send('nobody_here', 'hello')).toBe('noproc');
  });

  it('shows a scheduler the watchdog replaced: its processes leave, an event says why, the fresh one is flagged', async () => {
    const victim = node.spawn('placedChild', [null], { scheduler: 1 });
    await deltaUntil((_d, all) => all.some((x) => x.processes.some((p) => p.pid === victim)));
    node.send(victim, { hang: true });
    const all = await deltaUntil((_d, list) =>
      list.some((x) => x.removed.includes(victim)) &&
      list.some((x) => x.events.some((e) => e.type === 'orchard.scheduler.replaced')) &&
      list.some((x) => x.schedulers.some((s) => s.replaced === true)),
    );
    expect(all.some((x) => x.removed.includes(victim))).toBe(true);
    const event = all.flatMap((x) => x.events).find((e) => e.type === 'orchard.scheduler.replaced');
    expect(event).toMatchObject({ scheduler: 1, reason: expect.stringMatching(/^unresponsive/) });
    expect(all.flatMap((x) => x.schedulers).find((s) => s.replaced === true)?.id).toBe(2);
    expect(source.recentEvents(victim as Pid, 10).map((e) => e.type)).toContain('orchard.process.spawned');
  });

  it('serves the inspector protocol: an Observer attached to the node sees and kills processes on any scheduler', async () => {
    const exposed = exposeInspector(createNodeSource(node), { allowedOrigins: [], capabilities: ['observe', 'control'], window: null });
    const client = attachPort(exposed.connectLocal(), { heartbeatMs: false });
    try {
      const welcome = await client.ready;
      expect(welcome.ok && welcome.value.runtime.schedulers).toBe(node.schedulers.length);
      const target = node.spawn('echo', [], { scheduler: node.schedulers[1]!, name: 'observed' });
      await sleep(50);
      const subscribed = await client.subscribe({ processes: { limit: 1_000 } });
      if (!subscribed.ok) throw new Error(subscribed.message);
      const snap = subscribed.value;
      expect(snap.schedulers.map((r) => r.id).sort()).toEqual(node.schedulers);
      expect(snap.processes.find((p) => p.pid === target)?.name).toBe('observed');
      const removed = new Promise<void>((resolve) => client.onMessage((m) => m.type === 'delta' && m.removed.includes(target) && resolve()));
      expect((await client.kill(target)).ok).toBe(true);
      await removed;
    } finally {
      client.disconnect();
      exposed.close();
    }
  });
});
