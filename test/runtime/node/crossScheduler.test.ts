/**
 * The core's semantics across schedulers in Node worker threads: every scenario of
 * scenarios.ts, with its two ends on different workers, over each transport (SharedArrayBuffer
 * rings, and MessagePorts alone as in a page without cross-origin isolation). The same list
 * runs in Chromium in e2e/workers.spec.ts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import { Driver } from './driver.ts';
import { scenarios } from './scenarios.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);
const groups = [...new Set(scenarios.map((s) => s.group))];

/** As in a cross-origin isolated page (shared memory) and as in a plain one. */
const NAMES = { shared: 'shared', batched: 'replicated' } as const;

for (const transport of ['shared', 'batched'] as const) {
  describe(`over the ${transport} transport, ${NAMES[transport]} names`, () => {
    let node: OrchardNode;

    beforeAll(async () => {
      node = await startNode({ schedulers: 3, workerEntry: ENTRY, transport, names: NAMES[transport], watchdog: { intervalMs: 100, timeoutMs: 5_000 } });
    });

    afterAll(() => node?.stop());

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
  });
}
