import { describe, expect, it } from 'vitest';
import { buildForest } from '../../../app/layout/supervisionForest.ts';
import { DEFAULT_LAYOUT, type PlacedNode, gridColumns, layoutForest } from '../../../app/layout/treeLayout.ts';
import { world, workers } from './fixtures.ts';

const overlap = (a: PlacedNode, b: PlacedNode) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function noOverlaps(nodes: PlacedNode[]): boolean {
  const sorted = [...nodes].sort((a, b) => a.y - b.y);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.y < sorted[i]!.y + sorted[i]!.h; j++) {
      if (overlap(sorted[i]!, sorted[j]!)) return false;
    }
  }
  return true;
}

const chain = () => world({ Chain: { strategy: 'rest_for_one', children: workers('db', 'cache', 'api', 'web') } });

const stress = (branches: number, leaves: number) =>
  world({
    Stress: {
      children: Array.from({ length: branches }, (_, b) => ({
        id: `branch_${b}`,
        sup: { children: Array.from({ length: leaves }, (_, i) => ({ id: `w${b}_${i}` })) },
      })),
    },
  });

describe('layoutForest', () => {
  it('lays depth out left to right and children in start order top to bottom', () => {
    const l = layoutForest(buildForest(chain()), new Set());
    const [master, root, db, cache, api, web] = ['Chain', 'Chain/root', 'Chain/root/db', 'Chain/root/cache', 'Chain/root/api', 'Chain/root/web'].map((k) => l.byKey.get(k)!);
    expect(master!.x).toBeLessThan(root!.x);
    expect(root!.x).toBeLessThan(db!.x);
    expect([db!.y, cache!.y, api!.y, web!.y]).toEqual([...[db!.y, cache!.y, api!.y, web!.y]].sort((a, b) => a - b));
    expect(new Set([db!.x, cache!.x, api!.x, web!.x]).size).toBe(1);
  });

  it('centres a parent on its children (tidy tree)', () => {
    const l = layoutForest(buildForest(chain()), new Set());
    const root = l.byKey.get('Chain/root')!;
    const db = l.byKey.get('Chain/root/db')!;
    const web = l.byKey.get('Chain/root/web')!;
    expect(root.y + root.h / 2).toBeCloseTo((db.y + web.y + web.h) / 2, 5);
  });

  it('never overlaps two nodes, whatever the mix of cards and grids', () => {
    const w = world({
      Mixed: {
        children: [
          { id: 'big', sup: { children: Array.from({ length: 40 }, (_, i) => ({ id: `b${i}` })) } },
          { id: 'deep', sup: { children: [{ id: 'inner', sup: { children: workers('x', 'y') } }, { id: 'z' }] } },
          { id: 'small', sup: { children: workers('s1', 's2') } },
        ],
      },
      Other: { children: workers('o1') },
    });
    const l = layoutForest(buildForest(w), new Set());
    expect(noOverlaps(l.nodes)).toBe(true);
  });

  it('packs a supervisor with many leaf children into a grid of compact cells', () => {
    const l = layoutForest(buildForest(stress(2, 100)), new Set());
    expect(l.grids).toHaveLength(2);
    expect(l.grids[0]!.cols).toBe(gridColumns(100));
    const cell = l.byKey.get('Stress/root/branch_0/w0_0')!;
    expect(cell).toMatchObject({ compact: true, w: DEFAULT_LAYOUT.cellWidth });
    expect(noOverlaps(l.nodes)).toBe(true);
  });

  it('keeps a few leaf children as full cards (Pooly\'s five workers)', () => {
    const l = layoutForest(buildForest(world({ P: { children: workers('1', '2', '3', '4', '5') } })), new Set());
    expect(l.grids).toHaveLength(0);
    expect(l.nodes.filter((n) => n.compact)).toHaveLength(0);
  });

  it('hides a collapsed node\'s descendants and says how many', () => {
    const l = layoutForest(buildForest(chain()), new Set(['Chain/root']));
    expect(l.byKey.has('Chain/root/db')).toBe(false);
    expect(l.byKey.get('Chain/root')!.hidden).toBe(4);
  });

  it('links each parent to each child, and to a grid block once', () => {
    const l = layoutForest(buildForest(stress(3, 50)), new Set());
    // master→root, root→3 branches, 3 branches→their grid
    expect(l.links).toHaveLength(1 + 3 + 3);
  });

  it('lays out the 10,000-process stress tree in one pass with every process placed', () => {
    const f = buildForest(stress(99, 100));
    const l = layoutForest(f, new Set());
    expect(l.nodes).toHaveLength(f.byKey.size);
    expect(l.nodes.length).toBe(1 + 1 + 99 + 9900);
    expect(noOverlaps(l.nodes)).toBe(true);
  });
});
