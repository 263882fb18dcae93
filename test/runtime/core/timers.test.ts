import { afterEach, describe, expect, it } from 'vitest';
import {
  ManualClock,
  Scheduler,
  cancelTimer,
  receive,
  sendAfter,
  setDefaultScheduler,
  sleep,
  spawn,
} from '../../../runtime/core/index.ts';
import { CountingClock, type Proc, collector, setup, thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('sendAfter', () => {
  it('delivers the message after ms, not before (erlang:send_after/3 docs)', () => {
    const h = setup();
    const out = collector(h);
    sendAfter(100, out.pid, 'tick');
    h.advance(99);
    expect(out.messages).toEqual([]);
    h.advance(1);
    expect(out.messages).toEqual(['tick']);
  });

  it('fires timers in deadline order, equal deadlines in the order they were set (erlang:send_after/3 docs)', () => {
    const h = setup();
    const out = collector(h);
    sendAfter(30, out.pid, 'c');
    sendAfter(10, out.pid, 'a');
    sendAfter(20, out.pid, 'b1');
    sendAfter(20, out.pid, 'b2');
    h.advance(30);
    expect(out.messages).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('to a name looks the name up when the timer fires, and does nothing when nobody has it (erlang:send_after/3 docs)', () => {
    const h = setup();
    const out = collector(h);
    sendAfter(10, 'test.timers.late', 'for whoever has the name');
    sendAfter(20, 'test.timers.late', 'nobody has it now');
    h.advance(5);
    h.s.register('test.timers.late', out.pid);
    h.advance(5);
    expect(out.messages).toEqual(['for whoever has the name']);
    h.s.unregister('test.timers.late');
    expect(() => h.advance(10)).not.toThrow();
    expect(out.messages).toEqual(['for whoever has the name']);
  });

  it('rejects a destination that is neither a pid nor a name, at the call (erlang:send_after/3 docs, "Failure: badarg")', () => {
    const h = setup();
    const out = collector(h);
    for (const bad of [42, '<not a pid>', '', null]) {
      const e = thrown(() => sendAfter(10, bad as string, 'x'));
      expect(e.message).toMatch(/\bbadarg\b/);
    }
    // Nothing was armed, and the scheduler keeps running timers and processes.
    expect(h.s.timers.size).toBe(0);
    sendAfter(10, out.pid, 'still works');
    h.advance(10);
    expect(out.messages).toEqual(['still works']);
  });
});

describe('cancelTimer', () => {
  it('returns the ms left, and the message never arrives (erlang:cancel_timer/1 docs)', () => {
    const h = setup();
    const out = collector(h);
    const ref = sendAfter(100, out.pid, 'tick');
    h.advance(30);
    expect(cancelTimer(ref)).toBe(70);
    h.advance(100);
    expect(out.messages).toEqual([]);
    expect(h.s.timers.size).toBe(0);
  });

  it('returns false for a timer that has fired or was cancelled already (erlang:cancel_timer/1 docs)', () => {
    const h = setup();
    const out = collector(h);
    const fired = sendAfter(10, out.pid, 'tick');
    const cancelled = sendAfter(50, out.pid, 'tock');
    h.advance(10);
    expect(cancelTimer(fired)).toBe(false);
    expect(cancelTimer(cancelled)).toBe(40);
    expect(cancelTimer(cancelled)).toBe(false);
  });
});

describe('one timer heap per scheduler', () => {
  it('holds every sendAfter and receive timeout in Scheduler.timers, behind one host timer (DESIGN decision 2; TimerHeap)', () => {
    const clock = new CountingClock(new ManualClock());
    const s = new Scheduler({ clock, yieldToHost: () => {} });
    setDefaultScheduler(s);
    const out = collector({ s, clock: clock.inner, run: () => s.runUntilIdle(), advance: () => {}, exits: new Map(), exit: () => {} });
    for (let i = 0; i < 50; i++) {
      spawn(function* (): Proc {
        yield receive({ never: true }, { after: 1000 + i });
      });
    }
    for (let i = 0; i < 50; i++) s.sendAfter(500 + i, out.pid, i);
    for (let i = 0; i < 20; i++) {
      spawn(function* (): Proc {
        yield sleep(100 + i);
      });
    }
    s.runUntilIdle();
    expect(s.timers.size).toBe(120);
    expect(clock.live.size).toBe(1);
    clock.advance(200);
    s.runUntilIdle();
    expect(s.timers.size).toBe(100);
    expect(clock.live.size).toBe(1);
    clock.advance(2000);
    s.runUntilIdle();
    expect(out.messages).toHaveLength(50);
    expect(s.timers.size).toBe(0);
    expect(clock.live.size).toBe(0);
    expect(s.stats().processes).toBe(1);
  });

  it('cancels the receive timeout of a process that is killed while waiting (erlang:exit/2 docs; TimerHeap)', () => {
    const h = setup();
    const pid = spawn(function* (): Proc {
      yield receive({ never: true }, { after: 1000 });
    });
    h.run();
    expect(h.s.timers.size).toBe(1);
    h.exit(pid, 'kill');
    expect(h.s.timers.size).toBe(0);
  });
});
