import { describe, expect, it } from 'vitest';
import { envelope } from '../../app/protocol.ts';
import { EVENT_CAPACITY, createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { delta, pid, row, smallTree, snapshot, supervisor } from './fixtures.ts';

describe('snapshot', () => {
  it('replaces the process table, supervisors, applications and node stats', () => {
    const store = createRuntimeStore();
    store.getState().ingest(snapshot(1, 10_000, smallTree()));
    const s = store.getState();
    expect([...s.processes.keys()]).toEqual([pid(1), pid(2), pid(3)]);
    expect(s.supervisors.get(pid(1))?.children.map((c) => c.pid)).toEqual([pid(2), pid(3)]);
    expect(s.applications).toEqual([{ name: 'Pool', master: pid(0), root: pid(1) }]);
    expect(s.available.map((a) => a.name)).toEqual(['Pool']);
    expect(s.node?.processes).toBe(3);
    expect(s.revision).toBe(1);
    expect(s.lastChange).toEqual({ added: [pid(1), pid(2), pid(3)], removed: [], updated: [], full: true, facts: [] });
  });

  it('calls a missing process removed only when the snapshot lists every process', () => {
    const store = createRuntimeStore();
    store.getState().ingest(snapshot(1, 10_000, smallTree()));
    // Top 2 of 3: pid 3 may only have dropped out of the top N.
    store.getState().ingest(snapshot(2, 10_100, smallTree().slice(0, 2), { processTotal: 3 }));
    expect(store.getState().lastChange.removed).toEqual([]);
    const complete = createRuntimeStore();
    complete.getState().ingest(snapshot(1, 10_000, smallTree()));
    complete.getState().ingest(snapshot(2, 10_200, smallTree().slice(0, 2)));
    expect(complete.getState().lastChange.removed.map((r) => r.pid)).toEqual([pid(3)]);
  });
});

describe('delta', () => {
  it('adds and updates whole rows and bumps the revision', () => {
    const store = createRuntimeStore();
    store.getState().ingest(snapshot(1, 10_000, smallTree()));
    store.getState().ingest(delta(2, 10_100, { processes: [row(3, { mailbox: 9 }), row(4, { label: 'new' })] }));
    const s = store.getState();
    expect(s.processes.get(pid(3))?.mailbox).toBe(9);
    expect(s.processes.get(pid(4))?.label).toBe('new');
    expect(s.lastChange.added).toEqual([pid(4)]);
    expect(s.lastChange.updated).toEqual([pid(3)]);
    expect(s.revision).toBe(2);
    expect(s.seq).toBe(2);
  });

  it('removes processes and supervisors, and remembers the departed with the reason of the death in the same delta (v2)', () => {
    const store = createRuntimeStore();
    store.getState().ingest(snapshot(1, 10_000, smallTree()));
    const death = { type: 'orchard.process.exited', at: 10_050, pid: pid(2), reason: 'killed', supervisor: pid(1), childId: 'worker_1' } as const;
    store.getState().ingest(delta(2, 10_100, { events: [death], removed: [pid(2)], processes: [row(5, { supervisor: pid(1), childId: 'worker_1' })], supervisors: [supervisor(1, [['worker_1', pid(5)], ['worker_2', pid(3)]])] }));
    const s = store.getState();
    expect(s.processes.has(pid(2))).toBe(false);
    expect(s.lastChange.removed.map((r) => r.pid)).toEqual([pid(2)]);
    expect(s.departed.get(pid(2))).toMatchObject({ at: 10_100, reason: 'killed' });
    expect(s.lastChange.facts).toEqual([death]);
    expect(s.events).toEqual([death]);
    expect(s.supervisors.get(pid(1))?.children[0]?.pid).toBe(pid(5));
    store.getState().ingest(delta(3, 10_200, { removedSupervisors: [pid(1)], removed: [pid(1)] }));
    expect(store.getState().supervisors.size).toBe(0);
  });

  it('sets reductionsDelta to 0 for quiet pids, as new row objects', () => {
    const store = createRuntimeStore();
    store.getState().ingest(snapshot(1, 10_000, smallTree().map((r) => ({ ...r, reductionsDelta: 4 }))));
    const before = store.getState().processes.get(pid(2));
    store.getState().ingest(delta(2, 10_100, { quiet: [pid(2)] }));
    const after = store.getState().processes.get(pid(2));
    expect(after?.reductionsDelta).toBe(0);
    expect(after).not.toBe(before);
    expect(before?.reductionsDelta).toBe(4);
  });

  it('ignores a delta older than the snapshot it follows', () => {
    const store = createRuntimeStore();
    store.getState().ingest(snapshot(5, 10_000, smallTree()));
    store.getState().ingest(delta(4, 9_900, { removed: [pid(2)] }));
    expect(store.getState().processes.has(pid(2))).toBe(true);
    expect(store.getState().revision).toBe(1);
  });
});

describe('history', () => {
  it('samples node and scheduler stats at most once per sample interval', () => {
    const store = createRuntimeStore();
    const h = store.getState().history;
    h.sampleMs = 500;
    store.getState().ingest(snapshot(1, 10_000, smallTree()));
    store.getState().ingest(delta(2, 10_100));
    store.getState().ingest(delta(3, 10_500));
    expect(h.time.toArray()).toEqual([10, 10.5]);
    expect(h.utilization.get(0)?.toArray()).toEqual([0.25, 0.5]);
    expect(h.runQueue.get(0)?.toArray()).toEqual([1, 2]);
    expect(h.processes.toArray()).toEqual([3, 3]);
  });
});

describe('events', () => {
  it('appends live events and keeps at most EVENT_CAPACITY', () => {
    const store = createRuntimeStore();
    const many = Array.from({ length: EVENT_CAPACITY + 10 }, (_, i) => ({ type: 'orchard.process.exited' as const, at: i, pid: pid(i), reason: 'normal' }));
    store.getState().ingest(envelope('events', { events: many }));
    const s = store.getState();
    expect(s.events).toHaveLength(EVENT_CAPACITY);
    expect(s.events[0]?.at).toBe(10);
    expect(s.eventsRevision).toBe(1);
  });

  it('merges a replayed backlog with what it already kept, without duplicates', () => {
    const store = createRuntimeStore();
    const e = (at: number) => ({ type: 'orchard.process.spawned' as const, at, pid: pid(at), parent: null, initialCall: 'x' });
    store.getState().ingest(envelope('events', { events: [e(1), e(2), e(3)] }));
    store.getState().ingest(envelope('events', { events: [e(2), e(3), e(4)], backlog: true }));
    expect(store.getState().events.map((x) => x.at)).toEqual([1, 2, 3, 4]);
  });
});

describe('details and connection', () => {
  it('keeps the watched process detail until forgotten', () => {
    const store = createRuntimeStore();
    store.getState().ingest(envelope('process_detail', { pid: pid(2), detail: null }));
    expect(store.getState().details.has(pid(2))).toBe(true);
    store.getState().forgetDetail(pid(2));
    expect(store.getState().details.has(pid(2))).toBe(false);
  });

  it('records the welcome identity and grants, and a refusal with its reason', () => {
    const store = createRuntimeStore();
    store.getState().ingest(envelope('welcome', { runtime: { name: 'page', version: '0.1.0', startedAt: 1, schedulers: 1 }, granted: ['observe'], versions: [1] }));
    expect(store.getState().connection).toMatchObject({ status: 'connected', granted: ['observe'] });
    store.getState().ingest(envelope('refused', { reason: 'origin not listed', code: 'origin_not_allowed' }));
    expect(store.getState().connection.status).toBe('refused');
    expect(store.getState().connection.message).toMatch(/\borigin not listed\b/);
    store.getState().ingest(envelope('goodbye', { reason: 'page unloading' }));
    expect(store.getState().connection).toMatchObject({ status: 'gone', message: 'page unloading' });
  });
});
