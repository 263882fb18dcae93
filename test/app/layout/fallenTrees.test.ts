import { describe, expect, it } from 'vitest';
import { deadCopy, fallenSince, withFallen } from '../../../app/layout/fallenTrees.ts';
import { buildForest } from '../../../app/layout/supervisionForest.ts';
import { world, workers } from './fixtures.ts';

describe('fallen trees', () => {
  const w = world({ CrashLoop: { children: [{ id: 'loop_sup', sup: { children: workers('flaky') } }] }, Pooly: { children: workers('w1') } });
  const before = buildForest(w);
  const crashLoopSups = [w.at.get('CrashLoop/root')!, w.at.get('CrashLoop/root/loop_sup')!];
  const gone = {
    ...w,
    applications: w.applications.filter((a) => a.name !== 'CrashLoop'),
    supervisors: new Map([...w.supervisors].filter(([pid]) => !crashLoopSups.includes(pid))),
  };
  const after = buildForest(gone);

  it('notices an application whose tree left the runtime', () => {
    expect(fallenSince(before, after).map((r) => r.key)).toEqual(['CrashLoop']);
    expect(fallenSince(null, after)).toEqual([]);
  });

  it('draws every process of a fallen tree dead, with the reason the runtime gave', () => {
    const root = w.at.get('CrashLoop/root')!;
    const dead = deadCopy(fallenSince(before, after)[0]!, (p) => (p === root ? 'shutdown' : null));
    expect(dead.children[0]!).toMatchObject({ status: 'dead', lastExitReason: 'shutdown' });
    expect(dead.children[0]!.children[0]!.children[0]!.status).toBe('dead');
  });

  it('adds fallen trees as roots beside the live ones, and drops one whose application is back', () => {
    const fallen = fallenSince(before, after).map((r) => deadCopy(r, () => null));
    const merged = withFallen(after, fallen);
    expect(merged.roots.map((r) => r.key)).toEqual(['Pooly', 'CrashLoop']);
    expect(merged.byKey.get('CrashLoop/root/loop_sup/flaky')?.status).toBe('dead');
    expect(merged.shape).not.toBe(after.shape);
    expect(withFallen(before, fallen)).toBe(before);
  });
});
