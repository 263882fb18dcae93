/**
 * Messages are values (DESIGN decision 3; runtime/core/sealMessage.ts). On the BEAM a message is
 * copied into the receiver's heap: "The message is a copy of the term" and nothing the sender
 * does afterwards reaches the receiver (Erlang reference manual, Processes, "Sending Messages";
 * Efficiency Guide, "Processes": "All data in messages sent between Erlang processes is copied").
 * On one Orchard scheduler the message is handed over by reference, so development and test
 * builds freeze it (or copy what freezing cannot protect), and run the clone check that sends to
 * other schedulers run. Production builds keep the zero-copy hand-over (`freezeMessages: false`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  OrchardError, type Pid, Scheduler, exit, receive, receiveLoop, send, setDefaultScheduler, spawn, trapExit,
} from '../../../runtime/core/index.ts';
import { isProductionBuild, sealMessage } from '../../../runtime/core/sealMessage.ts';
import { findUncloneable } from '../../../runtime/core/findUncloneable.ts';
import { type Harness, type Proc, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

/** A process that keeps every message it takes. */
function keeper(h: Harness): { pid: Pid; got: unknown[] } {
  const got: unknown[] = [];
  const pid = spawn(() => receiveLoop((m) => void got.push(m)));
  h.run();
  return { pid, got };
}

describe('freezeMessages', () => {
  it('is on by default outside production builds (vitest runs with NODE_ENV=test)', () => {
    expect(isProductionBuild()).toBe(false);
    expect(new Scheduler().freezeMessages).toBe(true);
    expect(new Scheduler({ freezeMessages: false }).freezeMessages).toBe(false);
  });

  it('is off when NODE_ENV is production', () => {
    const was = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(new Scheduler().freezeMessages).toBe(false);
    } finally {
      process.env.NODE_ENV = was;
    }
  });
});

describe('a message sent on one scheduler is a value (reference manual, "Sending Messages")', () => {
  it('a mutation by the sender after send throws, and the receiver sees what was sent', () => {
    const h = setup();
    const k = keeper(h);
    let error: unknown;
    spawn(() => {
      const m = { count: 1, items: [1, 2], nested: { deep: 'x' } };
      send(k.pid, m);
      try {
        m.items.push(3);
      } catch (e) {
        error = e;
      }
    });
    h.run();
    expect(error).toBeInstanceOf(TypeError);
    expect(k.got).toEqual([{ count: 1, items: [1, 2], nested: { deep: 'x' } }]);
    expect(Object.isFrozen((k.got[0] as { nested: object }).nested)).toBe(true);
  });

  it('a mutation by the receiver throws too: another receiver of the same object cannot be reached', () => {
    const h = setup();
    const errors: unknown[] = [];
    const a = spawn(function* (): Proc {
      const m = (yield receive()) as { n: number };
      try {
        m.n = 99;
      } catch (e) {
        errors.push(e);
      }
    });
    const b = keeper(h);
    const shared = { n: 1 };
    h.s.send(a, shared);
    h.s.send(b.pid, shared);
    h.run();
    expect(errors[0]).toBeInstanceOf(TypeError);
    expect(b.got).toEqual([{ n: 1 }]);
  });

  it('Map, Set, Date and typed arrays, which freezing cannot protect, are copied: later changes do not reach the receiver', () => {
    const h = setup();
    const k = keeper(h);
    const map = new Map([['a', 1]]);
    const set = new Set([1]);
    const bytes = new Uint8Array([1, 2, 3]);
    const date = new Date(1000);
    h.s.send(k.pid, { map, set, bytes, date, list: [map] });
    map.set('b', 2);
    set.add(2);
    bytes[0] = 9;
    date.setTime(5000);
    h.run();
    const got = k.got[0] as { map: Map<string, number>; set: Set<number>; bytes: Uint8Array; date: Date; list: Map<string, number>[] };
    expect([...got.map]).toEqual([['a', 1]]);
    expect([...got.list[0]!]).toEqual([['a', 1]]);
    expect([...got.set]).toEqual([1]);
    expect([...got.bytes]).toEqual([1, 2, 3]);
    expect(got.date.getTime()).toBe(1000);
  });

  it('exit reasons are values too: the reason an EXIT message carries cannot be changed (reference manual, "Receiving Exit Signals")', () => {
    const h = setup();
    const got: unknown[] = [];
    const reason = { why: 'crash', detail: [1] };
    spawn(function* (): Proc {
      trapExit(true);
      spawn(() => exit(reason), [], { link: true });
      got.push(yield receive());
    });
    h.run();
    expect(got).toEqual([expect.objectContaining({ type: 'EXIT', reason: { why: 'crash', detail: [1] } })]);
    expect(Object.isFrozen((got[0] as { reason: { detail: unknown[] } }).reason.detail)).toBe(true);
  });

  it('with freezeMessages off, a message is handed over by reference (production builds: zero-copy)', () => {
    const h = setup({ freezeMessages: false });
    const k = keeper(h);
    const m = { n: 1 };
    h.s.send(k.pid, m);
    h.run();
    expect(k.got[0]).toBe(m);
    expect(Object.isFrozen(m)).toBe(false);
  });

  it('a value sent twice is sealed once: the frozen object itself goes to both', () => {
    const once = sealMessage({ a: [1] });
    expect(sealMessage(once)).toBe(once);
  });
});

describe('the clone check runs on local sends too (Orchard: not_cloneable at the sender, on any placement)', () => {
  class Point {
    constructor(readonly x: number) {}
  }
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a class instance', () => ({ at: new Point(1) }), /instance of Point.*\bat\b/],
    ['a URL', () => ({ link: new URL('https://example.com/x') }), /a URL/],
    ['a MessagePort', () => ({ port: new MessageChannel().port1 }), /a MessagePort/],
    ['a Proxy', () => ({ p: new Proxy({}, {}) }), /a Proxy/],
    ['a symbol', () => ({ s: Symbol('s') }), /a symbol/],
    ['a Promise', () => [Promise.resolve(1)], /a Promise/],
    [
      'a getter that throws',
      () => ({
        get broken(): number {
          throw new Error('no value');
        },
      }),
      /a getter that throws \(Error: no value\) at broken/,
    ],
  ];
  for (const [what, value, named] of cases) {
    it(`${what} fails at the sender with not_cloneable, naming it and the target, and the sender can go on`, () => {
      const h = setup();
      const k = keeper(h);
      let error: unknown;
      let after = false;
      const sender = spawn(() => {
        try {
          send(k.pid, value());
        } catch (e) {
          error = e;
        }
        after = true;
      });
      h.run();
      expect(error).toBeInstanceOf(OrchardError);
      expect((error as OrchardError).code).toBe('not_cloneable');
      expect((error as Error).message).toMatch(named);
      expect((error as Error).message).toContain(k.pid);
      expect(after).toBe(true);
      expect(k.got).toEqual([]);
      expect(h.exits.get(sender)).toBe('normal');
    });
  }

  it('the same values fail the cross-scheduler check, so placement does not change the answer', () => {
    for (const [, value, named] of cases) expect(findUncloneable(value())).toMatch(named);
    // A function may be sent within its scheduler (a closure runs only where it was made).
    expect(findUncloneable({ f: () => 1 }, true)).toBeNull();
    expect(findUncloneable({ f: () => 1 })).toMatch(/a function/);
  });

  it('a function may be sent within its scheduler, and is not frozen (Agent and Task send functions)', () => {
    const h = setup();
    const k = keeper(h);
    const fn = (): number => 1;
    h.s.send(k.pid, { fn });
    h.run();
    expect((k.got[0] as { fn: unknown }).fn).toBe(fn);
    expect(Object.isFrozen(fn)).toBe(false);
  });

  it('exit/2 with a reason that cannot be copied fails at the sender, and the target lives (erlang:exit/2)', () => {
    const h = setup();
    const k = keeper(h);
    let error: unknown;
    spawn(() => {
      try {
        exit(k.pid, { at: new URL('https://example.com') });
      } catch (e) {
        error = e;
      }
    });
    h.run();
    expect((error as OrchardError).code).toBe('not_cloneable');
    expect((error as Error).message).toMatch(/exit reason.*a URL/);
    expect(h.s.info(k.pid)).toBeDefined();
  });

  it('with freezeMessages off, local sends are not checked (production builds)', () => {
    const h = setup({ freezeMessages: false });
    const k = keeper(h);
    h.s.send(k.pid, new URL('https://example.com'));
    h.run();
    expect(k.got).toHaveLength(1);
  });
});
