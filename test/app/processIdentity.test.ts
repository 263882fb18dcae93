import { describe, expect, it } from 'vitest';
import { identityOf, resolveIdentity } from '../../app/store/processIdentity.ts';
import type { Pid, SupervisorRow } from '../../app/protocol.ts';
import { pid, row } from './fixtures.ts';

function sup(p: Pid, children: Array<[string, Pid | null]>): SupervisorRow {
  return {
    pid: p, strategy: 'one_for_one', intensity: 3, period: 5, restartsInWindow: 0,
    children: children.map(([id, c]) => ({ id, pid: c, type: 'worker', restart: 'permanent', restarts: 0, lastExitReason: null, lastRestartAt: null })),
  };
}

// Pooly as a fresh runtime starts it: master 1, root 2 (registered), worker_sup 3, workers 4 and 5.
function pooly(offset: number) {
  const p = (n: number) => pid(n + offset);
  const rows = [
    row(1 + offset, { label: 'application_master Pooly' }),
    row(2 + offset, { name: 'Pooly.Supervisor' }),
    row(3 + offset, { supervisor: p(2), childId: 'worker_sup' }),
    row(4 + offset, { supervisor: p(3), childId: 'worker_1' }),
    row(5 + offset, { supervisor: p(3), childId: 'worker_2' }),
  ];
  return {
    processes: new Map(rows.map((r) => [r.pid, r])),
    supervisors: new Map([[p(2), sup(p(2), [['worker_sup', p(3)]])], [p(3), sup(p(3), [['worker_1', p(4)], ['worker_2', p(5)]])]]),
    applications: [{ name: 'Pooly', master: p(1), root: p(2) }],
  };
}

describe('process identity across a runtime restart', () => {
  it('names a supervised child by its place in the tree, and finds it again under new pids', () => {
    const before = pooly(0);
    expect(identityOf(before, pid(5))).toBe('Pooly/root/worker_sup/worker_2');
    expect(identityOf(before, pid(2))).toBe('Pooly.Supervisor');
    expect(identityOf(before, pid(1))).toBe('Pooly');
    const after = pooly(100);
    expect(resolveIdentity(after, 'Pooly/root/worker_sup/worker_2')).toBe(pid(105));
    expect(resolveIdentity(after, 'Pooly.Supervisor')).toBe(pid(102));
    expect(resolveIdentity(after, 'Pooly')).toBe(pid(101));
  });

  it('finds nothing for a place or a name that no longer exists', () => {
    const after = pooly(100);
    expect(resolveIdentity(after, 'Pooly/root/worker_sup/worker_9')).toBeNull();
    expect(resolveIdentity(after, 'Counter')).toBeNull();
  });

  it('gives no identity to a process outside the trees', () => {
    const s = pooly(0);
    s.processes.set(pid(50), row(50));
    expect(identityOf(s, pid(50))).toBeNull();
  });
});
