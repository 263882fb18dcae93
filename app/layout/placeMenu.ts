import type { Rect } from './viewport.ts';

/**
 * Where the menu goes: the first of right of the pointer, left of it, below, above, then the
 * corners, that covers none of the nodes it is about (the blast radius drawn on the tree); when
 * every place covers some, the one that covers least.
 */
export function placeMenu(at: { x: number; y: number }, size: { w: number; h: number }, area: { w: number; h: number }, avoid: readonly Rect[]): { left: number; top: number } {
  const { w, h } = size;
  const candidates = [
    [at.x + 16, at.y - 40],
    [at.x - w - 16, at.y - 40],
    [at.x - w / 2, at.y + 24],
    [at.x - w / 2, at.y - h - 24],
    [8, 8],
    [area.w - w - 8, 8],
    [8, area.h - h - 8],
    [area.w - w - 8, area.h - h - 8],
  ] as const;
  let best = { left: 8, top: 8 };
  let bestScore = Infinity;
  for (const [x, y] of candidates) {
    const left = Math.max(8, Math.min(x, area.w - w - 8));
    const top = Math.max(8, Math.min(y, area.h - h - 8));
    let covered = 0;
    for (const r of avoid) {
      const ox = Math.max(0, Math.min(left + w, r.x + r.w) - Math.max(left, r.x));
      const oy = Math.max(0, Math.min(top + h, r.y + r.h) - Math.max(top, r.y));
      covered += ox * oy;
    }
    if (covered === 0) return { left, top };
    if (covered < bestScore) {
      bestScore = covered;
      best = { left, top };
    }
  }
  return best;
}
