/**
 * Agent against Elixir's rules. Each `it` names the rule and where it is stated: Elixir's Agent
 * docs (https://hexdocs.pm/elixir/Agent.html) or its source, lib/elixir/lib/agent/server.ex.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Pid, setDefaultScheduler, sleep } from '../../../runtime/core/index.ts';
import { Agent, Supervisor } from '../../../runtime/behaviours/index.ts';
import { driven, okPid } from './helpers.ts';

afterEach(() => setDefaultScheduler(null));

function world() {
  const { h, d } = driven();
  return { h, d };
}

describe('start', () => {
  it("runs the function in the new process and makes its result the state (start_link/2)", () => {
    const { h, d } = world();
    let ranIn: Pid | null = null;
    const agent = okPid(d.run(() => Agent.startLink(() => {
      ranIn = h.s.current!.pid;
      return { count: 42 };
    })));
    expect(ranIn).toBe(agent);
    expect(d.run(() => Agent.get(agent, (s: { count: number }) => s.count))).toBe(42);
    expect(h.s.info(agent)!.behaviour).toBe('Agent');
    expect(h.s.info(agent)!.links).toContain(d.pid);
  });

  it("returns ['error', reason] when the function throws (start/2 docs: {:error, {exception, _}})", () => {
    const { d } = world();
    const r = d.run(() => Agent.start(() => {
      throw new Error('oops');
    }));
    expect(r).toMatchObject(['error', { error: { name: 'Error', message: 'oops' } }]);
    expect(d.alive()).toBe(true);
  });

  it("registers a name, and a second agent under it gets ['error', {already_started: pid}] (GenServer docs, name registration)", () => {
    const { d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => 1, { name: 'test.agent.named' })));
    expect(d.run(() => Agent.get('test.agent.named', (n: number) => n + 1))).toBe(2);
    expect(d.run(() => Agent.startLink(() => 2, { name: 'test.agent.named' }))).toEqual(['error', { already_started: a }]);
  });

  it('is not linked to the caller when started with start (start/2)', () => {
    const { h, d } = world();
    const a = okPid(d.run(() => Agent.start(() => 0)));
    expect(h.s.info(a)!.links).toEqual([]);
  });
});

describe('get, update, getAndUpdate, cast', () => {
  it("update makes fn(state) the state and returns 'ok' (update/3)", () => {
    const { d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => 42)));
    expect(d.run(() => Agent.update(a, (n: number) => n + 1))).toBe('ok');
    expect(d.run(() => Agent.get(a, (n: number) => n))).toBe(43);
  });

  it('getAndUpdate returns the first element of [reply, newState] and keeps the second (get_and_update/3)', () => {
    const { d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => 42)));
    expect(d.run(() => Agent.getAndUpdate(a, (n: number) => [n, n + 1]))).toBe(42);
    expect(d.run(() => Agent.get(a, (n: number) => n))).toBe(43);
  });

  it("cast returns 'ok' at once and applies the functions in the order sent (cast/2)", () => {
    const { h, d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => [] as string[])));
    d.run(() => {
      expect(Agent.cast(a, (l: string[]) => [...l, 'one'])).toBe('ok');
      Agent.cast(a, (l: string[]) => [...l, 'two']);
      // Nothing has run yet: the driver has not let the agent in.
      expect(h.s.info(a)!.mailboxLength).toBe(2);
    });
    expect(d.run(() => Agent.get(a, (l: string[]) => l))).toEqual(['one', 'two']);
    // A cast to nobody is fine too.
    expect(d.run(() => Agent.cast('test.agent.nobody', (x: number) => x))).toBe('ok');
  });

  it('a getAndUpdate function that does not return [reply, state] stops the agent with bad_return_value (agent/server.ex)', () => {
    const { h, d } = world();
    const a = okPid(d.run(() => Agent.start(() => 1)));
    const reason = d.exitOf(() => Agent.getAndUpdate(a, () => 'nope' as never));
    expect(reason).toEqual({ bad_return_value: 'nope' });
    expect(h.exits.get(a)).toEqual({ bad_return_value: 'nope' });
  });

  it('the caller exits with timeout when the answer takes longer, and the late answer is dropped (get/3: "the caller exits")', () => {
    const { h, d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => 1)));
    expect(d.exitOf(() => Agent.get(a, (n: number) => n, 0))).toBe('timeout');
    h.run();
    expect(d.mailbox()).toEqual([]);
    expect(d.run(() => Agent.get(a, (n: number) => n))).toBe(1);
  });

  it('a function that takes longer than the timeout (a generator that sleeps) exits the caller with timeout while the agent goes on (get/3: "If no result is received within the specified time, the function call fails and the caller exits")', () => {
    const { h, d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => 1)));
    const slow = function* (n: number) {
      yield sleep(100);
      return n + 1;
    };
    const out = d.start(() => Agent.get(a, slow, 50));
    expect(out.done).toBe(false);
    h.advance(50);
    expect(out).toEqual({ done: true, exit: 'timeout' });
    expect(h.s.procs.has(a)).toBe(true);
    // The agent finishes the function, and serves the next request afterwards.
    const next = d.start(() => Agent.getAndUpdate(a, function* (n: number) {
      yield sleep(10);
      return [n, n * 10] as [number, number];
    }));
    h.advance(50);
    h.advance(10);
    expect(next).toEqual({ done: true, value: 1 });
    expect(d.run(() => Agent.get(a, (n: number) => n))).toBe(10);
    expect(d.mailbox()).toEqual([]);
  });

  it('start, update and cast functions may be generators too (the agent waits for them, as for GenServer callbacks)', () => {
    const { h, d } = world();
    const started = d.start(() => Agent.startLink(function* () {
      yield sleep(5);
      return 'a';
    }));
    h.advance(5);
    const a = okPid(started.value);
    d.start(() => Agent.update(a, function* (s: string) {
      yield sleep(5);
      return s + 'b';
    }));
    h.advance(5);
    d.run(() => Agent.cast(a, function* (s: string) {
      yield sleep(5);
      return s + 'c';
    }));
    h.advance(5);
    expect(d.run(() => Agent.get(a, (s: string) => s))).toBe('abc');
  });

  it('the caller exits with the reason a function crashed the agent with (GenServer.call docs)', () => {
    const { d } = world();
    const a = okPid(d.run(() => Agent.start(() => 1)));
    const reason = d.exitOf(() => Agent.get(a, () => {
      throw new Error('bad fn');
    }));
    expect(reason).toMatchObject({ error: { message: 'bad fn' } });
    expect(d.exitOf(() => Agent.get(a, (n: number) => n))).toBe('noproc');
  });
});

describe('stop and supervision', () => {
  it("stop waits for the agent to terminate and returns 'ok' (stop/3)", () => {
    const { h, d } = world();
    const a = okPid(d.run(() => Agent.startLink(() => 1)));
    expect(d.run(() => Agent.stop(a))).toBe('ok');
    expect(h.s.info(a)).toBeUndefined();
    expect(d.alive()).toBe(true);
  });

  it('childSpec starts it under a supervisor, which restarts it with its initial state (Agent docs, "How to supervise")', () => {
    const { h, d } = world();
    const sup = okPid(d.run(() => Supervisor.startLink([Agent.childSpec(() => 0, { id: 'counter', name: 'test.agent.counter' })])));
    d.run(() => Agent.update('test.agent.counter', (n: number) => n + 5));
    const first = h.s.whereis('test.agent.counter')!;
    h.exit(first, 'boom');
    h.run();
    const second = h.s.whereis('test.agent.counter')!;
    expect(second).not.toBe(first);
    expect(d.run(() => Agent.get('test.agent.counter', (n: number) => n))).toBe(0);
    expect(d.run(() => Supervisor.whichChildren(sup))).toEqual([{ id: 'counter', pid: second, type: 'worker' }]);
  });
});
