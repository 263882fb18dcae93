import { afterEach, describe, expect, it } from 'vitest';
import { TIMEOUT, demonitor, isRef, monitor, processInfo, receive, self, setDefaultScheduler, spawn, type Pid, type Ref } from '../../../runtime/core/index.ts';
import { type Proc, alive, collector, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function* idle(): Proc {
  yield receive(() => false);
}

/** A watcher that monitors each pid it is sent as {watch: pid} and records the refs and every other message. */
function watcher(h: ReturnType<typeof setup>) {
  const refs: Ref[] = [];
  const out = collector(h);
  const pid = spawn(function* (): Proc {
    for (;;) {
      const m = (yield receive()) as { watch?: Pid | string; forget?: Ref; flush?: boolean };
      if (m.watch !== undefined) refs.push(monitor(m.watch));
      else if (m.forget !== undefined) demonitor(m.forget, { flush: m.flush === true });
      else h.s.send(out.pid, m);
    }
  });
  h.run();
  return { pid, refs, messages: out.messages };
}

describe('monitor', () => {
  it('returns a reference, and the watcher receives {DOWN, Ref, Pid, Reason} when the target exits (erlang:monitor/2 docs)', () => {
    const h = setup();
    const w = watcher(h);
    const target = spawn(idle);
    h.run();
    h.s.send(w.pid, { watch: target });
    h.run();
    expect(w.refs).toHaveLength(1);
    expect(isRef(w.refs[0])).toBe(true);
    expect(h.s.info(target)!.monitoredBy).toEqual([w.pid]);
    h.exit(target, 'shutdown');
    h.run();
    expect(w.messages).toEqual([{ type: 'DOWN', ref: w.refs[0], pid: target, reason: 'shutdown' }]);
  });

  it("on a dead pid yields DOWN with 'noproc' at once (erlang:monitor/2 docs)", () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    // At once: the DOWN is in the caller's mailbox when monitor() returns.
    let ref: Ref | null = null;
    let mailbox: unknown = null;
    spawn(function* (): Proc {
      ref = monitor(gone);
      mailbox = processInfo(self())!.mailboxLength;
      yield receive(() => false);
    });
    h.run();
    expect(isRef(ref)).toBe(true);
    expect(mailbox).toBe(1);
    const w = watcher(h);
    h.s.send(w.pid, { watch: gone });
    h.run();
    expect(w.messages).toEqual([{ type: 'DOWN', ref: w.refs[0], pid: gone, reason: 'noproc' }]);
  });

  it('is one-way: the target is not affected when the watcher dies (Erlang reference manual, Processes, "Monitors")', () => {
    const h = setup();
    const w = watcher(h);
    const target = collector(h, { trapExit: true });
    h.s.send(w.pid, { watch: target.pid });
    h.run();
    h.exit(w.pid, 'crash');
    h.run();
    expect(alive(h, target.pid)).toBe(true);
    expect(target.messages).toEqual([]);
    expect(h.s.info(target.pid)!.monitoredBy).toEqual([]);
  });

  it('twice gives two independent monitors, each with its own DOWN (erlang:monitor/2 docs)', () => {
    const h = setup();
    const w = watcher(h);
    const target = spawn(idle);
    h.run();
    h.s.send(w.pid, { watch: target });
    h.s.send(w.pid, { watch: target });
    h.run();
    expect(new Set(w.refs).size).toBe(2);
    h.exit(target, 'bye');
    h.run();
    expect(w.messages).toEqual(w.refs.map((ref) => ({ type: 'DOWN', ref, pid: target, reason: 'bye' })));
  });

  it('by registered name reports the name in DOWN (erlang:monitor/2 docs: "the monitor was created using a registered name")', () => {
    const h = setup();
    const w = watcher(h);
    const target = spawn(idle, [], { name: 'test.monitor.named' });
    h.run();
    h.s.send(w.pid, { watch: 'test.monitor.named' });
    h.run();
    h.exit(target, 'bye');
    h.run();
    expect(w.messages).toEqual([{ type: 'DOWN', ref: w.refs[0], pid: 'test.monitor.named', reason: 'bye' }]);
  });

  it("by a name nobody has yields DOWN with 'noproc' naming it (erlang:monitor/2 docs)", () => {
    const h = setup();
    const w = watcher(h);
    h.s.send(w.pid, { watch: 'test.monitor.nobody' });
    h.run();
    expect(w.messages).toEqual([{ type: 'DOWN', ref: w.refs[0], pid: 'test.monitor.nobody', reason: 'noproc' }]);
  });
});

describe('demonitor', () => {
  it('before the target exits means no DOWN ever arrives (erlang:demonitor/1 docs)', () => {
    const h = setup();
    const w = watcher(h);
    const target = spawn(idle);
    h.run();
    h.s.send(w.pid, { watch: target });
    h.run();
    h.s.send(w.pid, { forget: w.refs[0] });
    h.run();
    expect(h.s.info(target)!.monitoredBy).toEqual([]);
    expect(h.s.info(w.pid)!.monitors).toEqual([]);
    h.exit(target, 'bye');
    h.run();
    expect(w.messages).toEqual([]);
  });

  it('with {flush: true} removes a DOWN already in the mailbox (erlang:demonitor/2 docs, flush)', () => {
    const h = setup();
    const got: unknown[] = [];
    const target = spawn(idle);
    const me = spawn(function* (): Proc {
      const ref = monitor(target);
      monitor(target); // a second monitor, whose DOWN must stay
      yield receive((m) => m === 'target is dead now');
      demonitor(ref, { flush: true });
      got.push(yield receive());
      got.push(yield receive(null, { after: 0 }));
    });
    h.run();
    h.exit(target, 'bye');
    h.s.send(me, 'target is dead now');
    h.run();
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ type: 'DOWN', pid: target, reason: 'bye' });
    expect(typeof got[1]).toBe('symbol');
  });

  it('without flush leaves a DOWN already delivered in the mailbox (erlang:demonitor/1 docs)', () => {
    const h = setup();
    const got: unknown[] = [];
    const target = spawn(idle);
    const me = spawn(function* (): Proc {
      const ref = monitor(target);
      yield receive((m) => m === 'target is dead now');
      demonitor(ref);
      got.push(yield receive(null, { after: 0 }));
    });
    h.run();
    h.exit(target, 'bye');
    h.s.send(me, 'target is dead now');
    h.run();
    expect(got).toEqual([expect.objectContaining({ type: 'DOWN', pid: target, reason: 'bye' })]);
  });
});

// erlang:demonitor/2 docs (OTP 26), option `info`: "true - The monitor was found and removed. In
// this case, no 'DOWN' message corresponding to this monitor has been delivered and will not be
// delivered. false - The monitor was not found and could not be removed." Combined with flush,
// false is returned when a flush was needed. Checked on OTP 25: demonitor(Ref, [info]) is
// true then false for a live target; false once the DOWN is queued, with [info] and with
// [flush, info]; false for a ref that never was a monitor.
describe('demonitor with info', () => {
  it('answers true while the monitor is active, and false the second time (erlang:demonitor/2 docs, info)', () => {
    const h = setup();
    const target = spawn(idle);
    const answers: unknown[] = [];
    spawn(function* (): Proc {
      const ref = monitor(target);
      answers.push(demonitor(ref, { info: true }), demonitor(ref, { info: true }), demonitor(ref));
      yield receive(() => false);
    });
    h.run();
    expect(answers).toEqual([true, false, true]);
    expect(h.s.info(target)!.monitoredBy).toEqual([]);
  });

  it('answers false once the DOWN is in the mailbox, and leaves it there without flush (erlang:demonitor/2 docs, info)', () => {
    const h = setup();
    const target = spawn(idle);
    const got: unknown[] = [];
    const me = spawn(function* (): Proc {
      const ref = monitor(target);
      yield receive((m) => m === 'target is dead now');
      got.push(demonitor(ref, { info: true }));
      got.push(yield receive(null, { after: 0 }));
    });
    h.run();
    h.exit(target, 'bye');
    h.s.send(me, 'target is dead now');
    h.run();
    expect(got).toEqual([false, expect.objectContaining({ type: 'DOWN', pid: target, reason: 'bye' })]);
  });

  it('with flush answers false when it had to remove a DOWN, true when the monitor was active (erlang:demonitor/2 docs, flush and info)', () => {
    const h = setup();
    const target = spawn(idle);
    const other = spawn(idle);
    const got: unknown[] = [];
    const me = spawn(function* (): Proc {
      const dead = monitor(target);
      const live = monitor(other);
      yield receive((m) => m === 'target is dead now');
      got.push(demonitor(dead, { flush: true, info: true }));
      got.push(demonitor(live, { flush: true, info: true }));
      got.push(yield receive(null, { after: 0 }));
    });
    h.run();
    h.exit(target, 'bye');
    h.s.send(me, 'target is dead now');
    h.run();
    expect(got).toEqual([false, true, TIMEOUT]);
  });

  it('answers false for a reference that is no monitor of the caller (erlang:demonitor/2 docs, info)', () => {
    const h = setup();
    const target = spawn(idle);
    let theirs: Ref | undefined;
    const got: unknown[] = [];
    spawn(function* (): Proc {
      theirs = monitor(target);
      yield receive(() => false);
    });
    h.run();
    spawn(() => got.push(demonitor(theirs!, { info: true }), demonitor(theirs!, { flush: true, info: true })));
    h.run();
    expect(got).toEqual([false, false]);
    // Someone else's monitor is left alone.
    expect(h.s.info(target)!.monitoredBy).toHaveLength(1);
  });

  it('rejects options other than flush and info, and refs that are not refs, with badarg (erlang:demonitor/2 docs, Failure: badarg)', () => {
    const h = setup();
    const target = spawn(idle);
    const errors: unknown[] = [];
    spawn(() => {
      const ref = monitor(target);
      for (const call of [
        () => demonitor(ref, { bogus: true } as never),
        () => demonitor(ref, { info: 'yes' } as never),
        () => demonitor('not a ref' as Ref),
      ]) {
        try {
          call();
        } catch (e) {
          errors.push(e);
        }
      }
    });
    h.run();
    expect(errors).toHaveLength(3);
    for (const e of errors) expect((e as Error).message).toMatch(/\bbadarg\b/);
    expect((errors[0] as Error).message).toMatch(/\bbogus\b/);
  });
});
