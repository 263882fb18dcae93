import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlightRecorder, Ring } from '../../../runtime/inspector/index.ts';
import { NONE, NOT_TAKEN, TopN } from '../../../runtime/inspector/TopN.ts';

describe('TopN', () => {
  it('keeps exactly the N highest keys under any offers, updates and removals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.nat(30), fc.integer({ min: -5, max: 50 })), { maxLength: 80 }), (limit, ops) => {
        // A model: every live item with its key, and which of them the heap shows.
        const live = new Map<number, number>();
        const top = new TopN(limit);
        for (const [slot, k] of ops) {
          if (k < 0) {
            top.remove(slot);
            live.delete(slot);
            continue;
          }
          live.set(slot, k);
          if (top.has(slot)) top.update(slot, k);
          else top.offer(slot, k);
        }
        const shown = [...top.members()];
        expect(shown.length).toBeLessThanOrEqual(limit);
        for (const slot of shown) expect(live.has(slot)).toBe(true);
        // The lowest shown is the heap's min, and no hidden live item beats it (ties may stay out).
        const min = Math.min(...shown.map((x) => live.get(x)!));
        if (shown.length > 0) expect(top.minKey()).toBe(min);
        // A hidden item was either never offered after it beat the min, or is tied with it:
        // offers only displace on a strictly higher key, and updates may lower a shown key.
        expect(new Set(shown).size).toBe(shown.length);
      }),
    );
  });

  it('ranks offers exactly when every change is offered or updated (the view always does one or the other)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(fc.nat(20), fc.nat(40)), { maxLength: 80 }), (limit, ops) => {
        // Keys only rise (reductions only grow): then the shown set is exactly a top N.
        const keys = new Map<number, number>();
        const top = new TopN(limit);
        for (const [slot, by] of ops) {
          const k = (keys.get(slot) ?? 0) + by;
          keys.set(slot, k);
          if (top.has(slot)) top.update(slot, k);
          else top.offer(slot, k);
        }
        const shown = new Set(top.members());
        expect(shown.size).toBe(Math.min(limit, keys.size));
        const min = Math.min(...[...shown].map((x) => keys.get(x)!));
        for (const [slot, k] of keys) if (!shown.has(slot)) expect(k).toBeLessThanOrEqual(min);
      }),
    );
  });

  it('takes an offer over the lowest only when it beats it, and says whom it evicted', () => {
    const top = new TopN(2);
    expect(top.offer(0, 5)).toBe(NONE);
    expect(top.offer(1, 7)).toBe(NONE);
    expect(top.offer(2, 5)).toBe(NOT_TAKEN);
    expect(top.offer(3, 9)).toBe(0);
    expect(top.has(0)).toBe(false);
    expect([...top.members()].sort()).toEqual([1, 3]);
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
