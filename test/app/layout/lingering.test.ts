import { describe, expect, it } from 'vitest';
import { departedLeaves, withLingering, type Lingering } from '../../../app/layout/lingering.ts';
import { buildForest } from '../../../app/layout/supervisionForest.ts';
import { layoutForest } from '../../../app/layout/treeLayout.ts';
import { intersects } from '../../../app/layout/viewport.ts';
import { world, workers } from './fixtures.ts';

// Pooly and InfoSys side by side, as the demos start them; InfoSys's task supervisor runs
// three tasks, then the first one finishes and leaves the tree.
const TASKS = 'InfoSys/root/tasks';
const demos = (...tasks: string[]) =>
  world({
    Pooly: { children: [{ id: 'server' }, { id: 'worker_sup', sup: { children: workers('worker_1', 'worker_2', 'worker_3', 'worker_4', 'worker_5') } }] },
    InfoSys: { children: [{ id: 'cache' }, { id: 'tasks', sup: { children: workers(...tasks) } }, { id: 'client' }] },
  });
const prev = buildForest(demos('1', '2', '3'));
// Same pids for the tasks that stay: rebuild from the three-task world minus the first.
const next = (() => {
  const w = demos('1', '2', '3');
  const sup = w.at.get(TASKS)!;
  const row = w.supervisors.get(sup)!;
  w.supervisors.set(sup, { ...row, children: row.children.slice(1) });
  return buildForest(w);
})();
const lingeringFrom = (a: typeof prev, b: typeof prev) =>
  new Map<string, Lingering>(departedLeaves(a, b).map((l) => [l.node.key, { ...l, until: Infinity }]));

describe('a leaf that left keeps its slot while it fades', () => {
  it('finds the leaves that left under a parent still there, with their place among its children', () => {
    expect(departedLeaves(prev, next).map((l) => [l.node.key, l.index])).toEqual([[`${TASKS}/1`, 0]]);
    expect(departedLeaves(next, next)).toEqual([]);
  });

  it('fades a finished task out where it was beside its supervisor, over no other process', () => {
    const before = layoutForest(prev, new Set());
    const task = before.byKey.get(`${TASKS}/1`)!;
    // Laid out without it, its siblings close up: its old place is another process's now.
    const closedUp = layoutForest(next, new Set());
    expect(closedUp.nodes.filter((p) => intersects(p, task)).map((p) => p.key)).toEqual([`${TASKS}/2`]);

    const kept = layoutForest(withLingering(next, lingeringFrom(prev, next)), new Set());
    const slot = kept.byKey.get(`${TASKS}/1`)!;
    const sup = kept.byKey.get(TASKS)!;
    const oldSup = before.byKey.get(TASKS)!;
    expect([slot.x - sup.x, slot.y - sup.y]).toEqual([task.x - oldSup.x, task.y - oldSup.y]);
    expect(kept.nodes.filter((p) => p !== slot && intersects(p, slot)).map((p) => p.key)).toEqual([]);
  });

  it('lays out the live forest alone once the slot is dropped or the key is back', () => {
    expect(withLingering(next, new Map())).toBe(next);
    expect(withLingering(prev, lingeringFrom(prev, next))).toBe(prev);
  });
});
