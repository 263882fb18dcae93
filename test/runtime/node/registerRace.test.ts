/**
 * Processes on different schedulers registering the same name at the same instant. Erlang:
 * exactly one succeeds, the others get badarg. With shared names that is what happens; with
 * replicated names (a page without cross-origin isolation) the claims may all succeed at
 * first, and the node then keeps one owner and the others exit with the badarg they would
 * have got (the documented deviation, see runtime/worker/ReplicatedNames.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import { Driver, sleep } from './driver.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);

for (const names of ['shared', 'replicated'] as const) {
  describe(`a register race, ${names} names`, () => {
    let node: OrchardNode;

    beforeAll(async () => {
      node = await startNode({ schedulers: 3, workerEntry: ENTRY, names, transport: names === 'shared' ? 'shared' : 'batched' });
    });

    afterAll(() => node?.stop());

    it('ends with exactly one owner, known everywhere; every other contender failed with badarg', async () => {
      for (let round = 0; round < 10; round++) {
        const d = new Driver(node);
        const name = `contested_${round}`;
        const contenders = [d.agent(0), d.agent(1), d.agent(2)];
        const downs = await Promise.all(contenders.map((c, i) => d.watch(c, (i + 1) % 3)));
        // All three register at the same wall-clock instant, each on its own worker.
        const at = performance.timeOrigin + performance.now() + 30;
        const results = contenders.map((c) => d.call(c, { cmd: 'registerAt', name, at }).then(() => 'ok', (e: Error) => e.message));
        const outcome = await Promise.all(results);
        let owner: Pid | undefined;
        for (let t = 0; t < 200 && (owner = node.whereis(name)) === undefined; t++) await sleep(5);
        expect(contenders).toContain(owner);
        for (const [i, c] of contenders.entries()) {
          if (c === owner) {
            expect(outcome[i]).toBe('ok');
            continue;
          }
          if (outcome[i] !== 'ok') {
            expect(outcome[i]).toMatch(/\bbadarg\b/);
          } else {
            // Replicated names only: its claim lost at the node; it exits as badarg would make it.
            expect(names).toBe('replicated');
            expect(JSON.stringify(await downs[i]!())).toMatch(/\bbadarg\b.*already registered/);
          }
        }
        for (const c of contenders) if (c !== owner) expect(await d.call(owner!, { cmd: 'whereis', name })).toBe(owner);
        d.cleanup();
      }
    });
  });
}
