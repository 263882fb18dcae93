import type { Rect } from './viewport.ts';

/**
 * Where the menu goes: the first of right of the pointer, left of it, below, above, then the four
 * diagonals, that covers none of the nodes it is about (the blast radius drawn on the tree); when
 * every place covers some, the one that covers least. Always next to the pointer: a menu in a far
 * corner of a wide canvas is a menu the person does not see open.
 */
/** How far from the pointer (px) the menu may open to keep the marked nodes clear. */
const MAX_DISTANCE = 400;

export function placeMenu(at: { x: number; y: number }, size: { w: number; h: number }, area: { w: number; h: number }, avoid: readonly Rect[]): { left: number; top: number } {
  const { w, h } = size;
  const near: Array<readonly [number, number]> = [
    [at.x + 16, at.y - 40],
    [at.x - w - 16, at.y - 40],
    [at.x - w / 2, at.y + 24],
    [at.x - w / 2, at.y - h - 24],
    [at.x + 16, at.y + 24],
    [at.x - w - 16, at.y + 24],
    [at.x + 16, at.y - h - 24],
    [at.x - w - 16, at.y - h - 24],
  ];
  // Just outside the marked nodes, level with the pointer: still beside what is being killed.
  const beyond: Array<readonly [number, number]> = [];
  if (avoid.length > 0) {
    const left = Math.min(...avoid.map((r) => r.x));
    const right = Math.max(...avoid.map((r) => r.x + r.w));
    const top = Math.min(...avoid.map((r) => r.y));
    const bottom = Math.max(...avoid.map((r) => r.y + r.h));
    beyond.push([right + 16, at.y - 40], [left - w - 16, at.y - 40], [at.x - w / 2, bottom + 16], [at.x - w / 2, top - h - 16]);
  }
  const place = ([x, y]: readonly [number, number]) => ({
    left: Math.max(8, Math.min(x, area.w - w - 8)),
    top: Math.max(8, Math.min(y, area.h - h - 8)),
  });
  const covered = (p: { left: number; top: number }): number => {
    let sum = 0;
    for (const r of avoid) {
      const ox = Math.max(0, Math.min(p.left + w, r.x + r.w) - Math.max(p.left, r.x));
      const oy = Math.max(0, Math.min(p.top + h, r.y + r.h) - Math.max(p.top, r.y));
      sum += ox * oy;
    }
    return sum;
  };
  const distance = (p: { left: number; top: number }): number =>
    Math.hypot(Math.max(0, p.left - at.x, at.x - (p.left + w)), Math.max(0, p.top - at.y, at.y - (p.top + h)));
  for (const c of near) {
    const p = place(c);
    if (covered(p) === 0) return p;
  }
  for (const c of beyond) {
    const p = place(c);
    if (covered(p) === 0 && distance(p) <= MAX_DISTANCE) return p;
  }
  let best = place(near[0]!);
  let bestScore = Infinity;
  for (const c of near) {
    const p = place(c);
    const score = covered(p);
    if (score < bestScore) {
      bestScore = score;
      best = p;
    }
  }
  return best;
}
