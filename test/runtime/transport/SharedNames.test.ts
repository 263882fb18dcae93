import { describe, expect, it } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import { MAX_NAME, SharedNames } from '../../../runtime/transport/SharedNames.ts';

const a = '<0.1.0>' as Pid;
const b = '<0.2.1>' as Pid;

describe('SharedNames', () => {
  it('gives a name one owner, seen by every view of the table (erlang:register/2)', () => {
    const buffer = SharedNames.create(64);
    const here = new SharedNames(buffer, 0);
    const there = new SharedNames(buffer, 1);
    expect(here.claim('db', a)).toBeNull();
    expect(there.get('db')).toBe(a);
    expect(there.claim('db', b)).toBe(a);
    expect(there.names()).toEqual(['db']);
  });

  it('frees a name only for its owner', () => {
    const t = new SharedNames(SharedNames.create(64), 0);
    t.claim('db', a);
    t.release('db', b);
    expect(t.get('db')).toBe(a);
    t.release('db', a);
    expect(t.get('db')).toBeUndefined();
    expect(t.claim('db', b)).toBeNull();
  });

  it('keeps working through many claims and releases (tombstones are rehashed away)', () => {
    const t = new SharedNames(SharedNames.create(16), 0);
    for (let i = 0; i < 1_000; i++) {
      const pid = `<0.${i + 1}.0>` as Pid;
      expect(t.claim(`name_${i}`, pid)).toBeNull();
      expect(t.get(`name_${i}`)).toBe(pid);
      if (i >= 10) t.release(`name_${i - 10}`, `<0.${i - 9}.0>` as Pid);
    }
    expect(t.names().length).toBe(10);
  });

  it('keeps pid numbers past 2^31 and 2^32 exact (numbers minted by other schedulers are that long)', () => {
    const t = new SharedNames(SharedNames.create(16), 0);
    const pids = ['<0.2147483648.1>', '<0.4294967297.2>', '<0.1001000000017.1>', '<0.9007199254740991.3>'] as Pid[];
    pids.forEach((pid, i) => t.claim(`big_${i}`, pid));
    expect(pids.map((_, i) => t.get(`big_${i}`))).toEqual(pids);
  });

  it('says when the table is full or a name too long, with badarg', () => {
    const t = new SharedNames(SharedNames.create(4), 0);
    for (let i = 0; i < 8; i++) t.claim(`n${i}`, `<0.${i + 1}.0>` as Pid);
    expect(() => t.claim('one_more', a)).toThrow(/\bbadarg\b.*full/);
    expect(() => t.claim('x'.repeat(MAX_NAME + 1), a)).toThrow(/\bbadarg\b.*at most/);
  });

  it("frees a dead scheduler's names, and its lock", () => {
    const buffer = SharedNames.create(64);
    const node = new SharedNames(buffer, -1);
    node.claim('on0', a);
    node.claim('on1', b);
    new Int32Array(buffer)[0] = 1 + 2; // scheduler 1 died holding the lock
    node.forgetScheduler(1);
    expect(node.names()).toEqual(['on0']);
  });
});
