import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { displayName, queryProcesses, rateOrder } from '../../app/store/processQuery.ts';
import { pid, row } from './fixtures.ts';

const rows = [
  row(10, { name: 'Pooly.Server', mailbox: 3, reductionsDelta: 5, startedAt: 3 }),
  row(2, { label: 'worker_1', behaviour: 'gen_server', mailbox: 9, reductionsDelta: 50, startedAt: 1 }),
  row(7, { initialCall: 'stress_worker', mailbox: 3, reductionsDelta: 1, startedAt: 2 }),
];

describe('queryProcesses', () => {
  it('sorts by a numeric column, the pid breaking ties', () => {
    expect(queryProcesses(rows, '', { key: 'mailbox', dir: 'desc' })).toEqual([pid(2), pid(7), pid(10)]);
    expect(queryProcesses(rows, '', { key: 'mailbox', dir: 'asc' })).toEqual([pid(7), pid(10), pid(2)]);
  });

  it('sorts pids by number, not as text', () => {
    expect(queryProcesses(rows, '', { key: 'pid', dir: 'asc' })).toEqual([pid(2), pid(7), pid(10)]);
  });

  it('sorts uptime as the oldest first when descending', () => {
    expect(queryProcesses(rows, '', { key: 'uptime', dir: 'desc' })).toEqual([pid(2), pid(7), pid(10)]);
  });

  it('filters by a case-insensitive substring of name, label, behaviour, initial call or pid', () => {
    expect(queryProcesses(rows, 'POOLY', { key: 'pid', dir: 'asc' })).toEqual([pid(10)]);
    expect(queryProcesses(rows, 'gen_server', { key: 'pid', dir: 'asc' })).toEqual([pid(2)]);
    expect(queryProcesses(rows, 'stress', { key: 'pid', dir: 'asc' })).toEqual([pid(7)]);
    expect(queryProcesses(rows, '<0.7.', { key: 'pid', dir: 'asc' })).toEqual([pid(7)]);
  });
});

describe('names and the filter (Observer\'s Name column: registered name, else initial call)', () => {
  const workers = [
    row(20, { childId: 'w42_7', initialCall: 'Stress.Worker' }),
    row(21, { childId: 'w43_1', initialCall: 'Stress.Worker' }),
    row(22, { name: 'Pooly.Server', childId: 'server', initialCall: 'Pooly.Server' }),
  ];

  it('finds a process by its child id', () => {
    expect(queryProcesses(workers, 'w42_', { key: 'pid', dir: 'asc' })).toEqual([pid(20)]);
  });

  it('names a supervised child by its child id when it has no registered name or label', () => {
    expect(workers.map(displayName)).toEqual(['w42_7', 'w43_1', 'Pooly.Server']);
    expect(displayName(row(23, { label: 'job 9', childId: 'x' }))).toBe('job 9');
  });
});

describe('queryProcesses at scale', () => {
  it('orders like a plain comparator sort, ties by pid, on 5,000 random rows', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => row(i * 7 % 5_000, { mailbox: (i * 31) % 13, memory: 200 + ((i * 17) % 50) * 1.5, startedAt: 1.7e12 + ((i * 11) % 97) }));
    const num = (p: string) => Number(p.split('.')[1]);
    for (const key of ['mailbox', 'memory', 'uptime'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const got = queryProcesses(many, '', { key, dir });
        const value = (r: (typeof many)[number]) => (key === 'uptime' ? -r.startedAt : r[key]);
        const want = [...many].sort((a, b) => (dir === 'asc' ? 1 : -1) * (value(a) - value(b)) || num(a.pid) - num(b.pid)).map((r) => r.pid);
        expect(got).toEqual(want);
      }
    }
  });

  it('orders like a plain comparator sort when most rows share the smallest key, pids shuffled', () => {
    // Idle processes: 0 reductions in the last tick, in no particular pid order.
    const many = Array.from({ length: 20_000 }, (_, i) => row((i * 7919) % 20_000, { reductionsDelta: i % 50 === 0 ? (i * 13) % 400 : 0, mailbox: i % 3 === 0 ? 0 : 1 }));
    const num = (p: string) => Number(p.split('.')[1]);
    for (const key of ['reductionsRate', 'mailbox'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const value = (r: (typeof many)[number]) => (key === 'reductionsRate' ? r.reductionsDelta : r[key]);
        const want = [...many].sort((a, b) => (dir === 'asc' ? 1 : -1) * (value(a) - value(b)) || num(a.pid) - num(b.pid)).map((r) => r.pid);
        expect(queryProcesses(many, '', { key, dir })).toEqual(want);
      }
    }
  });
});

describe('rateOrder', () => {
  it('orders like queryProcesses by rate when only the growing processes can have a rate', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(300), fc.nat(6)), { minLength: 1, maxLength: 120 }), fc.boolean(), (spec, asc) => {
        // Distinct pids, each with a rate (mostly 0); "growing" lists those above 0 and a few at 0.
        const byNo = new Map(spec.map(([n, r]) => [n, r > 3 ? r * 10 : 0]));
        const all = [...byNo].map(([n, rate]) => row(n, { reductionsDelta: rate }));
        const rateOf = (p: string) => all.find((r) => r.pid === p)!.reductionsDelta;
        const growing = all.filter((r, i) => r.reductionsDelta > 0 || i % 7 === 0).map((r) => r.pid).reverse();
        const dir = asc ? 'asc' : 'desc';
        const byPid = queryProcesses(all, '', { key: 'pid', dir: 'asc' });
        const listed = new Set(byPid);
        const expected = queryProcesses(all, '', { key: 'reductionsRate', dir }, (r) => r.reductionsDelta);
        expect(rateOrder(byPid, growing, (p) => listed.has(p), rateOf, dir)).toEqual(expected);
      }),
    );
  });

  it('leaves out a growing process that is no longer listed', () => {
    const all = [row(1, {}), row(2, {})];
    const order = rateOrder([pid(1), pid(2)], [pid(3), pid(2)], (p) => p !== pid(3), (p) => (p === pid(2) || p === pid(3) ? 5 : 0), 'desc');
    expect(order).toEqual([pid(2), pid(1)]);
    expect(order).toHaveLength(all.length);
  });
});
