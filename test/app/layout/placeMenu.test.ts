import { describe, expect, it } from 'vitest';
import { placeMenu } from '../../../app/layout/placeMenu.ts';

describe('placeMenu', () => {
  const area = { w: 1200, h: 700 };
  const size = { w: 400, h: 300 };

  it('opens beside the pointer when nothing is in the way', () => {
    expect(placeMenu({ x: 300, y: 300 }, size, area, [])).toEqual({ left: 316, top: 260 });
  });

  it('stays inside the view', () => {
    const p = placeMenu({ x: 1190, y: 690 }, size, area, []);
    expect(p.left + size.w).toBeLessThanOrEqual(area.w - 8);
    expect(p.top + size.h).toBeLessThanOrEqual(area.h - 8);
  });

  it('moves to the other side rather than cover the nodes the blast radius marks', () => {
    const marked = [{ x: 320, y: 250, w: 220, h: 200 }];
    const p = placeMenu({ x: 300, y: 300 }, size, area, marked);
    const overlaps = p.left < 540 && p.left + size.w > 320 && p.top < 450 && p.top + size.h > 250;
    expect(overlaps).toBe(false);
  });

  it('stays next to the pointer when every nearby place covers a marked node', () => {
    // A supervisor's blast radius: most of a wide canvas, the node at the right-hand end.
    const wide = { w: 2000, h: 800 };
    const marked = [{ x: 100, y: 100, w: 1850, h: 600 }];
    const at = { x: 1800, y: 400 };
    const p = placeMenu(at, size, wide, marked);
    const dx = Math.max(0, p.left - at.x, at.x - (p.left + size.w));
    const dy = Math.max(0, p.top - at.y, at.y - (p.top + size.h));
    expect(Math.hypot(dx, dy)).toBeLessThan(100);
  });
});
