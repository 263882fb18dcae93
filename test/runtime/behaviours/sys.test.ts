/**
 * The sys side of a GenServer (runtime/behaviours/sys.ts) against OTP's sys module
 * (https://www.erlang.org/doc/apps/stdlib/sys.html) and gen_server's logs: its crash report
 * (gen_server.erl, error_info/7) and Elixir's unexpected-message warning (GenServer's default
 * handle_info/2, lib/elixir/lib/gen_server.ex).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RuntimeEvent, setDefaultScheduler } from '../../../runtime/core/index.ts';
import { GenServer } from '../../../runtime/behaviours/index.ts';
import { sysStatus } from '../../../runtime/behaviours/sys.ts';
import { driven, okPid } from './helpers.ts';

afterEach(() => setDefaultScheduler(null));

/** A counter without handleInfo; `crash` casts raise, `{ stop }` casts stop with that reason. */
const counter: GenServer.Callbacks<number> = {
  init: (n: number) => ['ok', n],
  handleCall: (req, _from, n) => (req === 'get' ? ['reply', n, n] : ['reply', null, n]),
  handleCast(req, n) {
    if (req === 'crash') throw new Error('boom');
    if (typeof req === 'object' && req !== null && 'stop' in req) return ['stop', req.stop, n];
    return ['noreply', n + 1];
  },
  formatStatus: (n) => ({ count: n }),
};

describe('sys:suspend/1 and sys:resume/1', () => {
  it('a suspended server handles no message until resumed, then all of them in order (sys docs, suspend/1: "only system messages")', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.startLink(counter, 0)));
    h.s.send(pid, { type: '$system', request: 'suspend' });
    h.run();
    for (let i = 0; i < 3; i++) h.s.send(pid, { type: '$gen_cast', request: 'inc' });
    h.run();
    expect(h.s.info(pid)!.mailboxLength).toBe(3);
    expect(sysStatus(h.s.procs.get(pid)!)!.suspended).toBe(true);
    h.s.send(pid, { type: '$system', request: 'resume' });
    h.run();
    expect(h.s.info(pid)!.mailboxLength).toBe(0);
    expect(d.run(() => GenServer.call(pid, 'get'))).toBe(3);
    expect(sysStatus(h.s.procs.get(pid)!)!.suspended).toBe(false);
  });

  it('answers a system message that carries from and tag with ok (sys docs: "the process replies ok")', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.startLink(counter, 0)));
    h.s.send(pid, { type: '$system', request: 'suspend', from: d.pid, tag: 'T1' });
    h.run();
    expect(d.mailbox()).toContainEqual({ type: '$system_reply', tag: 'T1', reply: 'ok' });
  });
});

describe('sys:get_status/1', () => {
  it('shows the module, the state as formatStatus presents it and the last message handled, a call as its request and caller', () => {
    const { h, d } = driven();
    GenServer.define('sys.test.counter', counter);
    const pid = okPid(d.run(() => GenServer.startLink('sys.test.counter', 5)));
    const p = () => h.s.procs.get(pid)!;
    expect(sysStatus(p())).toEqual({ behaviour: 'GenServer', module: 'sys.test.counter', suspended: false, state: { count: 5 } });
    h.s.send(pid, { type: '$gen_cast', request: 'inc' });
    h.run();
    expect(sysStatus(p())!.lastMessage).toEqual({ type: '$gen_cast', request: 'inc' });
    d.run(() => GenServer.call(pid, 'get'));
    expect(sysStatus(p())).toMatchObject({ lastMessage: 'get', from: d.pid, state: { count: 6 } });
  });

  it('is null for a process that runs no GenServer', () => {
    const { h, d } = driven();
    expect(sysStatus(h.s.procs.get(d.pid)!)).toBeNull();
  });
});

describe('crash report', () => {
  const exitOf = (events: RuntimeEvent[], pid: string) => events.find((e) => e.type === 'exit' && e.pid === pid) as Extract<RuntimeEvent, { type: 'exit' }>;

  it('a callback that raises leaves the last message and the formatted state on the exit event (gen_server.erl, error_info: "Last message in was", "When Server state ==")', () => {
    const { h, d } = driven({ trapExit: true });
    const pid = okPid(d.run(() => GenServer.startLink(counter, 2, { name: 'sys_crasher' })));
    h.s.send(pid, { type: '$gen_cast', request: 'crash' });
    h.run();
    const e = exitOf(h.events, pid);
    expect(e.crash).toEqual({ behaviour: 'GenServer', name: 'sys_crasher', lastMessage: { type: '$gen_cast', request: 'crash' }, state: { count: 2 } });
  });

  it('a stop with an abnormal reason is reported; normal, shutdown and {shutdown, _} are not (gen_server docs, terminate/2)', () => {
    const { h, d } = driven({ trapExit: true });
    const reasons = ['normal', 'shutdown', { shutdown: 'bye' }, 'bad'];
    const pids = reasons.map((reason) => {
      const pid = okPid(d.run(() => GenServer.startLink(counter, 0)));
      h.s.send(pid, { type: '$gen_cast', request: { stop: reason } });
      h.run();
      return pid;
    });
    expect(pids.map((pid) => exitOf(h.events, pid).crash === undefined)).toEqual([true, true, true, false]);
  });

  it('a server killed by an exit signal runs no code and leaves no report', () => {
    const { h, d } = driven({ trapExit: true });
    const pid = okPid(d.run(() => GenServer.startLink(counter, 0)));
    h.exit(pid, 'kill');
    h.run();
    expect(exitOf(h.events, pid).crash).toBeUndefined();
  });
});

describe('unexpected messages', () => {
  it('a message with no handleInfo to take it is dropped with an unexpected event, and the server goes on (Elixir GenServer, default handle_info/2)', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.startLink(counter, 1, { name: 'sys_plain' })));
    h.s.send(pid, 'inc');
    h.run();
    const u = h.events.filter((e) => e.type === 'unexpected');
    expect(u).toEqual([expect.objectContaining({ pid, behaviour: 'GenServer', name: 'sys_plain', callback: 'handle_info', message: 'inc' })]);
    expect(d.run(() => GenServer.call(pid, 'get'))).toBe(1);
  });
});
