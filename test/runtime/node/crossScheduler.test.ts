/**
 * The core's semantics across schedulers in Node worker threads: every scenario of
 * scenarios.ts, with its two ends on different workers. (The same list runs in Chromium in
 * e2e/workers.spec.ts.)
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import { Driver } from './driver.ts';
import { scenarios } from './scenarios.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);

let node: OrchardNode;

beforeAll(async () => {
  node = await startNode({ schedulers: 3, workerEntry: ENTRY, watchdog: { intervalMs: 100, timeoutMs: 5_000 } });
});

afterAll(() => node?.stop());

const groups = [...new Set(scenarios.map((s) => s.group))];
for (const group of groups) {
  describe(group, () => {
    for (const scenario of scenarios.filter((s) => s.group === group)) {
      it(scenario.name, async () => {
        const d = new Driver(node);
        try {
          await scenario.run(d);
        } finally {
          d.cleanup();
        }
      });
    }
  });
}
