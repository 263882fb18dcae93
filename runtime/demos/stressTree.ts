/**
 * The stress tree: 10,000 processes in one supervision tree (a root, 99 supervisors, 100
 * workers each), for checking that the Observer stays smooth at that size. Under a node the
 * branches are placed on the least loaded schedulers, so the tree spans the workers.
 */
import * as GenServer from '../behaviours/genServer.ts';
import * as Supervisor from '../behaviours/supervisor.ts';

export const STRESS_BRANCHES = 99;
export const STRESS_LEAVES = 100;

GenServer.define('Stress.Worker', {
  init: (n: number) => ['ok', n],
  handleCall: (_req: unknown, _from, n: number) => ['reply', n, n],
});

Supervisor.define('Stress.Branch', {
  init: ([branch, leaves]: [number, number]) => [
    'ok',
    [
      { strategy: 'one_for_one', intensity: 10, period: 5 },
      Array.from({ length: leaves }, (_, i) => ({ id: `w${branch}_${i}`, start: ['Stress.Worker', [i]] as [string, unknown[]] })),
    ],
  ],
});

Supervisor.define('Stress.Root', {
  init: ([branches, leaves]: [number, number] = [STRESS_BRANCHES, STRESS_LEAVES]) => [
    'ok',
    [
      { strategy: 'one_for_one', intensity: 10, period: 5 },
      Array.from({ length: branches }, (_, b) => ({
        id: `branch_${b}`,
        type: 'supervisor' as const,
        start: ['Stress.Branch', [[b, leaves]]] as [string, unknown[]],
        // Under a node, the branches spread over the schedulers; on one scheduler this is a no-op.
        scheduler: 'least_loaded' as const,
      })),
    ],
  ],
});

export const stressApp = {
  name: 'Stress',
  description: '10,000 processes: a root, 99 supervisors and 9,900 workers.',
  start: () => Supervisor.startLink('Stress.Root', [STRESS_BRANCHES, STRESS_LEAVES], { name: 'Stress.Root' }),
};
