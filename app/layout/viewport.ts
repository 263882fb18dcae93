/**
 * Zoom and pan as a transform from world (layout) coordinates to the screen: screen = world × k
 * + (x, y). Pure functions, so fitting, zooming about the pointer and revealing a node are
 * tested without a browser.
 */

export interface Transform {
  x: number;
  y: number;
  k: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const MIN_ZOOM = 0.01;
export const MAX_ZOOM = 2.5;

export const IDENTITY: Transform = { x: 0, y: 0, k: 1 };

export function clampZoom(k: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));
}

/** The whole of `bounds` in a `viewW` × `viewH` view, centred, never zoomed in past `maxK`. */
export function fitTransform(bounds: Rect, viewW: number, viewH: number, padding = 24, maxK = 1): Transform {
  const w = Math.max(1, bounds.w);
  const h = Math.max(1, bounds.h);
  const k = clampZoom(Math.min((viewW - 2 * padding) / w, (viewH - 2 * padding) / h, maxK));
  return { k, x: (viewW - w * k) / 2 - bounds.x * k, y: (viewH - h * k) / 2 - bounds.y * k };
}

/** Zooms by `factor` keeping the world point under the screen point (px, py) in place. */
export function zoomAt(t: Transform, factor: number, px: number, py: number): Transform {
  const k = clampZoom(t.k * factor);
  const wx = (px - t.x) / t.k;
  const wy = (py - t.y) / t.k;
  return { k, x: px - wx * k, y: py - wy * k };
}

/** Puts the centre of `rect` at the centre of the view, at zoom `k` (default: the current one). */
export function centerOn(t: Transform, rect: Rect, viewW: number, viewH: number, k = t.k): Transform {
  const cx = rect.x + rect.w / 2;
  const cy = rect.y + rect.h / 2;
  return { k, x: viewW / 2 - cx * k, y: viewH / 2 - cy * k };
}

/** The part of the world the view shows. */
export function visibleWorld(t: Transform, viewW: number, viewH: number): Rect {
  return { x: -t.x / t.k, y: -t.y / t.k, w: viewW / t.k, h: viewH / t.k };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function toWorld(t: Transform, px: number, py: number): { x: number; y: number } {
  return { x: (px - t.x) / t.k, y: (py - t.y) / t.k };
}
