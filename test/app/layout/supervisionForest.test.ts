import { describe, expect, it } from 'vitest';
import { ancestorKeys, buildForest, changedKeysSince } from '../../../app/layout/supervisionForest.ts';
import { pid, world, workers } from './fixtures.ts';

const pooly = () =>
  world({
    Pooly: {
      strategy: 'one_for_all',
      intensity: 1,
      children: [{ id: 'server' }, { id: 'worker_sup', sup: { intensity: 5, restartsInWindow: 2, children: workers('w1', 'w2', 'w3') } }],
    },
  });

describe('buildForest', () => {
  it('draws each application from its master: master → root supervisor → children in start order', () => {
    const f = buildForest(pooly());
    expect(f.roots.map((r) => r.key)).toEqual(['Pooly']);
    const root = f.roots[0]!.children[0]!;
    expect(root.key).toBe('Pooly/root');
    expect(root.children.map((c) => c.childId)).toEqual(['server', 'worker_sup']);
    expect(root.children[1]!.children.map((c) => c.key)).toEqual(['Pooly/root/worker_sup/w1', 'Pooly/root/worker_sup/w2', 'Pooly/root/worker_sup/w3']);
  });

  it('gives supervisors their strategy and the restarts used in the current window', () => {
    const sup = buildForest(pooly()).byKey.get('Pooly/root/worker_sup')!;
    expect(sup).toMatchObject({ kind: 'supervisor', strategy: 'one_for_one', intensity: 5, restartsInWindow: 2 });
  });

  it('keys a child by its place, not its pid: a restart changes the pid and keeps key and shape', () => {
    const w = pooly();
    const before = buildForest(w);
    const sup = w.supervisors.get(w.at.get('Pooly/root/worker_sup')!)!;
    sup.children[1] = { ...sup.children[1]!, pid: pid(999), restarts: 1, lastExitReason: 'killed' };
    const after = buildForest(w);
    expect(after.shape).toBe(before.shape);
    const w2 = after.byKey.get('Pooly/root/worker_sup/w2')!;
    expect(w2).toMatchObject({ pid: pid(999), restarts: 1, lastExitReason: 'killed' });
    expect(after.byPid.get(pid(999))?.key).toBe('Pooly/root/worker_sup/w2');
  });

  it('shows a child its supervisor holds no pid for as restarting', () => {
    const w = world({ A: { children: [{ id: 'x', restarting: true }] } });
    expect(buildForest(w).byKey.get('A/root/x')!.status).toBe('restarting');
  });

  it('changes the shape when a child is added or removed', () => {
    const w = pooly();
    const before = buildForest(w).shape;
    w.supervisors.get(w.at.get('Pooly/root/worker_sup')!)!.children.pop();
    expect(buildForest(w).shape).not.toBe(before);
  });

  it('makes a root of a supervisor outside any application', () => {
    const w = pooly();
    w.applications = [];
    const f = buildForest(w);
    expect(f.roots).toHaveLength(1);
    expect(f.roots[0]!.key).toBe(`sup:${w.at.get('Pooly/root')}`);
    expect(f.roots[0]!.size).toBe(5);
  });

  it('lists the ancestors to expand to reveal a node, root first', () => {
    const f = buildForest(pooly());
    expect(ancestorKeys(f, 'Pooly/root/worker_sup/w3')).toEqual(['Pooly', 'Pooly/root', 'Pooly/root/worker_sup']);
  });

  it('counts descendants for a collapsed node\'s "+N"', () => {
    const f = buildForest(pooly());
    expect(f.byKey.get('Pooly')!.size).toBe(6);
    expect(f.byKey.get('Pooly/root/worker_sup')!.size).toBe(3);
  });
});

describe('buildForest with the previous forest', () => {
  it('returns the previous forest itself when no row changed', () => {
    const w = pooly();
    const before = buildForest(w);
    expect(buildForest(w, before)).toBe(before);
  });

  it('reuses the nodes of unchanged subtrees and rebuilds the path to a changed row', () => {
    const w = pooly();
    const before = buildForest(w);
    const w2pid = w.at.get('Pooly/root/worker_sup/w2')!;
    w.processes.set(w2pid, { ...w.processes.get(w2pid)!, status: 'running' });
    const after = buildForest(w, before);
    expect(after).not.toBe(before);
    expect(after.byKey.get('Pooly/root/worker_sup/w2')!.status).toBe('running');
    expect(after.byKey.get('Pooly/root/worker_sup/w1')).toBe(before.byKey.get('Pooly/root/worker_sup/w1'));
    expect(after.byKey.get('Pooly/root/server')).toBe(before.byKey.get('Pooly/root/server'));
    expect(after.byKey.get('Pooly/root/worker_sup')).not.toBe(before.byKey.get('Pooly/root/worker_sup'));
    expect(after.shape).toBe(before.shape);
  });

  it('keeps a node whose new row draws the same (only counters moved: reductions, memory)', () => {
    const w = pooly();
    const before = buildForest(w);
    const w2pid = w.at.get('Pooly/root/worker_sup/w2')!;
    const r = w.processes.get(w2pid)!;
    // A tick: the worker ran (reductions, memory) and the supervisor re-sent its row unchanged.
    w.processes.set(w2pid, { ...r, reductions: r.reductions + 500, reductionsDelta: 500, memory: r.memory + 64 });
    const sup = w.supervisors.get(w.at.get('Pooly/root/worker_sup')!)!;
    w.supervisors.set(sup.pid, { ...sup, children: sup.children.map((c) => ({ ...c })) });
    const after = buildForest(w, before);
    expect(after.byKey.get('Pooly/root/worker_sup/w2')).toBe(before.byKey.get('Pooly/root/worker_sup/w2'));
    expect(after.byKey.get('Pooly/root/worker_sup/w1')).toBe(before.byKey.get('Pooly/root/worker_sup/w1'));
    // What the tree draws did change: a message waiting in its mailbox.
    w.processes.set(w2pid, { ...w.processes.get(w2pid)!, mailbox: 3 });
    const later = buildForest(w, after);
    expect(later.byKey.get('Pooly/root/worker_sup/w2')).not.toBe(before.byKey.get('Pooly/root/worker_sup/w2'));
    expect(later.byKey.get('Pooly/root/worker_sup/w2')!.mailbox).toBe(3);
    expect(JSON.stringify(later.roots)).toBe(JSON.stringify(buildForest(w).roots));
  });

  it('builds the same forest with or without the previous one', () => {
    const w = pooly();
    const before = buildForest(w);
    const sup = w.supervisors.get(w.at.get('Pooly/root/worker_sup')!)!;
    w.supervisors.set(sup.pid, { ...sup, restartsInWindow: 4, children: sup.children.map((c, i) => (i === 0 ? { ...c, pid: pid(777), restarts: 2 } : c)) });
    const strip = (f: ReturnType<typeof buildForest>) => JSON.stringify(f.roots);
    expect(strip(buildForest(w, before))).toBe(strip(buildForest(w)));
  });
});

describe('buildForest from the previous forest', () => {
  const restart = (w: ReturnType<typeof pooly>, id: string, newPid: ReturnType<typeof pid>) => {
    const supPid = w.at.get('Pooly/root/worker_sup')!;
    const row = w.supervisors.get(supPid)!;
    const oldPid = w.at.get(`Pooly/root/worker_sup/${id}`)!;
    w.supervisors.set(supPid, { ...row, children: row.children.map((c) => (c.id === id ? { ...c, pid: newPid, restarts: c.restarts + 1 } : c)) });
    w.processes.set(newPid, { ...w.processes.get(oldPid)!, pid: newPid });
    w.processes.delete(oldPid);
    return oldPid;
  };

  it('given the pids whose rows changed, builds what a full build would', () => {
    const w = pooly();
    const before = buildForest(w);
    const old = restart(w, 'w2', pid(900));
    const hinted = buildForest(w, before, [old, pid(900)]);
    const full = buildForest(w);
    expect(hinted.byKey.get('Pooly/root/worker_sup/w2')).toEqual(full.byKey.get('Pooly/root/worker_sup/w2'));
    expect(hinted.byPid.get(pid(900))?.key).toBe('Pooly/root/worker_sup/w2');
    expect(hinted.byPid.has(old)).toBe(false);
    expect([...hinted.byKey.keys()].sort()).toEqual([...full.byKey.keys()].sort());
    // An untouched worker is the very node it was.
    expect(hinted.byKey.get('Pooly/root/worker_sup/w1')).toBe(before.byKey.get('Pooly/root/worker_sup/w1'));
  });

  it('names the nodes it rebuilt, so a comparison with the previous forest looks at those only', () => {
    const w = pooly();
    const before = buildForest(w);
    restart(w, 'w3', pid(901));
    const after = buildForest(w, before);
    const changed = changedKeysSince(before, after)!;
    expect(changed).toContain('Pooly/root/worker_sup/w3');
    expect(changed).not.toContain('Pooly/root/worker_sup/w1');
    for (const [key, n] of after.byKey) if (!changed.has(key)) expect(n).toBe(before.byKey.get(key));
    expect(changedKeysSince(after, after)).toEqual(new Set());
    expect(changedKeysSince(buildForest(pooly()), after)).toBeNull();
  });
});
