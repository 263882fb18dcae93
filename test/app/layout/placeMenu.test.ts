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
});
