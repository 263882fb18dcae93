/**
 * Paints the supervision tree on a canvas: one element whatever the size, because 10,000 SVG
 * nodes cost ~57 ms to recolour and a canvas redraw of what is on screen costs a few
 * (runtime-perf-anchors §4.2). Only what intersects the view is drawn, with a level of
 * detail by zoom:
 *
 * - far: each process a small rectangle in its status colour, batched into one path per colour;
 * - middle: cards with a status bar and the title in a fixed-size font;
 * - near: the canvas draws links, grid blocks and animations only, and the DOM draws the cards
 *   (TreeCards.tsx), so text is crisp, selectable and reachable by keyboard and tests.
 *
 * Deaths and births are drawn as fading halos, at least a few screen pixels wide, so a kill is
 * visible even when the whole stress tree is on screen.
 */
import { DEFAULT_LAYOUT, type PlacedNode, type TreeLayout } from '../../layout/treeLayout.ts';
import { type Forest, type NodeStatus, type TreeNode, changedKeysSince } from '../../layout/supervisionForest.ts';
import { type Rect, type Transform, intersects, visibleWorld } from '../../layout/viewport.ts';
import type { Pid } from '../../protocol.ts';
import { TRANSITION_MS, type Transition, crashed } from './forestTracker.ts';

export type BlastMark = 'target' | 'dies' | 'restarted' | 'notified';

export interface Marks {
  selectedKey: string | null;
  hoverKey: string | null;
  matches: ReadonlySet<string>;
  /** While the kill menu previews a blast radius: what happens to each node. */
  blast: ReadonlyMap<string, BlastMark> | null;
  gaveUp: ReadonlyMap<Pid, unknown>;
}

export interface ExtraEdge {
  from: string;
  to: string;
  kind: 'link' | 'monitor';
}

export interface Scene {
  layout: TreeLayout;
  forest: Forest;
  marks: Marks;
  transitions: ReadonlyMap<string, Transition>;
  extraEdges: readonly ExtraEdge[];
  /** The DOM draws the full cards at this zoom. */
  domCards: boolean;
  /** The DOM draws the compact grid cells too. */
  domCells: boolean;
}

export interface Palette {
  bg: string;
  card: string;
  cardBorder: string;
  grid: string;
  link: string;
  text: string;
  textDim: string;
  selected: string;
  match: string;
  danger: string;
  warn: string;
  info: string;
  violet: string;
  accent: string;
  status: Record<NodeStatus, string>;
}

export function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const danger = v('--danger', '#e0625a');
  const warn = v('--warn', '#e5b45a');
  return {
    bg: v('--bg', '#14161b'),
    card: v('--bg-raised', '#1e222a'),
    cardBorder: v('--border-strong', '#3a4150'),
    grid: v('--bg-panel', '#181b21'),
    link: v('--border-strong', '#3a4150'),
    text: v('--text', '#d9dce2'),
    textDim: v('--text-dim', '#8c93a1'),
    selected: v('--info', '#6aa7e0'),
    match: '#f2d65c',
    danger,
    warn,
    info: v('--info', '#6aa7e0'),
    violet: v('--violet', '#b58be0'),
    accent: v('--accent', '#7fbf6a'),
    status: {
      running: v('--status-running', '#7fbf6a'),
      runnable: v('--status-runnable', '#e5b45a'),
      waiting: v('--status-waiting', '#6aa7e0'),
      exiting: v('--status-exiting', '#e0625a'),
      exited: v('--status-exited', '#5f6674'),
      restarting: warn,
      dead: '#8a3b37',
      unknown: v('--text-faint', '#5f6674'),
    },
  };
}

/** Below this many screen pixels of card height, a process is a coloured rectangle. */
const FAR_PX = 11;

/**
 * Paints what changes with the data, the zoom or the pan: links, grid blocks, nodes. Costly
 * at far zoom (every node), so it runs only when one of those changed, never for an animation.
 * Returns how many links and monitors outside the supervision edges it drew.
 */
export function paintBase(ctx: CanvasRenderingContext2D, scene: Scene, t: Transform, viewW: number, viewH: number, dpr: number, pal: Palette, dirty?: readonly Rect[]): number {
  const { layout, marks } = scene;
  const k = t.k;
  const toWorld = () => ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * t.x, dpr * t.y);
  let v: Rect;
  ctx.save();
  if (dirty === undefined) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = pal.bg;
    ctx.fillRect(0, 0, viewW, viewH);
    const view = visibleWorld(t, viewW, viewH);
    const margin = 24 / k;
    v = { x: view.x - margin, y: view.y - margin, w: view.w + 2 * margin, h: view.h + 2 * margin };
    toWorld();
  } else {
    // Only the nodes that changed: clip to them and paint what lies there again. A kill in the
    // fitted stress tree then redraws a handful of rectangles, not 10,000 (perf anchors: "drive
    // node colours by diff").
    toWorld();
    ctx.beginPath();
    for (const r of dirty) ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    ctx.fillStyle = pal.bg;
    for (const r of dirty) ctx.fillRect(r.x, r.y, r.w, r.h);
    v = boundingBox(dirty);
  }
  const dim = marks.blast !== null;

  // --- Grid blocks and supervision links ---
  ctx.fillStyle = pal.grid;
  for (const g of layout.grids) {
    if (!intersects(g, v)) continue;
    const pad = 6;
    ctx.beginPath();
    ctx.roundRect(g.x - pad, g.y - pad, g.w + 2 * pad, g.h + 2 * pad, 6);
    ctx.fill();
  }
  ctx.globalAlpha = dim ? 0.4 : 1;
  ctx.strokeStyle = pal.link;
  ctx.lineWidth = 1.25 / k;
  ctx.beginPath();
  for (const l of layout.links) {
    const x0 = Math.min(l.x1, l.x2);
    const y0 = Math.min(l.y1, l.y2);
    if (!intersects({ x: x0, y: y0, w: Math.abs(l.x2 - l.x1) + 1, h: Math.abs(l.y2 - l.y1) + 1 }, v)) continue;
    const xm = l.x1 + (l.x2 - l.x1) / 2;
    ctx.moveTo(l.x1, l.y1);
    ctx.lineTo(xm, l.y1);
    ctx.lineTo(xm, l.y2);
    ctx.lineTo(l.x2, l.y2);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;

  const edges = scene.extraEdges.length > 0 ? paintExtraEdges(ctx, scene, v, k, pal) : 0;

  // --- Nodes ---
  // A partial repaint looks only at the nodes under the dirty rectangles, not at all 10,000.
  const nodes = dirty === undefined ? layout.nodes : nodesUnder(layout, dirty);
  if (!scene.domCells) {
    if (DEFAULT_LAYOUT.nodeHeight * k < FAR_PX) {
      paintFar(ctx, scene, nodes, v, k, pal);
    } else {
      paintMiddle(ctx, scene, nodes, v, t, dpr, pal, toWorld);
    }
  }
  ctx.restore();
  return edges;
}

function boundingBox(rects: readonly Rect[]): Rect {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The world rectangles of the nodes that look different in `next` than in `painted` (a node
 * object is reused while its rows are unchanged, so identity says it), or null when too many
 * changed for a partial repaint to pay. When `next` was patched from `painted`, the forest
 * names its rebuilt nodes and only those are looked at.
 */
export function changedNodeRects(layout: TreeLayout, painted: Forest, next: Forest, view: Rect, skip: (p: PlacedNode) => boolean, limit = 200): Rect[] | null {
  const out: Rect[] = [];
  const keys = changedKeysSince(painted, next);
  const candidates = keys === null ? layout.nodes : [...keys].flatMap((k) => layout.byKey.get(k) ?? []);
  for (const p of candidates) {
    if (next.byKey.get(p.key) === painted.byKey.get(p.key) || skip(p) || !intersects(p, view)) continue;
    if (out.length >= limit) return null;
    out.push({ x: p.x - 4, y: p.y - 4, w: p.w + 8, h: p.h + 8 });
  }
  return out;
}

/** Buckets of nodes by a coarse world grid, per layout: which nodes a dirty rectangle touches. */
const BUCKET = 512;
const buckets = new WeakMap<TreeLayout, Map<number, PlacedNode[]>>();

function nodesUnder(layout: TreeLayout, rects: readonly Rect[]): PlacedNode[] {
  let index = buckets.get(layout);
  if (index === undefined) {
    index = new Map();
    for (const p of layout.nodes) {
      for (let bx = Math.floor(p.x / BUCKET); bx <= Math.floor((p.x + p.w) / BUCKET); bx++) {
        for (let by = Math.floor(p.y / BUCKET); by <= Math.floor((p.y + p.h) / BUCKET); by++) {
          const id = bx * 65536 + by;
          let list = index.get(id);
          if (list === undefined) index.set(id, (list = []));
          list.push(p);
        }
      }
    }
    buckets.set(layout, index);
  }
  const out = new Set<PlacedNode>();
  for (const r of rects) {
    for (let bx = Math.floor(r.x / BUCKET); bx <= Math.floor((r.x + r.w) / BUCKET); bx++) {
      for (let by = Math.floor(r.y / BUCKET); by <= Math.floor((r.y + r.h) / BUCKET); by++) {
        for (const p of index.get(bx * 65536 + by) ?? []) if (intersects(p, r)) out.add(p);
      }
    }
  }
  return [...out];
}

/** What the effects canvas holds: the screen box its last frame drew in, and with which transform. */
export interface EffectsState {
  box: Rect | null;
  t: Transform | null;
}

/**
 * Paints the animations on their own canvas above the base; true while they need frames.
 * Clears only where the previous frame drew (the box of its halos) unless the view moved.
 */
export function paintEffects(ctx: CanvasRenderingContext2D, scene: Scene, t: Transform, viewW: number, viewH: number, dpr: number, pal: Palette, now: number, state: EffectsState): boolean {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (state.t !== t) ctx.clearRect(0, 0, viewW, viewH);
  else if (state.box !== null) ctx.clearRect(state.box.x - 2, state.box.y - 2, state.box.w + 4, state.box.h + 4);
  state.t = t;
  state.box = null;
  if (scene.transitions.size === 0) return false;
  const k = t.k;
  const view = visibleWorld(t, viewW, viewH);
  const margin = 40 / k;
  const v: Rect = { x: view.x - margin, y: view.y - margin, w: view.w + 2 * margin, h: view.h + 2 * margin };
  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * t.x, dpr * t.y);
  const drawn: Rect[] = [];
  const animating = paintTransitions(ctx, scene, v, k, pal, now, drawn);
  if (drawn.length > 0) {
    const b = boundingBox(drawn);
    state.box = { x: b.x * k + t.x, y: b.y * k + t.y, w: b.w * k, h: b.h * k };
  }
  return animating;
}

function nodeColour(node: TreeNode | undefined, mark: BlastMark | undefined, pal: Palette): string {
  if (mark === 'target' || mark === 'dies') return pal.danger;
  if (mark === 'restarted') return pal.warn;
  if (node === undefined) return pal.status.unknown;
  return pal.status[node.status];
}

function paintFar(ctx: CanvasRenderingContext2D, scene: Scene, nodes: readonly PlacedNode[], v: Rect, k: number, pal: Palette): void {
  const { layout, forest, marks } = scene;
  // One path per colour: thousands of rects, a handful of fills.
  const paths = new Map<string, Path2D>();
  const gap = Math.min(1 / k, 2);
  for (const p of nodes) {
    if (!intersects(p, v)) continue;
    const node = forest.byKey.get(p.key);
    if (node === undefined) continue; // a leaf that left, fading (lingering.ts)
    const colour = marks.matches.has(p.key) ? pal.match : nodeColour(node, blastOf(marks, p.key), pal);
    let path = paths.get(colour);
    if (path === undefined) paths.set(colour, (path = new Path2D()));
    path.rect(p.x, p.y, Math.max(p.w - gap, p.w * 0.6), Math.max(p.h - gap, p.h * 0.6));
  }
  ctx.globalAlpha = marks.blast !== null ? 0.35 : 1;
  for (const [colour, path] of paths) {
    const emphasised = colour === pal.danger || colour === pal.warn || colour === pal.match;
    ctx.globalAlpha = marks.blast !== null && !emphasised ? 0.35 : 1;
    ctx.fillStyle = colour;
    ctx.fill(path);
  }
  ctx.globalAlpha = 1;
  const sel = marks.selectedKey === null ? undefined : layout.byKey.get(marks.selectedKey);
  if (sel !== undefined) ringAround(ctx, sel, k, pal.selected, 3);
}

function paintMiddle(ctx: CanvasRenderingContext2D, scene: Scene, nodes: readonly PlacedNode[], v: Rect, t: Transform, dpr: number, pal: Palette, toWorld: () => void): void {
  const { forest, marks } = scene;
  const k = t.k;
  const labels: Array<{ p: PlacedNode; node: TreeNode }> = [];
  for (const p of nodes) {
    if (!intersects(p, v) || (scene.domCards && !p.compact)) continue;
    const node = forest.byKey.get(p.key);
    if (node === undefined) continue;
    const mark = blastOf(marks, p.key);
    ctx.globalAlpha = marks.blast !== null && mark === undefined ? 0.35 : 1;
    if (p.h * k < FAR_PX) {
      ctx.fillStyle = marks.matches.has(p.key) ? pal.match : nodeColour(node, mark, pal);
      ctx.fillRect(p.x, p.y, p.w * 0.94, p.h * 0.9);
      continue;
    }
    ctx.fillStyle = node?.status === 'dead' ? '#241a1c' : pal.card;
    ctx.beginPath();
    ctx.roundRect(p.x, p.y, p.w, p.h, 4);
    ctx.fill();
    ctx.lineWidth = (mark !== undefined || p.key === marks.selectedKey || marks.matches.has(p.key) ? 2 : 1) / k;
    ctx.strokeStyle =
      p.key === marks.selectedKey ? pal.selected
      : mark === 'target' || mark === 'dies' ? pal.danger
      : mark === 'restarted' ? pal.warn
      : mark === 'notified' ? pal.info
      : marks.matches.has(p.key) ? pal.match
      : pal.cardBorder;
    ctx.stroke();
    ctx.fillStyle = nodeColour(node, undefined, pal);
    ctx.fillRect(p.x, p.y, Math.min(5, p.w * 0.08), p.h);
    if (node !== undefined && p.w * k >= 56) labels.push({ p, node });
  }
  ctx.globalAlpha = 1;
  if (labels.length === 0 || labels.length > 3000) return;
  // Titles at a fixed screen size: readable at any zoom that leaves room for them.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = '600 10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = pal.text;
  for (const { p, node } of labels) {
    const sx = p.x * k + t.x + 7;
    const sy = p.y * k + t.y + (p.h * k) / 2;
    const max = p.w * k - 9;
    ctx.fillText(fit(ctx, node.title, max), sx, sy);
  }
  toWorld();
}

/**
 * Links (violet, dashed) and monitors (blue, dotted, from the monitoring process) between
 * card edges, since the cards are drawn above the canvas and would hide a line from centre to
 * centre. Returns how many it drew.
 */
function paintExtraEdges(ctx: CanvasRenderingContext2D, scene: Scene, v: Rect, k: number, pal: Palette): number {
  const { layout } = scene;
  let n = 0;
  ctx.lineWidth = 1.5 / k;
  for (const kind of ['link', 'monitor'] as const) {
    ctx.strokeStyle = kind === 'link' ? pal.violet : pal.info;
    ctx.setLineDash(kind === 'link' ? [6 / k, 4 / k] : [2 / k, 4 / k]);
    ctx.beginPath();
    for (const e of scene.extraEdges) {
      if (e.kind !== kind) continue;
      const a = layout.byKey.get(e.from);
      const b = layout.byKey.get(e.to);
      if (a === undefined || b === undefined) continue;
      if (!intersects(a, v) && !intersects(b, v)) continue;
      if (++n > 4000) break;
      const ay = a.y + a.h / 2;
      const by = b.y + b.h / 2;
      if (a.x + a.w <= b.x || b.x + b.w <= a.x) {
        // Different columns: from the facing edges, an S between them.
        const [l, r, ly, ry] = a.x < b.x ? [a.x + a.w, b.x, ay, by] : [b.x + b.w, a.x, by, ay];
        const mid = (r - l) / 2;
        ctx.moveTo(l, ly);
        ctx.bezierCurveTo(l + mid, ly, r - mid, ry, r, ry);
      } else {
        // One column: out of both right edges, bowed sideways so it does not run along the
        // supervision links.
        const ax = a.x + a.w;
        const bx = b.x + b.w;
        const bow = Math.max(30, Math.abs(by - ay) * 0.25);
        ctx.moveTo(ax, ay);
        ctx.bezierCurveTo(ax + bow, ay, bx + bow, by, bx, by);
      }
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  return n;
}

function paintTransitions(ctx: CanvasRenderingContext2D, scene: Scene, v: Rect, k: number, pal: Palette, now: number, drawn: Rect[]): boolean {
  let animating = false;
  for (const tr of scene.transitions.values()) {
    const age = now - tr.at;
    if (age < 0 || age > TRANSITION_MS) continue;
    // A leaf that left keeps its slot in the layout while it fades (lingering.ts); anything
    // else that left has no place that is still its own, and is not drawn.
    const p = scene.layout.byKey.get(tr.key);
    if (p === undefined || !intersects(p, v)) {
      animating = true;
      continue;
    }
    animating = true;
    const f = age / TRANSITION_MS;
    const small = p.w * k < 14;
    const reach = (small ? 26 : 20) / k;
    drawn.push({ x: p.x - reach, y: p.y - reach, w: p.w + 2 * reach, h: p.h + 2 * reach });
    if (tr.died !== null) {
      ctx.globalAlpha = (1 - f) * 0.9;
      const colour = crashed(tr) ? pal.danger : pal.textDim;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      if (small) {
        ctx.lineWidth = 2 / k;
        ctx.beginPath();
        ctx.arc(p.x + p.w / 2, p.y + p.h / 2, (6 + 18 * f) / k, 0, Math.PI * 2);
        ctx.stroke();
      } else {
        const pad = (3 + 14 * f) / k;
        ctx.lineWidth = 3 / k;
        ctx.beginPath();
        ctx.roundRect(p.x - pad, p.y - pad, p.w + 2 * pad, p.h + 2 * pad, 6 / k);
        ctx.stroke();
        // A crash leaves a red card-shaped mark; an ordinary end only the fading outline.
        if (crashed(tr) && (!scene.forest.byKey.has(tr.key) || (tr.born === null && !scene.domCards))) {
          ctx.globalAlpha = (1 - f) * 0.35;
          ctx.fillRect(p.x, p.y, p.w, p.h);
        }
      }
    }
    if (tr.born !== null && f > 0.15) {
      ctx.globalAlpha = Math.min(1, (1 - f) * 1.4);
      ctx.strokeStyle = pal.accent;
      ctx.lineWidth = 2 / k;
      const pad = small ? 2 / k : 1 / k;
      ctx.beginPath();
      ctx.roundRect(p.x - pad, p.y - pad, p.w + 2 * pad, p.h + 2 * pad, 5 / k);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  return animating;
}

function ringAround(ctx: CanvasRenderingContext2D, p: PlacedNode, k: number, colour: string, px: number): void {
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2 / k;
  const pad = px / k;
  ctx.strokeRect(p.x - pad, p.y - pad, p.w + 2 * pad, p.h + 2 * pad);
}

function blastOf(marks: Marks, key: string): BlastMark | undefined {
  return marks.blast?.get(key);
}

function fit(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo)}…`;
}
