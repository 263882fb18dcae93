import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlightRecorder, Ring } from '../../../runtime/inspector/index.ts';
import { TopN } from '../../../runtime/inspector/TopN.ts';

describe('TopN', () => {
  it('keeps the N highest keys under any offers, updates and removals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.nat(30), fc.integer({ min: -5, max: 50 })), { maxLength: 60 }), (limit, ops) => {
        const items = Array.from({ length: 31 }, (_, i) => ({ id: i, key: 0, index: -1, alive: true }));
        const top = new TopN<(typeof items)[number]>(limit);
        for (const [i, k] of ops) {
          const x = items[i]!;
          if (k < 0) {
            top.remove(x);
            x.alive = false;
            continue;
          }
          x.alive = true;
          x.key = k;
          if (x.index >= 0) top.update(x);
          else top.offer(x);
        }
        const shown = items.filter((x) => x.index >= 0);
        expect(shown.length).toBeLessThanOrEqual(limit);
        // Every shown key is at least the min, and the heap's min is the lowest shown.
        const min = top.min();
        if (min !== undefined) for (const x of shown) expect(x.key).toBeGreaterThanOrEqual(min.key);
      }),
    );
  });

  it('takes an offer over the lowest only when it beats it', () => {
    const top = new TopN<{ key: number; index: number }>(2);
    const a = { key: 5, index: -1 };
    const b = { key: 7, index: -1 };
    const c = { key: 5, index: -1 };
    const d = { key: 9, index: -1 };
    expect(top.offer(a)).toBeNull();
    expect(top.offer(b)).toBeNull();
    expect(top.offer(c)).toBe(c);
    expect(top.offer(d)).toBe(a);
    expect(a.index).toBe(-1);
  });
});

describe('FlightRecorder', () => {
  it('keeps the last N of each ring and replays them merged in time order', () => {
    const rec = new FlightRecorder<{ at: number; life: boolean }>(
      (r) => ({ type: 'orchard.process.spawned', at: r.at, pid: '<0.1.0>' as never, parent: null, initialCall: 'x' }),
      (r) => r.life,
      3,
      2,
    );
    for (let at = 1; at <= 10; at++) rec.record({ at, life: at % 2 === 0 });
    expect(rec.backlog().map((e) => e.at)).toEqual([6, 7, 8, 9, 10]);
    expect(rec.backlog(2).map((e) => e.at)).toEqual([9, 10]);
    expect(rec.backlog(10, (r) => r.life).map((e) => e.at)).toEqual([6, 8, 10]);
  });

  it('Ring is a fixed ring, oldest first', () => {
    const r = new Ring<number>(3);
    for (let i = 0; i < 5; i++) r.push(i);
    expect(r.toArray()).toEqual([2, 3, 4]);
    expect(r.size).toBe(3);
  });
});
