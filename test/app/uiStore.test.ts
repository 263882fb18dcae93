import { describe, expect, it } from 'vitest';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { bindSelection, createUiStore } from '../../app/store/uiStore.ts';
import { readUrlState, writeUrlState } from '../../app/store/urlState.ts';
import { delta, pid, row, smallTree, snapshot } from './fixtures.ts';

describe('selection across refreshes', () => {
  it('keeps the selected process while it lives', () => {
    const runtime = createRuntimeStore();
    const ui = createUiStore();
    bindSelection(runtime, ui);
    runtime.getState().ingest(snapshot(1, 10_000, smallTree()));
    ui.getState().select(pid(3), true);
    runtime.getState().ingest(delta(2, 10_100, { processes: [row(3, { mailbox: 1 })] }));
    expect(ui.getState()).toMatchObject({ selected: pid(3), detailOpen: true });
  });

  it('selects the supervisor when the selected process is removed', () => {
    const runtime = createRuntimeStore();
    const ui = createUiStore();
    bindSelection(runtime, ui);
    runtime.getState().ingest(snapshot(1, 10_000, smallTree()));
    ui.getState().select(pid(2), true);
    runtime.getState().ingest(delta(2, 10_100, { removed: [pid(2)] }));
    expect(ui.getState()).toMatchObject({ selected: pid(1), detailOpen: true });
  });

  it('walks up past a supervisor removed in the same batch, and clears when nothing is left', () => {
    const runtime = createRuntimeStore();
    const ui = createUiStore();
    bindSelection(runtime, ui);
    const top = row(9, { name: 'Top' });
    const tree = smallTree().map((r) => (r.pid === pid(1) ? { ...r, supervisor: pid(9) } : r));
    runtime.getState().ingest(snapshot(1, 10_000, [top, ...tree]));
    ui.getState().select(pid(2), true);
    runtime.getState().ingest(delta(2, 10_100, { removed: [pid(2), pid(1)] }));
    expect(ui.getState().selected).toBe(pid(9));
    runtime.getState().ingest(delta(3, 10_200, { removed: [pid(9)] }));
    expect(ui.getState()).toMatchObject({ selected: null, detailOpen: false });
  });
});

describe('sorting', () => {
  it('flips the direction when the same column is chosen again', () => {
    const ui = createUiStore();
    ui.getState().sortBy('mailbox');
    expect(ui.getState().sort).toEqual({ key: 'mailbox', dir: 'desc' });
    ui.getState().sortBy('mailbox');
    expect(ui.getState().sort).toEqual({ key: 'mailbox', dir: 'asc' });
    ui.getState().sortBy('name');
    expect(ui.getState().sort).toEqual({ key: 'name', dir: 'asc' });
  });
});

describe('URL state', () => {
  it('round-trips tab, selection, filter, sort, pause and event filter', () => {
    const ui = createUiStore();
    const s = ui.getState();
    s.setTab('processes');
    s.select(pid(12), true);
    s.setSearch('pool');
    s.sortBy('mailbox');
    s.setPaused(true);
    s.setEventFilter({ types: ['orchard.process.exited'], text: 'killed' });
    const url = writeUrlState(ui.getState());
    expect(url).toContain('tab=processes');
    const back = readUrlState(url);
    expect(back).toMatchObject({
      tab: 'processes', selected: pid(12), detailOpen: true, search: 'pool', sort: { key: 'mailbox', dir: 'desc' }, paused: true,
      eventFilter: { types: ['orchard.process.exited'], text: 'killed' },
    });
  });

  it('leaves defaults out and ignores what it cannot read', () => {
    expect(writeUrlState(createUiStore().getState())).toBe('');
    expect(readUrlState('?tab=nope&pid=hello&sort=x.y&refresh=1')).toEqual({});
  });
});

describe('URL state beside the host page\'s own parameters', () => {
  it('keeps query keys it does not own', () => {
    const ui = createUiStore();
    ui.getState().setTab('events');
    expect(writeUrlState(ui.getState(), '?start=Pooly&tab=load&allow=https%3A%2F%2Fa.example')).toBe('?start=Pooly&allow=https%3A%2F%2Fa.example&tab=events');
  });
});
