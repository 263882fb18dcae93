import { describe, expect, it } from 'vitest';
import { searchForest } from '../../../app/layout/searchTree.ts';
import { buildForest } from '../../../app/layout/supervisionForest.ts';
import { world, workers } from './fixtures.ts';

const w = world({ Chain: { strategy: 'rest_for_one', name: 'Chain.Supervisor', children: workers('db', 'cache', 'api', 'web') } });
const f = buildForest(w);

describe('searchForest', () => {
  it('finds a process by its whole pid, with or without brackets', () => {
    const cache = w.at.get('Chain/root/cache')!;
    expect(searchForest(f, cache).map((n) => n.key)).toEqual(['Chain/root/cache']);
    expect(searchForest(f, cache.slice(1, -1)).map((n) => n.key)).toEqual(['Chain/root/cache']);
  });

  it('finds by registered name, label or child id, case-insensitively, in start order', () => {
    expect(searchForest(f, 'chain.SUP').map((n) => n.key)).toEqual(['Chain/root']);
    expect(searchForest(f, 'a').map((n) => n.key)).toEqual(['Chain', 'Chain/root', 'Chain/root/cache', 'Chain/root/api']);
  });

  it('finds nothing for an empty query or an unknown pid', () => {
    expect(searchForest(f, '  ')).toEqual([]);
    expect(searchForest(f, '<0.99999.0>')).toEqual([]);
  });
});
