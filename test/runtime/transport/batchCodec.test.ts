import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchDecoder, BatchEncoder } from '../../../runtime/transport/batchCodec.ts';
import { SharedRing } from '../../../runtime/transport/SharedRing.ts';

function roundTrip(enc: BatchEncoder, dec: BatchDecoder, batch: unknown[]): unknown[] | null {
  const n = enc.encode(batch);
  if (n < 0) return null;
  const copy = new Uint8Array(n + 8).subarray(4, 4 + n); // an even, non-zero offset, as in a ring
  copy.set(enc.bytes.subarray(0, n));
  return dec.decode(copy, new DataView(copy.buffer, copy.byteOffset, n), 0, n);
}

describe('batchCodec', () => {
  it('carries the values messages are made of, as structured clone would', () => {
    const enc = new BatchEncoder();
    const dec = new BatchDecoder();
    const batch = [3, 7, 0, '<0.12.1>', { tag: 'x', list: [1, -2.5, -0, NaN, null, undefined, true, false, 'é€😀', ''], nested: { a: { b: [] } } }];
    const back = roundTrip(enc, dec, batch)!;
    expect(back).toEqual(batch);
    expect(Object.is((back[4] as { list: number[] }).list[2], -0)).toBe(true);
  });

  it('interns pid-like strings per direction, and keeps both sides in step across batches', () => {
    const enc = new BatchEncoder();
    const dec = new BatchDecoder();
    const a = enc.encode([0, 0, 0, '<0.1.0>', 1]);
    const b = enc.encode([0, 1, 0, '<0.1.0>', 1]);
    expect(b).toBeLessThan(a);
    const dec2 = new BatchDecoder();
    const first = roundTrip(enc, dec2, [0, 2, 0, '<0.9.0>', { from: '<0.9.0>' }]);
    expect(roundTrip(enc, dec2, [0, 3, 0, '<0.9.0>', '#Ref<0.1.2>'])).toEqual([0, 3, 0, '<0.9.0>', '#Ref<0.1.2>']);
    expect(first).toEqual([0, 2, 0, '<0.9.0>', { from: '<0.9.0>' }]);
    void dec;
  });

  it('keeps its table of pids bounded when pids never repeat (a node that restarts processes for ever), and refs out of it', () => {
    const enc = new BatchEncoder();
    const dec = new BatchDecoder();
    for (let i = 0; i < 20_000; i++) {
      const batch = [0, i, 0, `<0.${i}.1>`, { from: `<0.${i}.0>` }];
      expect(roundTrip(enc, dec, batch)).toEqual(batch);
    }
    expect(enc.internedCount).toBeLessThanOrEqual(4_096 + 2);
    // A ref is made for one exchange: sent as a string each time, never kept.
    const before = enc.internedCount;
    const once = enc.encode([0, 0, 0, '#Ref<0.1.2>']);
    expect(enc.encode([0, 0, 0, '#Ref<0.1.2>'])).toBe(once);
    expect(enc.internedCount).toBe(before);
  });

  it('declines what it does not carry, so the batch goes by structured clone', () => {
    const enc = new BatchEncoder();
    for (const v of [new Map(), new Date(), new Uint8Array(2), 10n, new (class Point {})()]) expect(enc.encode([0, 0, 0, '<0.1.0>', v])).toBe(-1);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(enc.encode([0, 0, 0, '<0.1.0>', cyclic])).toBe(-1);
  });

  it('round-trips arbitrary JSON-like values (property)', () => {
    const enc = new BatchEncoder();
    const dec = new BatchDecoder();
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 20 }), (values) => {
        const batch = [0, 0, ...values];
        expect(roundTrip(enc, dec, batch)).toEqual(batch);
      }),
    );
  });
});

describe('SharedRing', () => {
  it('passes records in order through many wrap-arounds, never losing or splitting one', () => {
    const ring = new SharedRing(SharedRing.create(256));
    const sent: number[] = [];
    const got: number[] = [];
    let next = 0;
    for (let round = 0; round < 2_000; round++) {
      const len = 1 + ((round * 37) % 60);
      const payload = new Uint8Array(len).fill(next & 0xff);
      if (ring.write(payload, len)) sent.push(next++);
      if (round % 3 !== 0) {
        const at = ring.peek();
        if (at >= 0) {
          got.push(ring.bytes[at]!);
          ring.release(at);
        }
      }
    }
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      got.push(ring.bytes[at]!);
      ring.release(at);
    }
    expect(got).toEqual(sent.map((n) => n & 0xff));
    expect(sent.length).toBeGreaterThan(1_000);
  });

  it('asks for a wake-up only when the consumer said it sleeps', () => {
    const ring = new SharedRing(SharedRing.create(256));
    expect(ring.sleep()).toBe(true);
    ring.write(new Uint8Array(4), 4);
    expect(ring.wakeNeeded()).toBe(true);
    ring.write(new Uint8Array(4), 4);
    expect(ring.wakeNeeded()).toBe(false);
    expect(ring.sleep()).toBe(false); // records are waiting: stay awake
  });
});
