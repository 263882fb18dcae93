import { afterEach, describe, expect, it } from 'vitest';
import { TIMEOUT, receive, send, setDefaultScheduler, sleep, spawn, type Pid } from '../../../runtime/core/index.ts';
import { type Proc, alive, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('receive', () => {
  it('takes the oldest message that the predicate accepts (Erlang reference manual, Expressions, "Receive")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      yield receive((m) => m === 'go');
      got.push(yield receive((m) => typeof m === 'string'));
    });
    h.run();
    send(pid, 1);
    send(pid, 'a');
    send(pid, 'b');
    send(pid, 'go');
    h.run();
    expect(got).toEqual(['a']);
  });

  it('takes the oldest message whose fields equal those of a pattern object (Erlang reference manual, Expressions, "Receive")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'b', n: 2 }));
    });
    h.run();
    send(pid, { type: 'a', n: 2 });
    send(pid, { type: 'b', n: 1 });
    send(pid, 'b');
    send(pid, { type: 'b', n: 2, extra: true });
    send(pid, { type: 'b', n: 2 });
    h.run();
    expect(got).toEqual([{ type: 'b', n: 2, extra: true }]);
  });

  it('leaves unmatched messages in the mailbox, in arrival order (Erlang reference manual, Expressions, "Receive")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'wanted' }));
      got.push(yield receive());
      got.push(yield receive());
      got.push(yield receive());
    });
    h.run();
    send(pid, 1);
    send(pid, 2);
    send(pid, { type: 'wanted' });
    send(pid, 3);
    h.run();
    expect(got).toEqual([{ type: 'wanted' }, 1, 2, 3]);
  });

  it('waits until a matching message arrives, keeping the others (Erlang reference manual, Expressions, "Receive")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'late' }));
    });
    h.run();
    send(pid, 'early');
    h.run();
    expect(got).toEqual([]);
    expect(h.s.info(pid)).toMatchObject({ status: 'waiting', mailboxLength: 1 });
    send(pid, { type: 'late' });
    h.run();
    expect(got).toEqual([{ type: 'late' }]);
  });

  it('returns TIMEOUT when no matching message came within "after" ms, and not before (Erlang reference manual, Expressions, "Receive-After")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'never' }, { after: 100 }));
      got.push(yield receive());
    });
    h.run();
    send(pid, 'unmatched');
    h.advance(99);
    expect(got).toEqual([]);
    h.advance(1);
    expect(got).toEqual([TIMEOUT, 'unmatched']);
  });

  it('with after: 0 returns TIMEOUT at once when nothing matches (Erlang reference manual, Expressions, "Receive-After": timeout 0)', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      yield receive((m) => m === 'go');
      got.push(yield receive({ type: 'x' }, { after: 0 }));
      got.push(h.clock.now());
    });
    h.run();
    send(pid, 'other');
    send(pid, 'go');
    h.run();
    expect(got).toEqual([TIMEOUT, 0]);
    expect(h.s.timers.size).toBe(0);
  });

  it('with after: 0 returns a matching message when one is there (Erlang reference manual, Expressions, "Receive-After": timeout 0)', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      yield receive((m) => m === 'go');
      got.push(yield receive({ type: 'x' }, { after: 0 }));
    });
    h.run();
    send(pid, 'other');
    send(pid, { type: 'x' });
    send(pid, 'go');
    h.run();
    expect(got).toEqual([{ type: 'x' }]);
  });

  it('a matching message before the deadline cancels the timeout (Erlang reference manual, Expressions, "Receive-After")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'x' }, { after: 100 }));
      got.push(yield receive({ type: 'y' }, { after: 500 }));
    });
    h.run();
    h.advance(50);
    send(pid, { type: 'x' });
    h.run();
    expect(got).toEqual([{ type: 'x' }]);
    h.advance(499);
    expect(got).toEqual([{ type: 'x' }]);
    h.advance(1);
    expect(got).toEqual([{ type: 'x' }, TIMEOUT]);
    expect(h.s.timers.size).toBe(0);
  });

  it('still times out when an unmatched message arrives just before the deadline is handled (Erlang reference manual, Expressions, "Receive-After")', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'never' }, { after: 100 }));
    });
    h.run();
    // The unmatched message wakes the process; the deadline passes before it runs.
    send(pid, 'unmatched');
    h.advance(100);
    expect(got).toEqual([TIMEOUT]);
    expect(alive(h, pid)).toBe(false);
  });

  it('a message taken after its deadline passed does not cut the next receive short (Erlang reference manual, Expressions, "Receive-After")', () => {
    const h = setup();
    const got: unknown[] = [];
    // The sender's timer is due at the same time as the receiver's and fires first, so the
    // receiver's deadline has passed when the matching message arrives, before it runs.
    let pid = '' as Pid;
    spawn(function* (): Proc {
      yield sleep(100);
      send(pid, { type: 'x' });
    });
    pid = spawn(function* (): Proc {
      got.push(yield receive({ type: 'x' }, { after: 100 }));
      got.push(h.clock.now());
      got.push(yield receive({ type: 'y' }, { after: 1000 }));
    });
    h.run();
    h.advance(100);
    expect(got.length).toBe(2);
    h.advance(999);
    expect(got.length).toBe(2);
    h.advance(1);
    expect(got[2]).toBe(TIMEOUT);
  });

  it('sleep(ms) suspends the process for ms without taking messages (timer:sleep/1 docs)', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      yield sleep(200);
      got.push(h.clock.now());
      got.push(yield receive());
    });
    h.run();
    send(pid, 'kept');
    h.advance(199);
    expect(got).toEqual([]);
    h.advance(1);
    expect(got).toEqual([200, 'kept']);
  });

  it('a process that yields anything but receive(...) or sleep(...) ends with badarg naming it (STYLE G7: misuse names the culprit)', () => {
    const h = setup();
    const pid = spawn(function* (): Proc {
      yield 'not a receive' as never;
    });
    h.run();
    expect(h.exits.get(pid)).toMatchObject({ error: { message: expect.stringMatching(/\bbadarg\b.*not a receive/) } });
  });

  it("rejects a negative or NaN 'after' with a clear error (Erlang reference manual, Expressions, \"Receive-After\": a non-negative integer)", () => {
    expect(() => receive(null, { after: -5 })).toThrow(/\bafter\b/);
    expect(() => receive(null, { after: Number.NaN })).toThrow(/\bafter\b/);
  });
});
