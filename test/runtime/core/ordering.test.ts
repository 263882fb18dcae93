import { afterEach, describe, expect, it } from 'vitest';
import { exit, link, monitor, receive, register, send, setDefaultScheduler, spawn, trapExit, whereis, type Pid } from '../../../runtime/core/index.ts';
import { type Proc, collector, setup } from '../../utils.ts';
import { monitor as monitorProcess } from '../../../runtime/core/monitors.ts';

afterEach(() => setDefaultScheduler(null));

describe('signal ordering', () => {
  it('between one pair of processes, messages arrive in the order sent (Erlang reference manual, Processes, "Signal Delivery")', () => {
    const h = setup();
    const out = collector(h);
    spawn(() => {
      for (let i = 0; i < 100; i++) send(out.pid, i);
    });
    h.run();
    expect(out.messages).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('messages then an exit signal to a trapping process: EXIT comes after the messages (Erlang reference manual, Processes, "Signal Delivery")', () => {
    const h = setup();
    const out = collector(h, { trapExit: true });
    const from = spawn(() => {
      send(out.pid, 'one');
      send(out.pid, 'two');
      exit(out.pid, 'stop');
      send(out.pid, 'three');
    });
    h.run();
    expect(out.messages).toEqual(['one', 'two', { type: 'EXIT', from, reason: 'stop' }, 'three']);
  });

  it('messages then the sender exiting: the link EXIT and the DOWN come after its messages (Erlang reference manual, Processes, "Signal Delivery")', () => {
    const h = setup();
    const out = collector(h, { trapExit: true });
    const sender = spawn(function* (): Proc {
      link(out.pid);
      yield receive();
      send(out.pid, 'last words');
      exit('crash');
    });
    h.run();
    // The collector monitors the sender too (through the scheduler: it runs no code of ours).
    const downRef = monitorProcess(h.s, h.s.procs.get(out.pid)!, sender);
    h.s.send(sender, 'go');
    h.run();
    expect(out.messages).toEqual([
      'last words',
      { type: 'EXIT', from: sender, reason: 'crash' },
      { type: 'DOWN', ref: downRef, pid: sender, reason: 'crash' },
    ]);
  });
});

describe('registered name on exit', () => {
  it('is freed before the DOWN reaches anyone: the DOWN receiver can register it at once (Erlang reference manual, Processes, "Process Termination")', () => {
    const h = setup();
    const old = spawn(function* (): Proc {
      register('test.ordering.server');
      yield receive();
      exit('crash');
    });
    h.run();
    const seen: Array<Pid | undefined> = [];
    let registeredOk = false;
    const heir = spawn(function* (): Proc {
      monitor(old);
      yield receive({ type: 'DOWN' });
      seen.push(whereis('test.ordering.server'));
      registeredOk = register('test.ordering.server');
      yield receive(() => false);
    });
    h.run();
    h.s.send(old, 'go');
    h.run();
    expect(seen).toEqual([undefined]);
    expect(registeredOk).toBe(true);
    expect(whereis('test.ordering.server')).toBe(heir);
  });

  it('is freed before the EXIT reaches a trapping linked process, which can register it at once (Erlang reference manual, Processes, "Process Termination")', () => {
    const h = setup();
    const names: Array<Pid | undefined> = [];
    const heir = spawn(function* (): Proc {
      trapExit(true);
      const child = spawn(function* (): Proc {
        register('test.ordering.child');
        yield receive();
        exit('crash');
      });
      link(child);
      yield receive((m) => m === 'registered?');
      names.push(whereis('test.ordering.child'));
      send(child, 'die');
      yield receive({ type: 'EXIT' });
      names.push(whereis('test.ordering.child'));
      register('test.ordering.child');
      names.push(whereis('test.ordering.child'));
    });
    h.run();
    h.s.send(heir, 'registered?');
    h.run();
    expect(names).toEqual([expect.stringMatching(/^<0\./), undefined, heir]);
  });
});
