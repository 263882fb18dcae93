/**
 * Pooly, the worker pool of "The Little Elixir & OTP Guidebook": a top supervisor
 * (one_for_all) over the pool server and the worker supervisor, which keeps five workers.
 * Kill a worker and the pool is back to five; kill the server and the whole pool restarts,
 * since the server's bookkeeping would be wrong without it.
 */
import { type Pid, type Ref, isDownMessage, monitor, demonitor } from '../core/index.ts';
import * as GenServer from '../behaviours/genServer.ts';
import * as Supervisor from '../behaviours/supervisor.ts';
import { declareAccepts } from '../inspector/accepts.ts';
import { T } from '../protocol/term.ts';

export const POOL_SIZE = 5;

interface PoolState {
  /** Checked-out worker → the consumer's monitor. */
  busy: Map<Pid, Ref>;
}

/** Checks a worker out of the pool: its pid, or 'noproc' when all are busy. */
export function* checkout() {
  const workers = yield* Supervisor.whichChildren('Pooly.WorkerSupervisor');
  return yield* GenServer.call<Pid | 'noproc'>('Pooly.Server', { checkout: workers.map((w) => w.pid) });
}

export const checkin = (worker: Pid): void => GenServer.cast('Pooly.Server', { checkin: worker });

export const status = () => GenServer.call<{ busy: number }>('Pooly.Server', 'status');

GenServer.define('Pooly.SampleWorker', {
  init: (n: number) => {
    declareAccepts([{ kind: 'call', example: T.map([T.atom('work'), T.int(21)]), note: 'doubles the work' }]);
    return ['ok', { n, jobs: 0 }];
  },
  handleCall: (req: { work: number }, _from, state: { n: number; jobs: number }) => [
    'reply', req.work * 2, { n: state.n, jobs: state.jobs + 1 },
  ],
  formatStatus: (state) => state,
});

GenServer.define('Pooly.Server', {
  init: () => {
    declareAccepts([{ kind: 'call', example: T.atom('status'), note: 'how many workers are checked out' }]);
    return ['ok', { busy: new Map() } satisfies PoolState];
  },
  handleCall: (req: 'status' | { checkout: Array<Pid | 'restarting' | null> }, from, state: PoolState) => {
    if (req === 'status') return ['reply', { busy: state.busy.size }, state];
    const free = req.checkout.find((w): w is Pid => typeof w === 'string' && w.startsWith('<') && !state.busy.has(w as Pid));
    if (free === undefined) return ['reply', 'noproc', state];
    // Monitor the consumer: if it dies holding a worker, the worker goes back to the pool.
    state.busy.set(free, monitor(from.pid));
    return ['reply', free, state];
  },
  handleCast: (req: { checkin: Pid }, state: PoolState) => {
    const ref = state.busy.get(req.checkin);
    if (ref !== undefined) {
      demonitor(ref);
      state.busy.delete(req.checkin);
    }
    return ['noreply', state];
  },
  handleInfo: (msg: unknown, state: PoolState) => {
    if (isDownMessage(msg)) {
      for (const [worker, ref] of state.busy) if (ref === msg.ref) state.busy.delete(worker);
    }
    return ['noreply', state];
  },
  formatStatus: (state: PoolState) => ({ busy: [...state.busy.keys()] }),
});

Supervisor.define('Pooly.WorkerSupervisor', {
  init: (size: number) => [
    'ok',
    [
      { strategy: 'one_for_one', intensity: 5, period: 5 },
      Array.from({ length: size }, (_, i) => ({ id: `worker_${i + 1}`, start: ['Pooly.SampleWorker', [i + 1]] as [string, unknown[]] })),
    ],
  ],
});

Supervisor.define('Pooly.Supervisor', {
  init: (size: number = POOL_SIZE) => [
    'ok',
    [
      { strategy: 'one_for_all' },
      [
        { id: 'server', start: ['Pooly.Server', [undefined, { name: 'Pooly.Server' }]] },
        {
          id: 'worker_sup',
          type: 'supervisor',
          start: ['Pooly.WorkerSupervisor', [size, { name: 'Pooly.WorkerSupervisor' }]],
        },
      ],
    ],
  ],
});

export const poolyApp = {
  name: 'Pooly',
  description: 'A worker pool: five workers under a supervisor, a pool server, one_for_all on top.',
  vsn: '0.1.0',
  env: { size: POOL_SIZE, worker: 'Pooly.SampleWorker' },
  start: () => Supervisor.startLink('Pooly.Supervisor', POOL_SIZE, { name: 'Pooly.Supervisor' }),
};
