import { describe, expect, it } from 'vitest';
import { LIMITS, preview } from '../../../runtime/protocol/index.ts';

describe('preview', () => {
  it('writes values the way a person reads them, pids bare', () => {
    expect(preview({ from: '<0.12.0>', n: 1, tags: ['a'], ok: true, none: null }).preview).toBe('{from: <0.12.0>, n: 1, tags: ["a"], ok: true, none: null}');
    expect(preview(new Map([['k', 1]])).preview).toBe('Map{"k" => 1}');
    expect(preview(new Set([1])).preview).toBe('Set{1}');
    expect(preview(10n).preview).toBe('10n');
    expect(preview(function named() {}).preview).toBe('#Function<named>');
    expect(preview(new Error('boom')).preview).toBe('Error: boom');
    expect(preview(undefined).preview).toBe('undefined');
  });

  it('cuts at the size limit and says so', () => {
    const p = preview('x'.repeat(10_000));
    expect(p.truncated).toBe(true);
    expect(p.preview.length).toBeLessThanOrEqual(LIMITS.previewChars + 1);
  });

  it('stops early on a huge array instead of walking it all', () => {
    const big = new Array(2_000_000).fill(7);
    const t0 = performance.now();
    const p = preview(big, 100);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(p.truncated).toBe(true);
  });

  it('survives cycles, deep nesting and throwing getters', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(preview(a).preview).toBe('{name: "a", self: ⟨circular⟩}');
    let deep: unknown = 1;
    for (let i = 0; i < 50; i++) deep = [deep];
    expect(preview(deep).preview).toContain('[…]');
    const evil = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(preview(evil).preview).toBe('{x: ⟨getter threw⟩}');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(preview(revoked.proxy).truncated).toBe(true);
  });

  it('names the class of a class instance', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    expect(preview(new Point(1)).preview).toBe('Point {x: 1}');
  });
});
