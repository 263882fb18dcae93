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
  makePid,
  processInfo,
  type Pid,
  type RemoteSignal,
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

describe('run queue', () => {
  it('runs processes in the order they became runnable, across the queue growing and wrapping (DESIGN decision 2; BEAM runs one priority round-robin)', () => {
    const h = setup();
    const order: number[] = [];
    const n = 3_000;
    const pids: Pid[] = [];
    // Spawned a hundred at a time, so that the queue stays small while its head moves on: when
    // all of them become runnable at once below, it grows with its contents wrapped around.
    for (let i = 0; i < n; i++) {
      pids.push(spawn(() => receiveLoop((m) => void order.push(m as number))));
      if (i % 100 === 99) h.run();
    }
    h.run();
    const sequence = pids.map((_, i) => (i * 7919) % n);
    for (const i of sequence) h.s.send(pids[i]!, i);
    h.run();
    expect(order).toEqual(sequence);
  });
});

describe('sends cost reductions', () => {
  // BEAM: erlang:send/2,3 bumps the sender's reduction counter (erts/emulator/beam/bif.c,
  // `ERTS_VBUMP_REDS(p, 4)` after `do_send`) and yields when the process is out of reductions.
  // Here one send costs one reduction, the same unit as one message handled.

  /** A process that, per message `n`, sends `n` messages to `to`. */
  function sender(to: Pid | (() => Pid)): Pid {
    return spawn(() =>
      receiveLoop((n) => {
        const dest = typeof to === 'function' ? to() : to;
        for (let i = 0; i < (n as number); i++) send(dest, i);
      }),
    );
  }

  it("charges each send to the sender's reductions (erlang:process_info/2 docs, reductions; erts bif.c send)", () => {
    const h = setup();
    const sink = spawn(() => receiveLoop(() => {}));
    const pid = sender(sink);
    h.run();
    const r0 = processInfo(pid)!.reductions;
    const sink0 = processInfo(sink)!.reductions;
    h.s.send(pid, 1_000);
    h.run();
    // One for the message handled, one per send.
    expect(processInfo(pid)!.reductions - r0).toBe(1 + 1_000);
    // The receiver pays for what it handles, not for what was sent to it.
    expect(processInfo(sink)!.reductions - sink0).toBe(1_000);
  });

  it('charges a send to a dead pid and one routed to another scheduler as well (erlang:send/2 docs: sending to a dead pid succeeds)', () => {
    const routed: RemoteSignal[] = [];
    const h = setup({ route: (signal) => void routed.push(signal) });
    const gone = spawn(() => {});
    h.run();
    const remote = makePid(1, 7);
    let turn = 0;
    const pid = sender(() => (turn++ === 0 ? gone : remote));
    h.run();
    const r0 = processInfo(pid)!.reductions;
    h.s.send(pid, 10);
    h.s.send(pid, 10);
    h.run();
    expect(routed.filter((s) => s.kind === 'message')).toHaveLength(10);
    expect(processInfo(pid)!.reductions - r0).toBe(2 + 20);
  });

  it('adds sends to the scheduler reduction total, but not sends made by the host (erlang:statistics/1 docs, reductions)', () => {
    const h = setup();
    const sink = spawn(() => receiveLoop(() => {}));
    const pid = sender(sink);
    h.run();
    const r0 = h.s.stats().reductions;
    h.s.send(pid, 300);
    h.run();
    // The sender: 1 + 300; the sink: 300 messages handled. The host's send to `pid` is free.
    expect(h.s.stats().reductions - r0).toBe(1 + 300 + 300);
  });

  /** The order in which `worker` (sending `sends` messages per message it handles) and `other` run. */
  function turnOrder(sends: number): string[] {
    const h = setup({ budget: 100 });
    const order: string[] = [];
    const sink = spawn(() => receiveLoop(() => {}));
    const worker = spawn(() =>
      receiveLoop((m) => {
        order.push(`worker ${m as string}`);
        for (let i = 0; i < sends; i++) send(sink, i);
      }),
    );
    const other = spawn(() => receiveLoop(() => void order.push('other')));
    h.run();
    h.s.send(worker, 'first');
    h.s.send(worker, 'second');
    h.s.send(other, 'go');
    h.run();
    return order;
  }

  it('a process whose sends use up its budget goes to the back of the run queue (DESIGN decision 2; erts bif.c: out of reductions after a send, yield)', () => {
    // Charged only for messages, the worker would handle both before `other` ran.
    expect(turnOrder(200)).toEqual(['worker first', 'other', 'worker second']);
  });

  it('a process within its budget keeps its turn: a few sends do not cost it its place (DESIGN decision 2)', () => {
    expect(turnOrder(10)).toEqual(['worker first', 'worker second', 'other']);
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
    h.exit(a, 'kill');
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
