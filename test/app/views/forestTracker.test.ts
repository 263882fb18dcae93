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
