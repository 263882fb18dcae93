/**
 * The tree's surface: a canvas for links, far and middle zoom and animations, and above it a
 * layer of DOM cards for what is on screen at reading zoom (paintTree.ts says why). Zoom and
 * pan live in the tree view store and are applied imperatively (the canvas repaints, the card
 * layer moves by a CSS transform), so dragging never re-renders React; the card layer
 * re-renders only when the view leaves the region it was rendered for.
 */
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Forest } from '../../layout/supervisionForest.ts';
import type { PlacedNode, TreeLayout } from '../../layout/treeLayout.ts';
import { type Rect, type Transform, centerOn, fitTransform, intersects, toWorld, visibleWorld, zoomAt } from '../../layout/viewport.ts';
import type { ForestTracker } from './forestTracker.ts';
import { NodeCard } from './NodeCard.tsx';
import { type EffectsState, type ExtraEdge, type Marks, type Palette, type Scene, changedNodeRects, paintBase, paintEffects, readPalette } from './paintTree.ts';
import { treeView } from './treeViewStore.ts';
import styles from './ApplicationsView.module.css';

/** Cards are DOM from this zoom up, compact grid cells from the second. */
export const DOM_CARD_ZOOM = 0.6;
export const DOM_CELL_ZOOM = 0.85;
/** A fit that would shrink cards below this is replaced by this zoom, anchored at the top left. */
const AUTO_FIT_MIN_ZOOM = 0.3;
const MAX_DOM_NODES = 1200;

/** Application roots the canvas has shown, across mounts: a root not in it is newly started. */
let seenRoots: Set<string> | null = null;

/** The box around the placed nodes under any of `roots`. */
function subtreeBounds(forest: Forest, layout: TreeLayout, roots: ReadonlySet<string>): Rect {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of layout.nodes) {
    let k: string | null = p.key;
    while (k !== null && !roots.has(k)) k = forest.byKey.get(k)?.parentKey ?? null;
    if (k === null) continue;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + p.w);
    y1 = Math.max(y1, p.y + p.h);
  }
  return x0 === Infinity ? { x: 0, y: 0, w: layout.width, h: layout.height } : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export interface TreeCanvasProps {
  forest: Forest;
  layout: TreeLayout;
  marks: Marks;
  extraEdges: readonly ExtraEdge[];
  tracker: ForestTracker;
  onSelect(key: string, open: boolean): void;
  onMenu(key: string, x: number, y: number): void;
  onToggle(key: string): void;
  children?: ReactNode;
}

interface Region {
  rect: Rect;
  cards: boolean;
  cells: boolean;
}

export function TreeCanvas({ forest, layout, marks, extraEdges, tracker, onSelect, onMenu, onToggle, children }: TreeCanvasProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const fxRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [region, setRegion] = useState<Region>({ rect: { x: 0, y: 0, w: 0, h: 0 }, cards: true, cells: true });
  const transitions = useStore(tracker.store, (s) => s.transitions);
  const gaveUp = useStore(tracker.store, (s) => s.gaveUp);
  const gaveUpAt = useStore(tracker.store, (s) => s.gaveUpAt);
  const fitRequest = useStore(treeView, (s) => s.fitRequest);
  const reveal = useStore(treeView, (s) => s.reveal);

  // What the next frame paints; written on every render, read by the frame callback.
  const scene = useRef({ forest, layout, marks, extraEdges, size });
  scene.current = { forest, layout, marks, extraEdges, size };

  const frame = useRef(0);
  const baseDirty = useRef(true);
  const fxState = useRef<EffectsState>({ box: null, t: null });
  /** What the base canvas shows, to repaint only the nodes that changed when nothing else did. */
  const lastBase = useRef<{ layout: TreeLayout; forest: Forest; t: Transform; marks: Marks; extraEdges: readonly ExtraEdge[]; region: Region; size: { w: number; h: number } } | null>(null);
  const palette = useRef<Palette | null>(null);
  const regionRef = useRef(region);
  regionRef.current = region;

  /** Schedules a frame; `base` also repaints the nodes (new data, zoom, pan), else only the animations. */
  const invalidate = useRef((_base: boolean) => {});
  invalidate.current = (base: boolean) => {
    if (base) baseDirty.current = true;
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const sc = scene.current;
      const canvas = canvasRef.current;
      const fx = fxRef.current;
      if (canvas === null || fx === null || sc.size.w === 0) return;
      palette.current ??= readPalette(canvas);
      const t = treeView.getState().transform;
      const dpr = window.devicePixelRatio || 1;
      const painted: Scene = {
        layout: sc.layout, forest: sc.forest, marks: sc.marks,
        transitions: tracker.store.getState().transitions, extraEdges: sc.extraEdges,
        domCards: regionRef.current.cards, domCells: regionRef.current.cells,
      };
      if (baseDirty.current) {
        baseDirty.current = false;
        const ctx = canvas.getContext('2d');
        const last = lastBase.current;
        const region = regionRef.current;
        let dirty: Rect[] | null | undefined;
        if (
          last !== null && last.layout === sc.layout && last.t === t && last.marks === sc.marks && last.extraEdges === sc.extraEdges &&
          last.region === region && last.size === sc.size
        ) {
          if (last.forest === sc.forest) dirty = [];
          else {
            const skip = (p: PlacedNode) => (p.compact ? region.cells : region.cards);
            dirty = changedNodeRects(sc.layout, last.forest, sc.forest, visibleWorld(t, sc.size.w, sc.size.h), skip);
          }
        }
        if (ctx !== null && (dirty === undefined || dirty === null || dirty.length > 0)) {
          const edges = paintBase(ctx, painted, t, sc.size.w, sc.size.h, dpr, palette.current, dirty ?? undefined);
          // What the overlay of links and monitors shows, for tests to read off the canvas.
          if (dirty == null) wrapRef.current?.setAttribute('data-extra-edges', String(edges));
        }
        lastBase.current = { layout: sc.layout, forest: sc.forest, t, marks: sc.marks, extraEdges: sc.extraEdges, region, size: sc.size };
      }
      const fctx = fx.getContext('2d');
      if (fctx !== null && paintEffects(fctx, painted, t, sc.size.w, sc.size.h, dpr, palette.current, performance.now(), fxState.current)) invalidate.current(false);
    });
  };

  // Size: the canvas backing store follows the element and the device pixel ratio.
  useLayoutEffect(() => {
    const wrap = wrapRef.current!;
    const ro = new ResizeObserver(() => {
      const r = wrap.getBoundingClientRect();
      setSize((s) => (s.w === Math.round(r.width) && s.h === Math.round(r.height) ? s : { w: Math.round(r.width), h: Math.round(r.height) }));
    });
    ro.observe(wrap);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    lastBase.current = null; // resizing clears the canvases
    fxState.current = { box: null, t: null };
    for (const canvas of [canvasRef.current!, fxRef.current!]) {
      canvas.width = Math.max(1, Math.round(size.w * dpr));
      canvas.height = Math.max(1, Math.round(size.h * dpr));
      canvas.style.width = `${size.w}px`;
      canvas.style.height = `${size.h}px`;
    }
    applyTransform(treeView.getState().transform);
  }, [size]);

  // The transform: applied to the card layer and the canvas without a React render, except
  // when the view leaves the region the cards were rendered for.
  const applyTransform = (t: Transform): void => {
    const layer = layerRef.current;
    if (layer !== null) layer.style.transform = `translate(${t.x}px, ${t.y}px) scale(${t.k})`;
    const { w, h } = scene.current.size;
    if (w > 0) {
      const cards = t.k >= DOM_CARD_ZOOM;
      const cells = t.k >= DOM_CELL_ZOOM;
      const view = visibleWorld(t, w, h);
      const r = regionRef.current;
      if (cards !== r.cards || cells !== r.cells || !contains(r.rect, view)) {
        const mx = view.w * 0.3;
        const my = view.h * 0.3;
        const next = { rect: { x: view.x - mx, y: view.y - my, w: view.w + 2 * mx, h: view.h + 2 * my }, cards, cells };
        regionRef.current = next;
        setRegion(next);
      }
    }
    invalidate.current(true);
  };
  useEffect(() => treeView.subscribe((s, prev) => s.transform !== prev.transform && applyTransform(s.transform)), []);

  // Repaint after every render (new data); animate whenever a transition starts.
  useEffect(() => invalidate.current(true));
  useEffect(() => tracker.store.subscribe((s, prev) => s.transitions.size > 0 && invalidate.current(s.forest !== prev.forest)), [tracker]);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      frame.current = 0; // StrictMode remounts: a stale id would block every later frame
    },
    [],
  );

  // Fit: on request, and on every new layout until the person moves the view themselves.
  const lastFit = useRef(fitRequest);
  const bounds = useMemo(() => ({ x: 0, y: 0, w: layout.width, h: layout.height }), [layout]);
  useLayoutEffect(() => {
    if (size.w === 0 || layout.nodes.length === 0) return;
    const { userMoved } = treeView.getState();
    if (userMoved && fitRequest === lastFit.current) return;
    const explicit = fitRequest !== lastFit.current;
    lastFit.current = fitRequest;
    let t = fitTransform(bounds, size.w, size.h, 28, 1);
    if (!explicit && t.k < AUTO_FIT_MIN_ZOOM) t = { k: AUTO_FIT_MIN_ZOOM, x: 28, y: 28 };
    treeView.setState({ transform: t });
  }, [bounds, size, fitRequest, layout]);

  // A newly started application's tree comes into view, even after the person moved the view
  // (else it lands below the fold, under the legend). Roots seen are kept across tab switches.
  useLayoutEffect(() => {
    if (size.w === 0) return;
    if (layout.nodes.length === 0) {
      seenRoots ??= new Set();
      return;
    }
    const roots = forest.roots.map((r) => r.key).filter((k) => layout.byKey.has(k));
    const fresh = seenRoots === null ? [] : roots.filter((k) => !seenRoots!.has(k));
    seenRoots = new Set(roots);
    if (fresh.length === 0) return;
    const whole = fitTransform(bounds, size.w, size.h, 28, 1);
    if (whole.k >= AUTO_FIT_MIN_ZOOM) return treeView.setState({ transform: whole, userMoved: false });
    const sub = subtreeBounds(forest, layout, new Set(fresh));
    let t = fitTransform(sub, size.w, size.h, 28, 1);
    if (t.k < AUTO_FIT_MIN_ZOOM) t = { k: AUTO_FIT_MIN_ZOOM, x: 28 - sub.x * AUTO_FIT_MIN_ZOOM, y: 28 - sub.y * AUTO_FIT_MIN_ZOOM };
    treeView.setState({ transform: t, userMoved: true });
  }, [forest, layout, size, bounds]);

  // Resized (the detail panel opening beside the tree takes its right part, a window resize):
  // the selected node stays on screen, brought to the centre if the new edges cut it.
  const lastSize = useRef(size);
  useLayoutEffect(() => {
    const was = lastSize.current;
    lastSize.current = size;
    const key = scene.current.marks.selectedKey;
    if (size.w === 0 || (was.w === size.w && was.h === size.h) || key === null) return;
    const p = layout.byKey.get(key);
    if (p === undefined) return;
    const t = treeView.getState().transform;
    if (contains(visibleWorld(t, size.w, size.h), p)) return;
    treeView.setState({ transform: centerOn(t, p, size.w, size.h, t.k), userMoved: true });
  }, [size]);

  // Reveal: once the layout holds the node (its ancestors expanded), bring it to the centre.
  useLayoutEffect(() => {
    if (reveal === null || size.w === 0) return;
    const p = layout.byKey.get(reveal.key);
    if (p === undefined) return;
    const t = treeView.getState().transform;
    const view = visibleWorld(t, size.w, size.h);
    const k = reveal.zoom ? Math.max(t.k, p.compact ? 1 : 0.9) : t.k;
    const inView = k === t.k && contains(view, { x: p.x - 20, y: p.y - 20, w: p.w + 40, h: p.h + 40 });
    treeView.setState({ reveal: null, ...(inView ? {} : { transform: centerOn(t, p, size.w, size.h, k), userMoved: true }) });
  }, [reveal, layout, size]);

  // --- Pointer: drag pans, wheel zooms about the pointer, click selects, right click kills ---
  const drag = useRef<{ id: number; x: number; y: number; moved: boolean; t: Transform } | null>(null);
  const keyAt = (e: { clientX: number; clientY: number; target: EventTarget | null }): string | null => {
    const el = (e.target as HTMLElement | null)?.closest?.('[data-key]');
    if (el instanceof HTMLElement && el.dataset.key !== undefined) return el.dataset.key;
    const wrap = wrapRef.current!.getBoundingClientRect();
    const w = toWorld(treeView.getState().transform, e.clientX - wrap.left, e.clientY - wrap.top);
    const pad = 2 / treeView.getState().transform.k;
    for (const p of scene.current.layout.nodes) {
      if (w.x >= p.x - pad && w.x <= p.x + p.w + pad && w.y >= p.y - pad && w.y <= p.y + p.h + pad) return p.key;
    }
    return null;
  };

  useEffect(() => {
    const wrap = wrapRef.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = wrap.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      treeView.setState({ transform: zoomAt(treeView.getState().transform, factor, e.clientX - r.left, e.clientY - r.top), userMoved: true });
    };
    wrap.addEventListener('wheel', onWheel, { passive: false });
    return () => wrap.removeEventListener('wheel', onWheel);
  }, []);

  const cards = useMemo(() => {
    if (!region.cards) return [];
    const out = [];
    for (const p of layout.nodes) {
      if ((p.compact && !region.cells) || !intersects(p, region.rect)) continue;
      out.push(p);
      if (out.length >= MAX_DOM_NODES) break;
    }
    return out;
  }, [layout, region]);

  return (
    <div
      ref={wrapRef}
      className={styles.surface}
      data-testid="tree-surface"
      tabIndex={0}
      data-skip-target
      aria-label="Supervision trees: arrows move, Enter opens, k kills, c collapses, f fits"
      data-zoom={region.cards ? (region.cells ? 'near' : 'cards') : 'far'}
      onPointerDown={(e) => {
        if (e.button !== 0 || (e.target as HTMLElement).closest('button,[data-no-pan]')) return;
        drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, moved: false, t: treeView.getState().transform };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d === null || d.id !== e.pointerId) return;
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        if (!d.moved && Math.hypot(dx, dy) < 4) return;
        if (!d.moved) wrapRef.current!.setPointerCapture(e.pointerId);
        d.moved = true;
        treeView.setState({ transform: { k: d.t.k, x: d.t.x + dx, y: d.t.y + dy }, userMoved: true });
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (d === null || d.moved) return;
        const key = keyAt(e);
        if (key !== null) onSelect(key, false);
        wrapRef.current!.focus({ preventScroll: true });
      }}
      onDoubleClick={(e) => {
        const key = keyAt(e);
        if (key !== null) onSelect(key, true);
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        const key = keyAt(e);
        if (key === null) return;
        const r = wrapRef.current!.getBoundingClientRect();
        onMenu(key, e.clientX - r.left, e.clientY - r.top);
      }}
      onClick={(e) => {
        const t = (e.target as HTMLElement).closest('[data-toggle]');
        if (t instanceof HTMLElement && t.dataset.toggle !== undefined) onToggle(t.dataset.toggle);
      }}
    >
      <canvas ref={canvasRef} className={styles.canvas} aria-hidden="true" />
      <canvas ref={fxRef} className={styles.canvas} aria-hidden="true" />
      <div ref={layerRef} className={styles.layer} role="tree" aria-label="Supervision trees">
        {cards.map((p) => {
          const node = forest.byKey.get(p.key);
          if (node === undefined) return null;
          return (
            <NodeCard
              key={p.key}
              placed={p}
              node={node}
              selected={marks.selectedKey === p.key}
              match={marks.matches.has(p.key)}
              blast={marks.blast?.get(p.key)}
              gaveUp={(node.pid === null ? undefined : gaveUp.get(node.pid)) ?? gaveUpAt.get(node.key) ?? null}
              transition={transitions.get(p.key)}
            />
          );
        })}
      </div>
      {children}
    </div>
  );
}

function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}
