import { describe, expect, it } from 'vitest';
import { MAX_ZOOM, centerOn, fitTransform, visibleWorld, zoomAt } from '../../../app/layout/viewport.ts';

describe('viewport', () => {
  it('fits a tall tree by its height and centres it', () => {
    const t = fitTransform({ x: 0, y: 0, w: 100, h: 1000 }, 500, 500, 0);
    expect(t.k).toBeCloseTo(0.5);
    expect(t.x).toBeCloseTo((500 - 50) / 2);
    expect(t.y).toBeCloseTo(0);
  });

  it('never zooms a small tree in past 1:1 when fitting', () => {
    expect(fitTransform({ x: 0, y: 0, w: 10, h: 10 }, 800, 600).k).toBe(1);
  });

  it('keeps the point under the pointer still when zooming', () => {
    const t = zoomAt({ x: 30, y: 40, k: 1 }, 2, 100, 100);
    const before = { x: (100 - 30) / 1, y: (100 - 40) / 1 };
    expect((100 - t.x) / t.k).toBeCloseTo(before.x);
    expect((100 - t.y) / t.k).toBeCloseTo(before.y);
    expect(zoomAt(t, 1000, 0, 0).k).toBe(MAX_ZOOM);
  });

  it('centres a node to reveal it, and the visible world then contains it', () => {
    const rect = { x: 5000, y: 9000, w: 200, h: 50 };
    const t = centerOn({ x: 0, y: 0, k: 0.5 }, rect, 800, 600, 1);
    const v = visibleWorld(t, 800, 600);
    expect(v.x).toBeLessThan(rect.x);
    expect(v.x + v.w).toBeGreaterThan(rect.x + rect.w);
    expect(v.y).toBeLessThan(rect.y);
    expect(v.y + v.h).toBeGreaterThan(rect.y + rect.h);
  });
});
