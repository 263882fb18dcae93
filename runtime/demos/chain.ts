/**
 * Two small trees that show which siblings a strategy takes down with a crashed child.
 * - The rest_for_one chain: Db ← Cache ← Api ← Web, each depending on those before it.
 *   Kill Cache: Web then Api are terminated, then Cache, Api and Web start again; Db stays.
 * - The one_for_all group: a leader and three members that share state. Kill any one and all
 *   four are terminated and started again.
 */
import * as GenServer from '../behaviours/genServer.ts';
import * as Supervisor from '../behaviours/supervisor.ts';
import type { ChildSpec } from '../behaviours/childSpec.ts';

/** A worker that only holds a name and when it started, so restarts are easy to see. */
GenServer.define('Demo.Worker', {
  init: (role: string) => ['ok', { role, startedAt: Date.now() }],
  handleCall: (_req: unknown, _from, state) => ['reply', state, state],
  formatStatus: (state) => state,
});

function worker(id: string): ChildSpec {
  return { id, start: ['Demo.Worker', [id, { label: id }]] };
}

Supervisor.define('Chain.Supervisor', {
  init: () => ['ok', [{ strategy: 'rest_for_one' }, ['db', 'cache', 'api', 'web'].map(worker)]],
});

Supervisor.define('Group.Supervisor', {
  init: () => ['ok', [{ strategy: 'one_for_all' }, ['leader', 'member_1', 'member_2', 'member_3'].map(worker)]],
});

export const chainApp = {
  name: 'Chain',
  description: 'rest_for_one: kill a link and everything started after it restarts.',
  start: () => Supervisor.startLink('Chain.Supervisor', undefined, { name: 'Chain.Supervisor' }),
};

export const groupApp = {
  name: 'Group',
  description: 'one_for_all: kill any member and the whole group restarts.',
  start: () => Supervisor.startLink('Group.Supervisor', undefined, { name: 'Group.Supervisor' }),
};
