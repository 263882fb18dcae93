import { afterEach, describe, expect, it } from 'vitest';
import { receive, register, self, send, setDefaultScheduler, spawn } from '../../../runtime/core/index.ts';
import { type Proc, alive, collector, dead, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('send', () => {
  it('is asynchronous: the sender goes on before the receiver runs (Erlang reference manual, Processes, "Sending Messages")', () => {
    const h = setup();
    const log: string[] = [];
    const receiver = spawn(function* (): Proc {
      const m = yield receive();
      log.push(`receiver got ${String(m)}`);
    });
    h.run();
    spawn(() => {
      send(receiver, 'hello');
      log.push('sender went on');
    });
    h.run();
    expect(log).toEqual(['sender went on', 'receiver got hello']);
  });

  it('from outside any process only queues the message; the receiver takes it when it runs (Erlang reference manual, Processes, "Sending Messages")', () => {
    const h = setup();
    const out = collector(h);
    send(out.pid, { n: 1 });
    expect(out.messages).toEqual([]);
    expect(h.s.info(out.pid)?.mailboxLength).toBe(1);
    h.run();
    expect(out.messages).toEqual([{ n: 1 }]);
  });

  it('to a registered name delivers to the process registered under it (erlang:send/2 docs)', () => {
    const h = setup();
    const out = collector(h);
    h.s.register('test.send.target', out.pid);
    spawn(() => send('test.send.target', 'by name'));
    h.run();
    expect(out.messages).toEqual(['by name']);
  });

  it('to a dead pid is silently dropped and the sender goes on (Erlang reference manual, Processes, "Sending Messages")', () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    expect(dead(h, gone)).toBe(true);
    let after = false;
    const sender = spawn(function* (): Proc {
      send(gone, 'into the void');
      after = true;
      yield receive();
    });
    h.run();
    expect(after).toBe(true);
    expect(alive(h, sender)).toBe(true);
    expect(() => send(gone, 'from the host')).not.toThrow();
  });

  it('to an unregistered name throws badarg naming the name (erlang:send/2 docs, "Failure: badarg")', () => {
    const h = setup();
    let caught: unknown = null;
    const sender = spawn(function* (): Proc {
      try {
        send('test.send.nobody', 'hello');
      } catch (e) {
        caught = e;
      }
      yield receive();
    });
    h.run();
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toMatch(/\bbadarg\b/);
    expect((caught as Error).message).toMatch(/test\.send\.nobody/);
    expect(alive(h, sender)).toBe(true);
  });

  it('to an unregistered name, uncaught, ends the sender with the badarg error as its reason (Erlang reference manual, Errors)', () => {
    const h = setup();
    const sender = spawn(() => send('test.send.nobody', 'hello'));
    h.run();
    expect(h.exits.get(sender)).toMatchObject({ error: { name: 'OrchardError', message: expect.stringMatching(/\bbadarg\b.*test\.send\.nobody/) } });
  });

  it('to itself puts the message in its own mailbox (erlang:send/2 docs)', () => {
    const h = setup();
    const got: unknown[] = [];
    spawn(function* (): Proc {
      send(self(), 'note to self');
      got.push(yield receive());
    });
    h.run();
    expect(got).toEqual(['note to self']);
  });

  it('registers under a name and sends by it from inside processes (erlang:register/2 docs)', () => {
    const h = setup();
    const got: unknown[] = [];
    const server = spawn(function* (): Proc {
      register('test.send.server');
      got.push(yield receive());
    });
    h.run();
    spawn(() => send('test.send.server', 'hi server'));
    h.run();
    expect(got).toEqual(['hi server']);
    expect(dead(h, server)).toBe(true);
  });
});
