import { describe, expect, it } from 'vitest';
import { GrantLedger, PidPool } from '../../../runtime/node/PidPool.ts';

describe('PidPool', () => {
  it('hands out reserved numbers in grant order, then runs dry', () => {
    const pool = new PidPool();
    pool.add(10, 2);
    pool.add(50, 1);
    expect([pool.take(), pool.take(), pool.take(), pool.take()]).toEqual([10, 11, 50, null]);
    expect(pool.takenSinceRequest).toBe(3);
  });
});

describe('GrantLedger', () => {
  it('knows which reserved pids are still to be spawned: those after the last spawn, in grant order', () => {
    const ledger = new GrantLedger();
    ledger.grant(100, 10);
    ledger.grant(500, 10);
    expect(ledger.willSpawn(100)).toBe(true);
    expect(ledger.willSpawn(505)).toBe(true);
    expect(ledger.willSpawn(99)).toBe(false);
    ledger.spawned(103);
    expect(ledger.willSpawn(102)).toBe(false); // skipped or spawned earlier: never coming
    expect(ledger.willSpawn(104)).toBe(true);
    ledger.spawned(501); // the first block is used up
    expect(ledger.willSpawn(108)).toBe(false);
    expect(ledger.willSpawn(500)).toBe(false);
    expect(ledger.willSpawn(502)).toBe(true);
  });
});
