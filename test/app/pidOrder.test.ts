import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pidOrder } from '../../app/store/pidOrder.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { delta, pid, row, snapshot } from './fixtures.ts';

describe('pidOrder', () => {
  it('lists exactly the listed pids in pid order through any snapshots and deltas, few changes or many', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('snapshot', 'delta', 'delta', 'delta', 'read'), fc.array(fc.nat(400), { maxLength: 90 }), fc.array(fc.nat(400), { maxLength: 40 })), { maxLength: 30 }),
        (steps) => {
          const store = createRuntimeStore();
          const order = pidOrder(store);
          let seq = 0;
          for (const [kind, add, remove] of steps) {
            const ingest = store.getState().ingest;
            if (kind === 'read') order.pids();
            else if (kind === 'snapshot') ingest(snapshot(++seq, seq * 100, [...new Set(add)].map((n) => row(n))));
            else ingest(delta(++seq, seq * 100, { processes: [...new Set(add)].map((n) => row(n)), removed: [...new Set(remove)].filter((n) => !add.includes(n)).map((n) => pid(n)) }));
          }
          const expected = [...store.getState().processes.keys()].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
          expect(order.pids()).toEqual(expected);
        },
      ),
    );
  });
});
