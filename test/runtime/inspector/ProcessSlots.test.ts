import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Process } from '../../../runtime/core/Process.ts';
import { ProcessSlots } from '../../../runtime/inspector/ProcessSlots.ts';

/** Only the pid is read from a record here. */
const proc = (n: number, s = 0): Process => ({ pid: `<0.${n}.${s}>` }) as unknown as Process;

describe('ProcessSlots', () => {
  it('finds every process added and not deleted, and no other, under any adds and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 2 })), { maxLength: 400 }),
        (ops) => {
          const slots = new ProcessSlots();
          const model = new Map<string, { p: Process; slot: number }>();
          for (const [add, n, s] of ops) {
            const id = `${n}.${s}`;
            const had = model.get(id);
            if (add && had === undefined) {
              const p = proc(n, s);
              model.set(id, { p, slot: slots.add(p, s) });
            } else if (!add && had !== undefined) {
              slots.delete(had.slot);
              model.delete(id);
            }
          }
          expect(slots.size).toBe(model.size);
          for (const { p, slot } of model.values()) {
            expect(slots.find(p)).toBe(slot);
            expect(slots.procs[slot]).toBe(p);
          }
          // A record with a known pid that is not the one added is not found either.
          for (const { p } of model.values()) expect(slots.find({ pid: p.pid } as Process)).toBe(-1);
        },
      ),
    );
  });

  it('keeps lookups working across growth and shrinking, with consecutive and scattered pids', () => {
    const slots = new ProcessSlots();
    const ps = Array.from({ length: 20_000 }, (_, i) => proc(i % 2 === 0 ? i : i * 7919, i % 3));
    const at = ps.map((p, i) => slots.add(p, i % 3));
    for (let i = 0; i < ps.length; i += 2) slots.delete(at[i]!);
    for (let i = 0; i < ps.length; i++) expect(slots.find(ps[i]!)).toBe(i % 2 === 0 ? -1 : at[i]);
    for (let i = 1; i < ps.length; i += 2) slots.delete(at[i]!);
    expect(slots.size).toBe(0);
    const again = proc(42);
    expect(slots.find(again)).toBe(-1);
    expect(slots.procs[slots.add(again, 0)]).toBe(again);
  });
});
