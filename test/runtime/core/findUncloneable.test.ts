import { describe, expect, it } from 'vitest';
import { findUncloneable } from '../../../runtime/core/findUncloneable.ts';

describe('findUncloneable', () => {
  it('passes what structured clone copies (DESIGN decision 3)', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const v of [1, 'text', null, undefined, true, 10n, [1, [2, { x: 3 }]], { nested: { deep: [new Date(), /re/g] } },
      new Map([[1, { a: 2 }]]), new Set(['a']), new Uint8Array(4), new ArrayBuffer(8), new Error('boom'), cyclic]) {
      expect(findUncloneable(v)).toBeNull();
    }
  });

  it('names a function and where it sits', () => {
    expect(findUncloneable({ a: [1, { handler: function onTick() {} }] })).toBe('a function (onTick) at a[1].handler');
    expect(findUncloneable(() => 1)).toMatch(/^a function/);
  });

  it('names symbols, promises, weak collections and generators', () => {
    expect(findUncloneable({ s: Symbol('x') })).toBe('a symbol (Symbol(x)) at s');
    expect(findUncloneable([Promise.resolve()])).toBe('a Promise at [0]');
    expect(findUncloneable({ w: new WeakMap() })).toBe('a WeakMap at w');
    expect(findUncloneable((function* g() {})())).toBe('a generator');
  });

  it('looks inside Maps and Sets', () => {
    expect(findUncloneable(new Map([['k', () => 1]]))).toMatch(/function .* at .get\("k"\)|function .* at get\("k"\)/);
    expect(findUncloneable(new Set([Symbol('y')]))).toMatch(/symbol/);
  });

  it('refuses a class instance, which structured clone would turn into a plain object without its prototype (issue 13.4)', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    expect(findUncloneable(new Point(1))).toMatch(/^an instance of Point\b/);
    expect(findUncloneable({ at: [new Point(1)] })).toMatch(/instance of Point.* at at\[0\]$/);
    // Built-ins that clone faithfully pass.
    expect(findUncloneable({ d: new Date(0), r: /x/, e: new Error('e'), m: new Map([[1, new Set([2])]]), b: new Uint8Array(2) })).toBeNull();
  });
});
