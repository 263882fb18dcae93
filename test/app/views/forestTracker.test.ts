import { describe, expect, it } from 'vitest';
import { envelope } from '../../../app/protocol.ts';
import { createRuntimeStore } from '../../../app/store/runtimeStore.ts';
import { crashed, forestTracker } from '../../../app/views/Applications/forestTracker.ts';
import { delta, pid, smallTree, snapshot, supervisor } from '../fixtures.ts';

const GONE = 'Pool/root/worker_2';

/** Pool's worker_2 (<0.3.0>) leaves the tree, as a temporary child that ended does. */
function leave() {
  const runtime = createRuntimeStore();
  runtime.getState().ingest(snapshot(1, 10_000, smallTree()));
  const tracker = forestTracker(runtime);
  runtime.getState().ingest(delta(2, 10_100, { removed: [pid(3)], supervisors: [supervisor(1, [['worker_1', pid(2)]])] }));
  const exited = (reason: string) =>
    runtime.getState().ingest(envelope('events', { events: [{ type: 'orchard.process.exited', at: 10_090, pid: pid(3), reason }] }));
  return { tracker, exited };
}

describe('a process that leaves the tree', () => {
  it('is not drawn crashed before its exit reason is known (the exit event trails the delta)', () => {
    const { tracker } = leave();
    const t = tracker.store.getState().transitions.get(GONE)!;
    expect(t).toMatchObject({ died: pid(3), born: null, reason: null });
    expect(crashed(t)).toBe(false);
  });

  it('is drawn as ended, not crashed, once the runtime says it exited normal', () => {
    const { tracker, exited } = leave();
    exited('normal');
    const t = tracker.store.getState().transitions.get(GONE)!;
    expect(t.reason).toBe('normal');
    expect(crashed(t)).toBe(false);
  });

  it('is drawn crashed once the runtime gives an abnormal reason', () => {
    const { tracker, exited } = leave();
    exited('killed');
    expect(crashed(tracker.store.getState().transitions.get(GONE)!)).toBe(true);
  });

  it('keeps its slot in the layout input while it fades, not in the forest the cards are drawn from', () => {
    const { tracker } = leave();
    const { forest, layoutInput } = tracker.store.getState();
    expect(forest.byKey.has(GONE)).toBe(false);
    expect(layoutInput.roots[0]!.children[0]!.children.map((c) => c.key)).toEqual(['Pool/root/worker_1', GONE]);
  });
});

describe('a tree nobody is looking at', () => {
  it('is built when a view comes back, with what happened meanwhile: the new pid, and a tree that fell', () => {
    const runtime = createRuntimeStore();
    runtime.getState().ingest(snapshot(1, 10_000, smallTree()));
    const tracker = forestTracker(runtime);
    const off = tracker.store.subscribe(() => {});
    expect(tracker.store.getState().forest.byKey.get('Pool/root/worker_1')?.pid).toBe(pid(2));
    off(); // the tree's tab is left
    const seen: unknown[] = [];
    // worker_1 restarted with a new pid, then ticks: none of it reaches a listener, nobody listens.
    runtime.getState().ingest(delta(2, 10_100, { removed: [pid(2)], processes: [{ ...smallTree()[1]!, pid: pid(9) }], supervisors: [supervisor(1, [['worker_1', pid(9)], ['worker_2', pid(3)]])] }));
    runtime.getState().ingest(delta(3, 10_200));
    // Back on the tab: the forest as it is now, and the restart shown as news.
    const again = tracker.store.subscribe((s) => seen.push(s));
    const s = tracker.store.getState();
    expect(s.forest.byKey.get('Pool/root/worker_1')?.pid).toBe(pid(9));
    expect(s.transitions.get('Pool/root/worker_1')).toMatchObject({ died: pid(2), born: pid(9) });
    // While followed, each revision is built as it comes.
    runtime.getState().ingest(delta(4, 10_300, { removed: [pid(3)], supervisors: [supervisor(1, [['worker_1', pid(9)]])] }));
    expect(seen.length).toBeGreaterThan(0);
    expect(tracker.store.getState().forest.byKey.has('Pool/root/worker_2')).toBe(false);
    again();
    // The application stops while nobody looks: its tree is still drawn, fallen, when a reader asks.
    runtime.getState().ingest(delta(5, 10_400, { removed: [pid(0), pid(1), pid(9)], removedSupervisors: [pid(1)], applications: [] }));
    expect([...tracker.store.getState().fallen.keys()]).toEqual(['Pool']);
  });
});
