import { describe, expect, it } from 'vitest';
import { processRates } from '../../app/store/rates.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { delta as deltaOf, pid, row, snapshot as snapshotOf } from './fixtures.ts';

const snapshot = (at: number, reductions: number[]) => snapshotOf(1, at, reductions.map((r, i) => row(i + 1, { reductions: r })));
const delta = (seq: number, at: number, changed: Array<[number, number]>) => deltaOf(seq, at, { processes: changed.map(([n, r]) => row(n, { reductions: r })) });

describe('processRates', () => {
  it('lists as growing exactly the processes whose rate is above 0 (their count grew within the last second)', () => {
    const store = createRuntimeStore();
    const rates = processRates(store);
    store.getState().ingest(snapshot(1_000, [5, 5, 5]));
    expect([...rates.growing()]).toEqual([]);
    store.getState().ingest(delta(2, 1_100, [[1, 9], [2, 5]])); // 2 sent again, unchanged
    expect([...rates.growing()]).toEqual([pid(1)]);
    store.getState().ingest(delta(3, 1_600, [[3, 8]]));
    expect([...rates.growing()]).toEqual([pid(1), pid(3)]);
    for (const n of [1, 2, 3]) expect(rates.of(pid(n)) > 0).toBe([...rates.growing()].includes(pid(n)));
    // A second after 1's growth its rate is 0 again, and it leaves the list.
    store.getState().ingest(delta(4, 2_100, [[2, 5]]));
    expect(rates.of(pid(1))).toBe(0);
    expect([...rates.growing()]).toEqual([pid(3)]);
  });
});
