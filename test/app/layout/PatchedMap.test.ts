import { describe, expect, it } from 'vitest';
import { PatchedMap } from '../../../app/layout/PatchedMap.ts';

describe('PatchedMap', () => {
  const base = () => PatchedMap.of(new Map([['a', 1], ['b', 2], ['c', 3]]));

  it('reads as the map with the changes applied, in order', () => {
    const m = base().with([['b', 20], ['d', 4], ['a', undefined], ['d', 40]]);
    expect([...m]).toEqual([['b', 20], ['c', 3], ['d', 40]]);
    expect(m.size).toBe(3);
    expect(m.get('a')).toBeUndefined();
    expect(m.has('a')).toBe(false);
    expect(m.get('d')).toBe(40);
    expect([...m.keys()]).toEqual(['b', 'c', 'd']);
    expect([...m.values()]).toEqual([20, 3, 40]);
  });

  it('leaves the map it was made from as it was', () => {
    const a = base();
    const b = a.with([['a', 10], ['c', undefined]]);
    b.with([['b', 99]]);
    expect([...a]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect([...b]).toEqual([['a', 10], ['b', 2]]);
  });

  it('folds a patch that grew large into a new base, with the same contents', () => {
    let m = PatchedMap.of(new Map(Array.from({ length: 600 }, (_, i) => [i, i] as [number, number])));
    const plain = new Map(m);
    for (let i = 0; i < 300; i++) {
      m = m.with([[i, -i], [1000 + i, i]]);
      plain.set(i, -i).set(1000 + i, i);
    }
    expect(m.size).toBe(plain.size);
    expect(new Map(m)).toEqual(plain);
  });
});
