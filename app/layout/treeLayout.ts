/**
 * Lays the supervision forest out left to right, as Observer draws it: depth across, children
 * in start order down, with d3-hierarchy's tidy tree (Reingold–Tilford, Buchheim's linear
 * time). Pure: same forest shape and collapsed set, same layout; the view memoizes it on
 * `forest.shape`, so pids changing and statuses flipping never lay the tree out again.
 *
 * A supervisor with many leaf children (the stress tree's 100 workers per branch) gets them
 * packed into a grid block of compact cells instead of one row each: ten times less height,
 * and the tidy tree handles the block as one tall item. Items differ in height, so the
 * separation is given in pixels (nodeSize [1, 1]) from both neighbours' half heights.
 *
 * Costs (runtime-perf-anchors §4.2): d3 `tree()` takes ~26 ms for 10k items. With grids the
 * stress tree is ~200 items, so its layout is a few ms.
 */
import { type HierarchyPointNode, hierarchy, tree } from 'd3-hierarchy';
import type { Forest, TreeNode } from './supervisionForest.ts';

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  cellWidth: number;
  cellHeight: number;
  cellGap: number;
  /** A supervisor with at least this many children, all leaves, packs them into a grid. */
  gridMin: number;
  levelGap: number;
  siblingGap: number;
  cousinGap: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 216,
  nodeHeight: 56,
  cellWidth: 112,
  cellHeight: 34,
  cellGap: 4,
  gridMin: 13,
  levelGap: 56,
  siblingGap: 10,
  cousinGap: 22,
};

export interface PlacedNode {
  key: string;
  /** Top-left corner, world coordinates. */
  x: number;
  y: number;
  w: number;
  h: number;
  depth: number;
  /** A cell in a grid block (drawn small), rather than a full card. */
  compact: boolean;
  /** Descendants hidden because this node is collapsed (0 when expanded or a leaf). */
  hidden: number;
}

export interface PlacedLink {
  from: string;
  to: string;
  /** Right middle of the parent, left middle of the child (or of the grid block). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface GridBlock {
  parent: string;
  x: number;
  y: number;
  w: number;
  h: number;
  cols: number;
  keys: string[];
}

export interface TreeLayout {
  /** In depth-first start order, so a parent comes before its children. */
  nodes: PlacedNode[];
  byKey: Map<string, PlacedNode>;
  links: PlacedLink[];
  grids: GridBlock[];
  width: number;
  height: number;
}

type Item =
  | { type: 'root'; children: Item[] }
  | { type: 'node'; node: TreeNode; children: Item[] }
  | { type: 'grid'; parent: TreeNode; cells: TreeNode[]; cols: number; w: number; h: number; children: Item[] };

/** How many columns a grid of `n` cells gets: about four times wider than tall. */
export function gridColumns(n: number): number {
  return Math.max(1, Math.min(n, Math.ceil(Math.sqrt(n * 4))));
}

export function layoutForest(forest: Pick<Forest, 'roots'>, collapsed: ReadonlySet<string>, options: LayoutOptions = DEFAULT_LAYOUT): TreeLayout {
  const o = options;
  const toItem = (node: TreeNode): Item => {
    if (collapsed.has(node.key) || node.children.length === 0) return { type: 'node', node, children: [] };
    if (node.children.length >= o.gridMin && node.children.every((c) => c.children.length === 0)) {
      const n = node.children.length;
      const cols = gridColumns(n);
      const rows = Math.ceil(n / cols);
      const w = cols * o.cellWidth + (cols - 1) * o.cellGap;
      const h = rows * o.cellHeight + (rows - 1) * o.cellGap;
      return { type: 'node', node, children: [{ type: 'grid', parent: node, cells: node.children, cols, w, h, children: [] }] };
    }
    return { type: 'node', node, children: node.children.map(toItem) };
  };
  const rootItem: Item = { type: 'root', children: forest.roots.map(toItem) };
  const extent = (i: Item): number => (i.type === 'grid' ? i.h : i.type === 'node' ? o.nodeHeight : 0);
  const width = (i: Item): number => (i.type === 'grid' ? i.w : i.type === 'node' ? o.nodeWidth : 0);

  const h = hierarchy<Item>(rootItem, (i) => i.children);
  const laid = tree<Item>()
    .nodeSize([1, 1])
    .separation((a, b) => (extent(a.data) + extent(b.data)) / 2 + (a.parent === b.parent ? o.siblingGap : o.cousinGap))(h);

  // Columns as wide as their widest item, so a wide grid block never runs into the next level.
  const colWidth: number[] = [];
  laid.each((n) => {
    colWidth[n.depth] = Math.max(colWidth[n.depth] ?? 0, width(n.data));
  });
  const colX: number[] = [];
  let acc = 0;
  for (let d = 1; d < colWidth.length; d++) {
    colX[d] = acc;
    acc += (colWidth[d] ?? 0) + o.levelGap;
  }

  let minY = Infinity;
  let maxY = -Infinity;
  laid.each((n) => {
    if (n.depth === 0) return;
    minY = Math.min(minY, n.x - extent(n.data) / 2);
    maxY = Math.max(maxY, n.x + extent(n.data) / 2);
  });
  if (minY === Infinity) return { nodes: [], byKey: new Map(), links: [], grids: [], width: 0, height: 0 };

  const nodes: PlacedNode[] = [];
  const byKey = new Map<string, PlacedNode>();
  const links: PlacedLink[] = [];
  const grids: GridBlock[] = [];
  const top = (n: HierarchyPointNode<Item>) => n.x - extent(n.data) / 2 - minY;

  laid.eachBefore((n) => {
    const item = n.data;
    if (item.type === 'root') return;
    const x = colX[n.depth]!;
    const y = top(n);
    if (item.type === 'node') {
      const p: PlacedNode = {
        key: item.node.key, x, y, w: o.nodeWidth, h: o.nodeHeight, depth: n.depth - 1, compact: false,
        hidden: collapsed.has(item.node.key) ? item.node.size : 0,
      };
      nodes.push(p);
      byKey.set(p.key, p);
    } else {
      const keys: string[] = [];
      item.cells.forEach((cell, i) => {
        const p: PlacedNode = {
          key: cell.key,
          x: x + (i % item.cols) * (o.cellWidth + o.cellGap),
          y: y + Math.floor(i / item.cols) * (o.cellHeight + o.cellGap),
          w: o.cellWidth, h: o.cellHeight, depth: n.depth - 1, compact: true, hidden: 0,
        };
        nodes.push(p);
        byKey.set(p.key, p);
        keys.push(cell.key);
      });
      grids.push({ parent: item.parent.key, x, y, w: item.w, h: item.h, cols: item.cols, keys });
    }
    const parent = n.parent;
    if (parent !== null && parent.data.type === 'node') {
      const px = colX[parent.depth]! + o.nodeWidth;
      const py = top(parent) + o.nodeHeight / 2;
      links.push({ from: parent.data.node.key, to: item.type === 'node' ? item.node.key : `${item.parent.key}/*`, x1: px, y1: py, x2: x, y2: y + extent(item) / 2 });
    }
  });

  return { nodes, byKey, links, grids, width: acc - o.levelGap, height: maxY - minY };
}
