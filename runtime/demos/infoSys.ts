/**
 * InfoSys, the information system of "Programming Phoenix" (OTP chapter): a query fans out to
 * three backends as supervised tasks (Task.Supervisor.async_nolink), answers are taken from
 * whichever arrive within the time limit (Task.yield_many, late tasks killed), and results are
 * cached in a table that a periodic timer sweeps. The backends differ in latency and failure
 * rate, so some answers come in time, some are late and some crash, and none of that reaches
 * the caller: each task fails alone.
 */
import { type Wait, currentScheduler, sendAfter, self, setLabel, sleep } from '../core/index.ts';
import { declareAccepts } from '../inspector/accepts.ts';
import { T } from '../protocol/term.ts';
import * as GenServer from '../behaviours/genServer.ts';
import * as Supervisor from '../behaviours/supervisor.ts';
import * as TaskSupervisor from '../behaviours/taskSupervisor.ts';
import * as Task from '../behaviours/task.ts';
import * as Table from '../behaviours/table.ts';

export interface Backend {
  name: string;
  /** Latency range in ms. */
  latency: [number, number];
  /** Share of queries that crash. */
  failureRate: number;
}

export interface Answer {
  backend: string;
  text: string;
  score: number;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'Wolfram', latency: [40, 160], failureRate: 0.1 },
  { name: 'Wiki', latency: [10, 40], failureRate: 0.3 },
  { name: 'Slowpoke', latency: [150, 600], failureRate: 0.05 },
];

export const QUERY_TIMEOUT_MS = 250;
export const CACHE_TTL_MS = 5000;
export const SWEEP_EVERY_MS = 1000;
const CACHE_TABLE = 'infosys_cache';
const QUERIES = ['what is a process', 'erlang', 'supervisor', 'one_for_one', 'mailbox', 'link', 'monitor'];

/** One backend's work: wait its latency, maybe crash, else answer. */
function* fetchFrom(backend: Backend, query: string): Generator<Wait, Answer[], unknown> {
  // The tree and the process table title the task by its backend, not by its child id.
  setLabel(`${backend.name}: ${query}`);
  const [lo, hi] = backend.latency;
  yield sleep(lo + Math.floor(Math.random() * (hi - lo)));
  if (Math.random() < backend.failureRate) throw new Error(`${backend.name} failed on '${query}'`);
  return [{ backend: backend.name, text: `${backend.name} on ${query}`, score: Math.round(Math.random() * 100) }];
}

/**
 * Answers a query: from the cache if it is there, else from the backends that answer within
 * the time limit (InfoSys.compute/2). Runs in the calling process.
 */
export function* compute(query: string, timeout = QUERY_TIMEOUT_MS): Generator<Wait, Answer[], unknown> {
  const cached = Table.lookup(CACHE_TABLE, query);
  if (cached.length > 0) return (cached[0]![1] as Answer[]);
  const tasks: Array<Task.Task<Answer[]>> = [];
  for (const b of BACKENDS) tasks.push(yield* TaskSupervisor.asyncNolink('InfoSys.TaskSupervisor', () => fetchFrom(b, query)));
  const results = yield* Task.yieldMany(tasks, { timeout, onTimeout: 'kill_task' });
  const answers = results
    .flatMap(([, r]) => (r !== null && r[0] === 'ok' ? r[1] : []))
    .sort((a, b) => b.score - a.score);
  GenServer.cast('InfoSys.Cache', { put: [query, answers] });
  return answers;
}

// The cache owns the table; anyone may read it (public), only the cache writes to it.
GenServer.define('InfoSys.Cache', {
  init: () => {
    Table.new(CACHE_TABLE, { type: 'set', access: 'public', named: true });
    sendAfter(SWEEP_EVERY_MS, self(), 'sweep');
    return ['ok', { swept: 0 }];
  },
  handleCast: (req: { put: [string, Answer[]] }, state: { swept: number }) => {
    // Expires at a whole ms of the scheduler's clock (a float here reads as 7490.599999999977).
    Table.insert(CACHE_TABLE, [req.put[0], req.put[1], Math.round(currentScheduler().clock.now() + CACHE_TTL_MS)]);
    return ['noreply', state];
  },
  handleInfo: (msg: unknown, state: { swept: number }) => {
    if (msg === 'sweep') {
      const now = currentScheduler().clock.now();
      const swept = Table.selectDelete(CACHE_TABLE, (row) => (row[2] as number) <= now);
      sendAfter(SWEEP_EVERY_MS, self(), 'sweep');
      return ['noreply', { swept: state.swept + swept }];
    }
    return ['noreply', state];
  },
  formatStatus: (state) => ({ ...state, entries: Table.info(CACHE_TABLE)?.size ?? 0 }),
});

/**
 * Asks a query every `every` ms, as a user typing into the search box would; a call
 * `{compute, Query}` asks one now and replies with the answers (InfoSys.compute/1 in the book).
 */
GenServer.define('InfoSys.Client', {
  init: (every: number) => {
    declareAccepts([
      { kind: 'call', example: T.tuple(T.atom('compute'), T.str('what is elixir')), note: 'ask a query: the tasks fan out, the cache fills' },
      { kind: 'info', example: T.atom('ask'), note: 'ask the next of its own queries' },
    ]);
    sendAfter(every, self(), 'ask');
    return ['ok', { every, asked: 0, answered: 0, last: null as null | { query: string; answers: Answer[] } }];
  },
  *handleCall(req: unknown, _from: unknown, state: { every: number; asked: number; answered: number; last: unknown }) {
    const query = Array.isArray(req) && req[0] === 'compute' && typeof req[1] === 'string' ? (req[1] as string) : null;
    if (query === null) return ['reply', ['error', 'expected {compute, Query}'] as unknown, state] as const;
    const answers: unknown = yield* compute(query);
    return ['reply', answers, { ...state, last: { query, answers } }] as const;
  },
  *handleInfo(msg: unknown, state: { every: number; asked: number; answered: number; last: unknown }) {
    if (msg !== 'ask') return ['noreply', state] as const;
    const query = QUERIES[state.asked % QUERIES.length]!;
    const answers = yield* compute(query);
    sendAfter(state.every, self(), 'ask');
    return ['noreply', { ...state, asked: state.asked + 1, answered: state.answered + (answers.length > 0 ? 1 : 0), last: { query, answers } }] as const;
  },
  formatStatus: (state) => state,
});

Supervisor.define('InfoSys.Supervisor', {
  init: (every: number = 700) => [
    'ok',
    [
      { strategy: 'one_for_one' },
      [
        { id: 'cache', start: ['InfoSys.Cache', [undefined, { name: 'InfoSys.Cache' }]] },
        { id: 'tasks', type: 'supervisor', start: () => TaskSupervisor.startLink({ name: 'InfoSys.TaskSupervisor' }) },
        { id: 'client', start: ['InfoSys.Client', [every, { name: 'InfoSys.Client' }]] },
      ],
    ],
  ],
});

export const infoSysApp = {
  name: 'InfoSys',
  description: 'A query fans out to three backends as tasks; answers within 250 ms count; a swept cache.',
  vsn: '0.1.0',
  env: { backends: BACKENDS.map((b) => b.name), timeout: QUERY_TIMEOUT_MS, cache_ttl: CACHE_TTL_MS, sweep_every: SWEEP_EVERY_MS },
  start: () => Supervisor.startLink('InfoSys.Supervisor', 700, { name: 'InfoSys.Supervisor' }),
};


