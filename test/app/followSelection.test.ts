/**
 * The selection rule after a kill, a restart or an escalation (app/store/followSelection.ts),
 * driven through the runtime store with protocol-v2 deltas, whose lifecycle facts come first.
 */
import { describe, expect, it } from 'vitest';
import type { InspectorEvent } from '../../app/protocol.ts';
import { bindSelection } from '../../app/store/followSelection.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { createUiStore } from '../../app/store/uiStore.ts';
import { delta, pid, row, smallTree, snapshot, supervisor } from './fixtures.ts';

function setup(rows = smallTree()) {
  const runtime = createRuntimeStore();
  const ui = createUiStore();
  bindSelection(runtime, ui);
  runtime.getState().ingest(snapshot(1, 10_000, rows));
  return { runtime, ui };
}

const exited = (n: number, reason: string, sup?: number, childId?: string): InspectorEvent => ({
  type: 'orchard.process.exited', at: 10_050, pid: pid(n), reason, ...(sup === undefined ? {} : { supervisor: pid(sup), childId: childId! }),
});
const restarted = (sup: number, childId: string, oldN: number, newN: number, count = 1): InspectorEvent => ({
  type: 'orchard.supervisor.restarted', at: 10_060, supervisor: pid(sup), childId, oldPid: pid(oldN), newPid: pid(newN), reason: 'killed', count,
});

describe('while the selected process lives', () => {
  it('stays, and stays armed', () => {
    const { runtime, ui } = setup();
    ui.getState().select(pid(3), true);
    runtime.getState().ingest(delta(2, 10_100, { processes: [row(3, { mailbox: 1 })] }));
    expect(ui.getState()).toMatchObject({ selected: pid(3), detailOpen: true, selectionMoved: null });
  });
});

describe('the selected process dies and its supervisor restarts it', () => {
  it('moves to the successor (same supervisor, same child id), in the same delta', () => {
    const { runtime, ui } = setup();
    ui.getState().select(pid(2), true);
    runtime.getState().ingest(delta(2, 10_100, {
      events: [exited(2, 'killed', 1, 'worker_1'), restarted(1, 'worker_1', 2, 5)],
      removed: [pid(2)], processes: [row(5, { supervisor: pid(1), parent: pid(1), childId: 'worker_1' })],
    }));
    expect(ui.getState()).toMatchObject({ selected: pid(5), detailOpen: true, selectionMoved: { from: pid(2), to: 'successor', childId: 'worker_1' } });
  });

  it('stays on the pid of a recorded moment while one is shown: the present does not move it', () => {
    const runtime = createRuntimeStore();
    const ui = createUiStore();
    let looking = true;
    bindSelection(runtime, ui, () => !looking);
    runtime.getState().ingest(snapshot(1, 10_000, smallTree()));
    ui.getState().select(pid(2), true);
    runtime.getState().ingest(delta(2, 10_100, {
      events: [exited(2, 'killed', 1, 'worker_1'), restarted(1, 'worker_1', 2, 5)],
      removed: [pid(2)], processes: [row(5, { supervisor: pid(1), parent: pid(1), childId: 'worker_1' })],
    }));
    expect(ui.getState()).toMatchObject({ selected: pid(2), selectionMoved: null });
    // Back to the present: the next change is followed again.
    looking = false;
    ui.getState().select(pid(5));
    runtime.getState().ingest(delta(3, 10_200, { events: [exited(5, 'killed', 1, 'worker_1'), restarted(1, 'worker_1', 5, 6)], removed: [pid(5)], processes: [row(6, { supervisor: pid(1), parent: pid(1), childId: 'worker_1' })] }));
    expect(ui.getState().selected).toBe(pid(6));
  });

  it('waits on the supervisor when the restart comes a tick after the death, then moves to the successor', () => {
    const { runtime, ui } = setup();
    ui.getState().select(pid(2));
    runtime.getState().ingest(delta(2, 10_100, { events: [exited(2, 'killed', 1, 'worker_1')], removed: [pid(2)] }));
    expect(ui.getState()).toMatchObject({ selected: pid(1), selectionMoved: { from: pid(2), to: 'ancestor', reason: 'killed' } });
    // A restart of another child is not the successor.
    runtime.getState().ingest(delta(3, 10_200, { events: [restarted(1, 'worker_2', 3, 6)], removed: [pid(3)], processes: [row(6, { supervisor: pid(1), childId: 'worker_2' })] }));
    expect(ui.getState().selected).toBe(pid(1));
    runtime.getState().ingest(delta(4, 10_300, { events: [restarted(1, 'worker_1', 2, 5)], processes: [row(5, { supervisor: pid(1), childId: 'worker_1' })] }));
    expect(ui.getState()).toMatchObject({ selected: pid(5), selectionMoved: { from: pid(2), to: 'successor' } });
  });

  it('does not follow once the person selected something else', () => {
    const { runtime, ui } = setup();
    ui.getState().select(pid(2));
    runtime.getState().ingest(delta(2, 10_100, { events: [exited(2, 'killed', 1, 'worker_1')], removed: [pid(2)] }));
    ui.getState().select(pid(3));
    runtime.getState().ingest(delta(3, 10_200, { events: [restarted(1, 'worker_1', 2, 5)], processes: [row(5, { supervisor: pid(1), childId: 'worker_1' })] }));
    expect(ui.getState()).toMatchObject({ selected: pid(3), selectionMoved: null });
  });
});

describe('no successor', () => {
  it('after an escalation, lands on the nearest living ancestor, marked as moved by the runtime (it arms no kill)', () => {
    // <0.9.0> root one_for_all ─ <0.1.0> worker_sup (gives up) ─ workers <0.2.0>, <0.3.0>
    const root = row(9, { name: 'Pooly.Supervisor', behaviour: 'supervisor' });
    const tree = smallTree().map((r) => (r.pid === pid(1) ? { ...r, supervisor: pid(9), parent: pid(9), childId: 'worker_sup' } : r));
    const { runtime, ui } = setup([root, ...tree]);
    ui.getState().select(pid(2));
    runtime.getState().ingest(delta(2, 10_100, {
      events: [
        exited(2, 'killed', 1, 'worker_1'),
        { type: 'orchard.supervisor.intensity_exceeded', at: 10_055, supervisor: pid(1), restarts: 4, intensity: 3, period: 5, childId: 'worker_1', reason: 'killed' },
        exited(3, 'shutdown', 1, 'worker_2'),
        exited(1, 'shutdown', 9, 'worker_sup'),
      ],
      removed: [pid(2), pid(3), pid(1)], removedSupervisors: [pid(1)],
    }));
    expect(ui.getState()).toMatchObject({ selected: pid(9), selectionMoved: { from: pid(2), to: 'ancestor' } });
    expect(runtime.getState().escalations.get(pid(1))).toMatchObject({ intensity: 3, period: 5 });
    expect(runtime.getState().departed.get(pid(1))?.reason).toBe('shutdown');
    // A fresh selection by the person clears the mark.
    ui.getState().select(pid(9));
    expect(ui.getState().selectionMoved).toBeNull();
  });

  it('walks up past a supervisor removed in the same batch, and clears when nothing is left (a v1 runtime: rows without their deaths)', () => {
    const top = row(9, { name: 'Top' });
    const tree = smallTree().map((r) => (r.pid === pid(1) ? { ...r, supervisor: pid(9) } : r));
    const { runtime, ui } = setup([top, ...tree]);
    ui.getState().select(pid(2), true);
    runtime.getState().ingest(delta(2, 10_100, { removed: [pid(2), pid(1)] }));
    expect(ui.getState().selected).toBe(pid(9));
    runtime.getState().ingest(delta(3, 10_200, { removed: [pid(9)] }));
    expect(ui.getState()).toMatchObject({ selected: null, detailOpen: false });
  });
});

describe('facts from a version-1 runtime (after the delta)', () => {
  it('completes the departed reason and still follows to the successor', () => {
    const { runtime, ui } = setup();
    ui.getState().select(pid(2));
    runtime.getState().ingest(delta(2, 10_100, { removed: [pid(2)], processes: [row(5, { supervisor: pid(1), childId: 'worker_1' })], supervisors: [supervisor(1, [['worker_1', pid(5)], ['worker_2', pid(3)]])] }));
    expect(ui.getState().selected).toBe(pid(1));
    expect(runtime.getState().departed.get(pid(2))?.reason).toBeNull();
    runtime.getState().ingest({ protocol: 'orchard-inspector', version: 1, type: 'events', events: [exited(2, 'killed'), restarted(1, 'worker_1', 2, 5)] });
    expect(runtime.getState().departed.get(pid(2))?.reason).toBe('killed');
    expect(ui.getState().selected).toBe(pid(5));
  });
});
