import { describe, expect, it } from 'vitest';
import { crossEdges } from '../../../app/layout/extraEdges.ts';
import { buildForest } from '../../../app/layout/supervisionForest.ts';
import { linkRows, world, workers } from './fixtures.ts';

describe('crossEdges', () => {
  const w = world({ A: { children: workers('a', 'b', 'c') } });
  linkRows(w, w.at.get('A/root/a')!, w.at.get('A/root/c')!);
  w.processes.get(w.at.get('A/root/b')!)!.monitors.push(w.at.get('A/root/c')!);
  const f = buildForest(w);

  it('leaves out the supervision links (supervisor to child, master to root)', () => {
    expect(crossEdges(f, w.processes, { links: true, monitors: false })).toEqual([{ from: 'A/root/a', to: 'A/root/c', kind: 'link' }]);
  });

  it('draws a link once, though both ends list it', () => {
    expect(crossEdges(f, w.processes, { links: true, monitors: false })).toHaveLength(1);
  });

  it('draws monitors from the monitoring process to its target, on request only', () => {
    expect(crossEdges(f, w.processes, { links: false, monitors: true })).toEqual([{ from: 'A/root/b', to: 'A/root/c', kind: 'monitor' }]);
    expect(crossEdges(f, w.processes, { links: false, monitors: false })).toEqual([]);
  });
});
