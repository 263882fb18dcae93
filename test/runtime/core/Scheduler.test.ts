import { afterEach, describe, expect, it } from 'vitest';
import {
  ManualClock,
  Scheduler,
  receive,
  receiveLoop,
  self,
  send,
  setDefaultScheduler,
  spawn,
} from '../../../runtime/core/index.ts';
import { type Proc, manualHost, setup, tickingClock } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('scheduler fairness', () => {
  it('a process flooded with 100,000 messages cannot starve another: it runs after one budget (DESIGN decision 2; BEAM reductions)', () => {
    const h = setup({ budget: 100 });
    let handled = 0;
    const flooded = spawn(() => receiveLoop(() => void handled++));
    let handledWhenOtherRan = -1;
    const other = spawn(function* (): Proc {
      yield receive();
      handledWhenOtherRan = handled;
    });
    h.run();
    for (let i = 0; i < 100_000; i++) h.s.send(flooded, i);
    h.s.send(other, 'ping');
    h.run();
    expect(handledWhenOtherRan).toBeGreaterThan(0);
    expect(handledWhenOtherRan).toBeLessThanOrEqual(100);
    expect(handled).toBe(100_000);
  });

  it('a process that floods itself cannot starve another either (DESIGN decision 2)', () => {
    const h = setup({ budget: 50 });
    let loops = 0;
    const looper = spawn(function* (): Proc {
      send(self(), 'again');
      for (;;) {
        yield receive();
        if (++loops < 10_000) send(self(), 'again');
        else return;
      }
    });
    let loopsWhenOtherRan = -1;
    spawn(() => void (loopsWhenOtherRan = loops));
    h.run();
    expect(loopsWhenOtherRan).toBeGreaterThan(0);
    expect(loopsWhenOtherRan).toBeLessThan(10_000);
    expect(loops).toBe(10_000);
    expect(h.s.info(looper)).toBeUndefined();
  });

  it('each slice ends after sliceMs and asks the host for the next one, never running to completion (DESIGN decision 2)', () => {
    const host = manualHost();
    const s = new Scheduler({ clock: tickingClock(1), yieldToHost: host.yieldToHost, sliceMs: 5, budget: 10 });
    setDefaultScheduler(s);
    let handled = 0;
    const pid = s.spawn(() => receiveLoop(() => void handled++));
    expect(host.requests).toBe(1);
    host.pump();
    for (let i = 0; i < 2_000; i++) s.send(pid, i);
    const requestsBefore = host.requests;
    s.slice();
    // One slice handled part of the mailbox and asked the host for another slice.
    expect(handled).toBeGreaterThan(0);
    expect(handled).toBeLessThan(2_000);
    expect(host.requests).toBeGreaterThan(requestsBefore);
    const slices = host.pump();
    expect(handled).toBe(2_000);
    expect(slices).toBeGreaterThan(1);
    expect(s.idle).toBe(true);
  });

  it('asks the host for a slice once, however many processes become runnable (DESIGN decision 2)', () => {
    const host = manualHost();
    const s = new Scheduler({ clock: new ManualClock(), yieldToHost: host.yieldToHost });
    for (let i = 0; i < 100; i++) s.spawn(() => {});
    expect(host.requests).toBe(1);
    host.pump();
    expect(s.stats().processes).toBe(0);
  });
});

describe('stats()', () => {
  it('counts processes, run queue, reductions, messages sent and received (erlang:statistics/1 docs)', () => {
    const h = setup();
    const a = spawn(() => receiveLoop(() => {}));
    const b = spawn(() => receiveLoop(() => {}));
    let st = h.s.stats();
    expect(st).toMatchObject({ processes: 2, runQueue: 2, spawned: 2, exited: 0 });
    h.run();
    st = h.s.stats();
    expect(st).toMatchObject({ processes: 2, runQueue: 0 });
    const r0 = st.reductions;
    for (let i = 0; i < 10; i++) h.s.send(a, i);
    h.s.send(b, 'x');
    st = h.s.stats();
    expect(st).toMatchObject({ runQueue: 2, sent: 11, received: 11 });
    h.run();
    st = h.s.stats();
    expect(st.reductions - r0).toBe(11);
    h.s.exit(a, 'kill');
    expect(h.s.stats()).toMatchObject({ processes: 1, exited: 1 });
  });

  it('does not count a send that failed with badarg as sent (erlang:send/2 docs, "Failure: badarg")', () => {
    const h = setup();
    expect(() => h.s.send('test.stats.nobody', 'x')).toThrow(/\bbadarg\b/);
    expect(h.s.stats().sent).toBe(0);
  });

  it('reports utilization as the busy share of time since the last call, between 0 and 1 (observer "Load Charts")', () => {
    const h = setup();
    expect(h.s.stats().utilization).toBe(0);
    h.clock.advance(100);
    expect(h.s.stats().utilization).toBe(0);

    const s = new Scheduler({ clock: tickingClock(1), yieldToHost: () => {} });
    setDefaultScheduler(s);
    const pid = s.spawn(() => receiveLoop(() => {}));
    for (let i = 0; i < 1_000; i++) s.send(pid, i);
    s.runUntilIdle();
    const u = s.stats().utilization;
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThanOrEqual(1);
  });
});
