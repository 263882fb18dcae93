import { describe, expect, it } from 'vitest';
import { createUiStore } from '../../app/store/uiStore.ts';
import { readUrlState, writeUrlState } from '../../app/store/urlState.ts';
import { pid } from './fixtures.ts';

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
