/**
 * A short chaos soak (soak.ts) in real worker threads: about 1,000 processes over two
 * schedulers, every supervisor strategy and restart type, random kills with custom exit
 * reasons, clients calling throughout. After every round the tree matches OTP's restart rules
 * (supervisor docs, "Restart Strategy" and the child specification's `restart`; see model.ts):
 * its shape, which pids are new, its registered names. At the end the process count and the
 * heaps are back at their baseline, and no message to a live process was lost or duplicated.
 * The 60-second run is `npm run bench -- chaos`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrchardNode } from '../../../runtime/node/index.ts';
import { soak, startChaosNode } from './soak.ts';

let node: OrchardNode;
const downs: unknown[] = [];

beforeAll(async () => {
  node = await startChaosNode();
  node.subscribe((e) => {
    if (e.type === 'orchard.scheduler.down') downs.push(e);
  });
});

afterAll(() => node?.stop());

it('restores the tree, its names, its process count and heap after random kills, and loses no message to a live process', async () => {
  const r = await soak(node, { durationMs: 3_000, log: (line) => console.log(`chaos: ${line}`) });
  expect(r.failures).toEqual([]);
  expect(downs).toEqual([]);
  expect(r.kills).toBeGreaterThan(100);
  expect(r.calls).toBeGreaterThan(100);
  expect(r.lost).toBe(0);
  expect(r.duplicated).toBe(0);
  expect(r.timeouts).toBe(0);
  expect(r.end.processes).toBe(r.baseline.processes);
}, 180_000);
