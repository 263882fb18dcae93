import { describe, expect, it } from 'vitest';
import { LOCAL_PID_LIMIT } from '../../../runtime/core/index.ts';
import { GrantLedger, NODE, PidPool, mintedBy } from '../../../runtime/transport/PidPool.ts';

describe('PidPool', () => {
  it('hands out reserved numbers in grant order', () => {
    const pool = new PidPool(0);
    pool.add(10, 2);
    pool.add(50, 1);
    expect([pool.take(), pool.take(), pool.take()]).toEqual([10, 11, 50]);
    expect(pool.takenSinceRequest).toBe(3);
  });

  it("past its blocks, mints numbers from the spawner's own range, which no other spawner and no owner uses (spawn never fails for want of pids: erlang:spawn/4 docs)", () => {
    const fromNode = new PidPool(NODE);
    const from0 = new PidPool(0);
    const from7 = new PidPool(7);
    from0.add(10, 1);
    expect([from0.take(), from0.take(), from0.take()]).toEqual([10, LOCAL_PID_LIMIT + 1e9 + 1, LOCAL_PID_LIMIT + 1e9 + 2]);
    expect(fromNode.take()).toBe(LOCAL_PID_LIMIT + 1);
    expect(from7.take()).toBe(LOCAL_PID_LIMIT + 8e9 + 1);
    expect(mintedBy(LOCAL_PID_LIMIT + 1e9 + 2)).toEqual([0, 2]);
    expect(mintedBy(LOCAL_PID_LIMIT + 1)).toEqual([NODE, 1]);
    expect(mintedBy(LOCAL_PID_LIMIT - 1)).toBeNull();
    // A block that arrives later is used again first: short numbers when there are some.
    from0.add(20, 1);
    expect(from0.take()).toBe(20);
    expect(from0.takenSinceRequest).toBe(4);
  });

  it('asks for more once half a grant is left, with what was taken since it last asked, and not again until more came', () => {
    const pool = new PidPool(0);
    pool.add(1, 8);
    for (let i = 0; i < 4; i++) pool.take();
    expect(pool.requestDue(8)).toBeNull();
    pool.take();
    expect(pool.requestDue(8)).toBe(5);
    pool.take();
    expect(pool.requestDue(8)).toBeNull();
    pool.add(100, 16);
    pool.take();
    expect(pool.requestDue(64)).toBe(2);
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

  it("knows which numbers of the spawner's range are still to be spawned, apart from its blocks", () => {
    const ledger = new GrantLedger();
    ledger.grant(100, 10);
    const minted = (k: number) => LOCAL_PID_LIMIT + 1e9 + k;
    expect(ledger.willSpawn(minted(1))).toBe(true);
    ledger.spawned(minted(1));
    ledger.spawned(minted(2));
    expect(ledger.willSpawn(minted(2))).toBe(false);
    expect(ledger.willSpawn(minted(3))).toBe(true);
    // The blocks' own order is untouched by spawns from the range.
    expect(ledger.willSpawn(100)).toBe(true);
  });
});
