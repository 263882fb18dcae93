/**
 * GenServer against gen_server's rules. Each `it` names the rule and where OTP states it: the
 * gen_server reference manual (https://www.erlang.org/doc/apps/stdlib/gen_server.html) or a
 * test case of OTP's lib/stdlib/test/gen_server_SUITE.erl.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type NameTable, type Pid, type Wait, ProcessExit, exit, receive, self, send, setDefaultScheduler, spawn, trapExit,
} from '../../../runtime/core/index.ts';
import { GenServer } from '../../../runtime/behaviours/index.ts';
import { type Log, driven, driver, harness, okPid } from './helpers.ts';

afterEach(() => setDefaultScheduler(null));

/** A server that records every callback in `log`; its state is a number. */
function counter(log: Log, extra: Partial<GenServer.Callbacks<number>> = {}): GenServer.Callbacks<number> {
  return {
    init(arg: number) {
      log.push(['init', arg]);
      return ['ok', arg];
    },
    handleCall(request: unknown, _from, n) {
      log.push(['call', request]);
      if (request === 'get') return ['reply', n, n];
      if (request === 'inc') return ['reply', n + 1, n + 1];
      return ['reply', null, n];
    },
    handleCast(request: unknown, n) {
      log.push(['cast', request]);
      if (request === 'inc') return ['noreply', n + 1];
      if (typeof request === 'object' && request !== null && 'stop' in request) return ['stop', (request as { stop: unknown }).stop, n];
      return ['noreply', n];
    },
    handleInfo(message: unknown, n) {
      log.push(['info', message]);
      if (message === 'crash') throw new Error('crashed in handleInfo');
      return ['noreply', n];
    },
    terminate(reason, n) {
      log.push(['terminate', reason, n]);
    },
    ...extra,
  };
}

/** A server whose `'hold'` calls are answered only when it is cast `{ answer }`. */
function deferred(log: Log): GenServer.Callbacks<{ held: GenServer.From[] }> {
  return {
    init: () => ['ok', { held: [] }],
    handleCall(request: unknown, from, state) {
      log.push(['call', request]);
      if (request === 'hold') return ['noreply', { held: [...state.held, from] }];
      return ['reply', request, state];
    },
    handleCast(request: { answer: unknown }, state) {
      for (const from of state.held) GenServer.reply(from, request.answer);
      return ['noreply', { held: [] }];
    },
  };
}

describe('start and startLink', () => {
  it('returns {ok, Pid} only after init has run, with the init argument (gen_server docs, start_link/3)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const r = d.run(() => GenServer.startLink(counter(log), 7));
    const pid = okPid(r);
    expect(log).toEqual([['init', 7]]);
    expect(h.s.info(pid)!.behaviour).toBe('GenServer');
    expect(d.run(() => GenServer.call(pid, 'get'))).toBe(7);
  });

  it('links the server to the caller with startLink, not with start (gen_server docs, start/3: "a standalone gen_server process")', () => {
    const { h, d } = driven();
    const linked = okPid(d.run(() => GenServer.startLink(counter([]), 0)));
    const standalone = okPid(d.run(() => GenServer.start(counter([]), 0)));
    expect(h.s.info(linked)!.links).toEqual([d.pid]);
    expect(h.s.info(standalone)!.links).toEqual([]);
  });

  it('starts a callback module registered by name with define (gen_server docs, start_link/3 "Module")', () => {
    const { h, d } = driven();
    const log: Log = [];
    GenServer.define('genServer.test.counter', counter(log));
    const pid = okPid(d.run(() => GenServer.startLink('genServer.test.counter', 3)));
    expect(log).toEqual([['init', 3]]);
    expect(h.s.info(pid)!.initialCall).toBe('genServer.test.counter');
    expect(d.run(() => GenServer.call(pid, 'inc'))).toBe(4);
  });

  it('registers the server under options.name until it exits (gen_server docs, start_link/4 {local,Name})', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.start(counter([]), 1, { name: 'gs_named' })));
    expect(h.s.whereis('gs_named')).toBe(pid);
    expect(d.run(() => GenServer.call('gs_named', 'inc'))).toBe(2);
    d.run(() => GenServer.stop('gs_named'));
    expect(h.s.whereis('gs_named')).toBeUndefined();
  });

  it('returns {error, {already_started, Pid}} when the name is taken, and the new process exits normal (gen_server_SUITE, start)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const first = okPid(d.run(() => GenServer.start(counter(log), 1, { name: 'gs_taken' })));
    const before = h.s.procs.size;
    const r = d.run(() => GenServer.startLink(counter(log), 2, { name: 'gs_taken' }));
    expect(r).toEqual(['error', { already_started: first }]);
    expect(log).toEqual([['init', 1]]); // the second init never ran
    expect(h.s.procs.size).toBe(before);
    const second = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
    expect(h.exits.get(second)).toBe('normal');
    expect(d.alive()).toBe(true);
  });

  it('unregisters the name before it tells the starter that init failed, so a restart at once can take it (gen_server.erl init_it: unregister_name before init_fail)', () => {
    // A name table that notes, at each release, whether the starter already holds its answer.
    const table = new Map<string, Pid>();
    const releases: Array<[string, boolean]> = [];
    let starterHasAnswer = (): boolean => false;
    const names: NameTable = {
      get: (name) => table.get(name),
      claim: (name, pid) => table.get(name) ?? (table.set(name, pid), null),
      release(name, pid) {
        if (table.get(name) === pid) table.delete(name);
        releases.push([name, starterHasAnswer()]);
      },
      names: () => [...table.keys()],
    };
    const h = harness({ names });
    const d = driver(h);
    starterHasAnswer = () => d.mailbox().some((m) => (m as { type?: string }).type === '$ack');
    const outcomes: GenServer.InitResult<number>[] = ['ignore', ['stop', 'no'], ['error', 'no'], 'bad' as never];
    for (const [i, result] of outcomes.entries()) {
      const r = d.run(() => GenServer.start(counter([], { init: () => result }), 0, { name: `gs_failing_${i}` }));
      expect(r === 'ignore' || r[0] === 'error').toBe(true);
    }
    expect(releases).toEqual(outcomes.map((_, i) => [`gs_failing_${i}`, false]));
  });

  it('gives up after options.timeout: kills the server and returns {error, timeout} (gen_server_SUITE, start "anonymous with timeout")', () => {
    const { h, d } = driven();
    const slow: GenServer.Callbacks<null> = {
      *init(): Generator<Wait, GenServer.InitResult<null>, unknown> {
        yield receive(() => false, { after: 1000 });
        return ['ok', null];
      },
    };
    const out = d.start(() => GenServer.startLink(slow, null, { timeout: 100 }));
    expect(out.done).toBe(false);
    h.advance(99);
    expect(out.done).toBe(false);
    h.advance(1);
    expect(out.value).toEqual(['error', 'timeout']);
    const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
    expect(h.exits.get(server)).toBe('killed');
    expect(d.alive()).toBe(true);
  });
});

describe('scheduler start option', () => {
  it('spawns a module server with the scheduler it is given, linked, and only the server itself (proc_lib start_link/5 SpawnOpts; gen_server {spawn_opt, _})', () => {
    const placed: Array<{ body: unknown; scheduler: unknown; link: unknown }> = [];
    const h = harness({ place: (body, _args, options) => (placed.push({ body, scheduler: options.scheduler, link: options.link }), null) });
    const log: Log = [];
    GenServer.define('test.gs.placed', counter(log));
    const d = driver(h);
    okPid(d.run(() => GenServer.startLink('test.gs.placed', 1, { scheduler: 2 })));
    okPid(d.run(() => GenServer.startLink('test.gs.placed', 1)));
    expect(placed).toEqual([{ body: 'test.gs.placed', scheduler: 2, link: true }]);
  });
});

describe('init results', () => {
  it('{ok, State} enters the loop with State (gen_server docs, Module:init/1)', () => {
    const { d } = driven();
    const pid = okPid(d.run(() => GenServer.start(counter([]), 41)));
    expect(d.run(() => GenServer.call(pid, 'inc'))).toBe(42);
  });

  it('{stop, Reason}: start returns {error, Reason}, the process exits with Reason, terminate is not called (gen_server docs, Module:init/1)', () => {
    const { h, d } = driven({ trapExit: true });
    const log: Log = [];
    const r = d.run(() => GenServer.startLink(counter(log, { init: () => ['stop', 'no_way'] }), 0));
    expect(r).toEqual(['error', 'no_way']);
    expect(log).toEqual([]);
    const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
    expect(h.exits.get(server)).toBe('no_way');
    // OTP 26+: start_link consumes the EXIT of the failed start from a trapping starter.
    expect(d.mailbox()).toEqual([]);
  });

  describe('a failed startLink leaves no EXIT message in a trapping starter (proc_lib docs, start_link/5: "receives (consumes) the \'EXIT\' message"; proc_lib.erl sync_start/flush_EXIT, OTP 26.0)', () => {
    const failures: Array<[string, GenServer.Callbacks<number>['init'], unknown]> = [
      ['{stop, Reason}', () => ['stop', 'no_way'], ['error', 'no_way']],
      ['{error, Reason}', () => ['error', 'no_way'], ['error', 'no_way']],
      ['ignore', () => 'ignore', 'ignore'],
      ['a crash in init', () => { throw new ProcessExit('init_crashed'); }, ['error', 'init_crashed']],
    ];
    for (const [what, init, expected] of failures) {
      it(`init returning ${what}`, () => {
        const { h, d } = driven({ trapExit: true });
        const r = d.run(() => GenServer.startLink(counter([], { init }), 0));
        expect(r).toEqual(expected);
        const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
        expect(h.exits.has(server)).toBe(true); // returned only once the server had exited
        expect(d.mailbox()).toEqual([]);
      });
    }

    it('a start that times out: the process is killed and its EXIT consumed', () => {
      const { h, d } = driven({ trapExit: true });
      const slow = counter([], { init: function* () { yield receive(() => false, { after: 1000 }); return ['ok', 0]; } });
      const out = d.start(() => GenServer.startLink(slow, 0, { timeout: 50 }));
      h.clock.advance(50);
      h.run();
      expect(out.value).toEqual(['error', 'timeout']);
      const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
      expect(h.exits.get(server)).toBe('killed');
      expect(d.mailbox()).toEqual([]);
    });

    it('a name already taken: {error, {already_started, Pid}} and no EXIT (gen.erl init_it, OTP 26)', () => {
      const { d } = driven({ trapExit: true });
      const first = okPid(d.run(() => GenServer.startLink(counter([]), 0, { name: 'taken' })));
      expect(d.run(() => GenServer.startLink(counter([]), 0, { name: 'taken' }))).toEqual(['error', { already_started: first }]);
      expect(d.mailbox()).toEqual([]);
    });
  });

  it("ignore: start returns ignore and the process exits normal (gen_server docs, Module:init/1)", () => {
    const { h, d } = driven();
    const r = d.run(() => GenServer.startLink(counter([], { init: () => 'ignore' }), 0));
    expect(r).toBe('ignore');
    const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
    expect(h.exits.get(server)).toBe('normal');
    expect(d.alive()).toBe(true);
  });

  it('{error, Reason}: start returns {error, Reason} and the process exits normal (gen_server docs, Module:init/1, OTP 26)', () => {
    const { h, d } = driven();
    const r = d.run(() => GenServer.startLink(counter([], { init: () => ['error', 'bad_config'] }), 0));
    expect(r).toEqual(['error', 'bad_config']);
    const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
    expect(h.exits.get(server)).toBe('normal');
    expect(d.alive()).toBe(true);
  });

  it('a crash in init: start returns {error, Reason} and the process exits with Reason (gen_server docs, start_link/4)', () => {
    const { h, d } = driven({ trapExit: true });
    const r = d.run(() =>
      GenServer.startLink(counter([], { init: () => { throw new Error('init blew up'); } }), 0),
    );
    expect(r).toMatchObject(['error', { error: { message: 'init blew up' } }]);
    const server = h.events.filter((e) => e.type === 'spawn').at(-1)!.pid;
    expect(h.exits.get(server)).toEqual((r as [string, unknown])[1]);
  });

  it('anything else: start returns {error, {bad_return_value, Value}} (gen_server docs, Module:init/1)', () => {
    const { d } = driven({ trapExit: true });
    const r = d.run(() => GenServer.startLink(counter([], { init: () => ({ ok: 1 }) as never }), 0));
    expect(r).toEqual(['error', { bad_return_value: { ok: 1 } }]);
  });
});

describe('handleCall', () => {
  it('{reply, Reply, NewState} answers the caller at once and keeps NewState (gen_server docs, Module:handle_call/3)', () => {
    const { d } = driven();
    const pid = okPid(d.run(() => GenServer.start(counter([]), 0)));
    expect(d.run(() => GenServer.call(pid, 'inc'))).toBe(1);
    expect(d.run(() => GenServer.call(pid, 'inc'))).toBe(2);
    expect(d.run(() => GenServer.call(pid, 'get'))).toBe(2);
  });

  it('{noreply, NewState} leaves the caller waiting until reply(From, Reply) (gen_server docs, reply/2; gen_server_SUITE, call "delayed_answer")', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.start(deferred([]), null)));
    const out = d.start(() => GenServer.call(pid, 'hold'));
    expect(out.done).toBe(false);
    GenServer.cast(pid, { answer: 'later' });
    h.run();
    expect(out).toMatchObject({ done: true, value: 'later' });
  });

  it('{stop, Reason, Reply, NewState}: terminate runs, then the caller gets Reply, and the server exits with Reason (gen_server docs, Module:handle_call/3)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const cbs = counter(log, {
      handleCall: (_r, _f, n) => ['stop', 'done', 'bye', n + 1],
    });
    const pid = okPid(d.run(() => GenServer.start(cbs, 0)));
    const reply = d.run(function* () {
      const r = yield* GenServer.call(pid, 'anything');
      log.push(['caller got', r]);
      return r;
    });
    expect(reply).toBe('bye');
    expect(log.slice(1)).toEqual([['terminate', 'done', 1], ['caller got', 'bye']]);
    expect(h.exits.get(pid)).toBe('done');
  });

  it('{stop, Reason, Reply, NewState}: the caller gets Reply even when terminate crashes (gen_server.erl handle_msg: reply in an after clause)', () => {
    const { h, d } = driven();
    const cbs = counter([], {
      handleCall: (_r, _f, n) => ['stop', 'done', 'bye', n],
      terminate: () => {
        throw new Error('terminate failed');
      },
    });
    const pid = okPid(d.run(() => GenServer.start(cbs, 0)));
    expect(d.run(() => GenServer.call(pid, 'anything'))).toBe('bye');
    expect(h.exits.get(pid)).toMatchObject({ error: { message: 'terminate failed' } });
  });

  it('a bad return value stops the server with {bad_return_value, Value}, and the caller exits with it (gen_server_SUITE, call "badreturn")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log, { handleCall: () => 'badreturn' as never }), 0)));
    expect(d.exitOf(() => GenServer.call(pid, 'x'))).toEqual({ bad_return_value: 'badreturn' });
    expect(log.at(-1)).toEqual(['terminate', { bad_return_value: 'badreturn' }, 0]);
    expect(h.exits.get(pid)).toEqual({ bad_return_value: 'badreturn' });
  });

  it('a generator callback may call another server; no other message is handled until it returns (gen_server docs, "the gen_server process handles one request at a time")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const backend = okPid(d.run(() => GenServer.start(deferred(log), null)));
    const front: GenServer.Callbacks<null> = {
      init: () => ['ok', null],
      *handleCall(request: string, _from, state): Generator<Wait, GenServer.CallResult<null>, unknown> {
        log.push(['front call', request]);
        const answer = yield* GenServer.call(backend, 'hold');
        return ['reply', `backend said ${String(answer)}`, state];
      },
      handleCast(request: unknown, state) {
        log.push(['front cast', request]);
        return ['noreply', state];
      },
    };
    const pid = okPid(d.run(() => GenServer.start(front, null)));
    const out = d.start(() => GenServer.call(pid, 'relay'));
    GenServer.cast(pid, 'poke');
    h.run();
    expect(out.done).toBe(false);
    expect(log).toEqual([['front call', 'relay'], ['call', 'hold']]);
    GenServer.cast(backend, { answer: 42 });
    h.run();
    expect(out.value).toBe('backend said 42');
    expect(log.at(-1)).toEqual(['front cast', 'poke']);
  });
});

describe('handleCast', () => {
  it('handles an asynchronous request; cast returns at once (gen_server docs, cast/2 and Module:handle_cast/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log), 0)));
    expect(GenServer.cast(pid, 'inc')).toBeUndefined();
    expect(log).toEqual([['init', 0]]); // not handled yet: cast does not wait
    h.run();
    expect(log.at(-1)).toEqual(['cast', 'inc']);
    expect(d.run(() => GenServer.call(pid, 'get'))).toBe(1);
  });

  it('never fails, even to a dead pid or an unregistered name (gen_server docs, cast/2)', () => {
    const { d } = driven();
    const pid = okPid(d.run(() => GenServer.start(counter([]), 0)));
    d.run(() => GenServer.stop(pid));
    expect(() => GenServer.cast(pid, 'inc')).not.toThrow();
    expect(() => GenServer.cast('gs_nobody', 'inc')).not.toThrow();
    expect(d.run(() => {
      GenServer.cast(pid, 'inc');
      GenServer.cast('gs_nobody', 'inc');
      return 'still here';
    })).toBe('still here');
  });
});

describe('handleInfo', () => {
  it('gets every message that is not a call or a cast (gen_server docs, Module:handle_info/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log), 0)));
    h.s.send(pid, { hello: 1 });
    h.run();
    expect(log.at(-1)).toEqual(['info', { hello: 1 }]);
  });

  it('gets the EXIT message of a linked process that is not the parent, when trapping exits (gen_server docs, Module:handle_info/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    let friend: Pid | null = null;
    const cbs = counter(log, {
      init(n: number) {
        trapExit(true);
        friend = spawn(function* () {
          yield receive();
          exit('friend_died');
        }, [], { link: true });
        return ['ok', n];
      },
    });
    const pid = okPid(d.run(() => GenServer.startLink(cbs, 0)));
    h.s.send(friend!, 'go');
    h.run();
    expect(log).toEqual([['info', { type: 'EXIT', from: friend, reason: 'friend_died' }]]);
    expect(h.s.info(pid)).toBeDefined();
  });

  it('a timeout in a result sends "timeout" when no message comes first (gen_server docs, Module:handle_call/3 "Timeout")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log, { handleCast: (_r, n) => ['noreply', n, 100] }), 0)));
    GenServer.cast(pid, 'arm');
    h.run();
    h.advance(99);
    expect(log.filter((e) => e[0] === 'info')).toEqual([]);
    h.advance(1);
    expect(log.filter((e) => e[0] === 'info')).toEqual([['info', 'timeout']]);
  });

  it('a timeout in a result is cancelled by any message that arrives first, even one already queued when the time runs out (gen_server docs, Module:handle_call/3 "Timeout")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const cbs = counter(log, { handleCast: (r, n) => (r === 'arm' ? ['noreply', n, 100] : ['noreply', n]) });
    const pid = okPid(d.run(() => GenServer.start(cbs, 0)));
    GenServer.cast(pid, 'arm');
    h.run();
    h.advance(50);
    // A message arrives before the deadline, but the server only runs after the deadline.
    h.s.send(pid, 'first');
    h.clock.advance(100);
    h.run();
    h.advance(1000);
    expect(log.filter((e) => e[0] === 'info')).toEqual([['info', 'first']]);
  });

  it('a timeout that fired behind a newer message is void and does not cancel the timeout that message set (gen_server docs, Module:handle_call/3 "Timeout")', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log, { handleCast: (_r, n) => ['noreply', n, 100] }), 0)));
    GenServer.cast(pid, 'arm');
    h.run();
    h.advance(50);
    GenServer.cast(pid, 'arm again'); // handled only after the first deadline has passed
    h.clock.advance(50);
    h.run();
    expect(log.filter((e) => e[0] === 'info')).toEqual([]);
    h.advance(99);
    expect(log.filter((e) => e[0] === 'info')).toEqual([]);
    h.advance(1);
    expect(log.filter((e) => e[0] === 'info')).toEqual([['info', 'timeout']]);
  });
});

describe('handleContinue', () => {
  it('{ok, State, {continue, C}} from init runs handleContinue before any message, even one already queued (gen_server docs, Module:init/1)', () => {
    const { d } = driven();
    const log: Log = [];
    const cbs = counter(log, {
      init(n: number) {
        send(self(), 'queued during init');
        return ['ok', n, { continue: 'warm up' }];
      },
      handleContinue(c: unknown, n) {
        log.push(['continue', c]);
        return ['noreply', n];
      },
    });
    okPid(d.run(() => GenServer.start(cbs, 0)));
    expect(log).toEqual([['continue', 'warm up'], ['info', 'queued during init']]);
  });

  it('{noreply, State, {continue, C}} runs handleContinue before the next queued message (gen_server docs, Module:handle_continue/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const cbs = counter(log, {
      handleCast(r: unknown, n) {
        log.push(['cast', r]);
        return r === 'a' ? ['noreply', n, { continue: 'after a' }] : ['noreply', n];
      },
      handleContinue(c: unknown, n) {
        log.push(['continue', c]);
        return c === 'after a' ? ['noreply', n, { continue: 'chained' }] : ['noreply', n];
      },
    });
    const pid = okPid(d.run(() => GenServer.start(cbs, 0)));
    GenServer.cast(pid, 'a');
    GenServer.cast(pid, 'b');
    h.run();
    expect(log.slice(1)).toEqual([['cast', 'a'], ['continue', 'after a'], ['continue', 'chained'], ['cast', 'b']]);
  });
});

describe('terminate', () => {
  it('runs with the reason of a {stop, Reason, State} result, and the server exits with it (gen_server docs, Module:terminate/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log), 5)));
    GenServer.cast(pid, { stop: { shutdown: 'asked' } });
    h.run();
    expect(log.filter((e) => e[0] === 'terminate')).toEqual([['terminate', { shutdown: 'asked' }, 5]]);
    expect(h.exits.get(pid)).toEqual({ shutdown: 'asked' });
  });

  it('runs when a callback crashes, with the crash as the reason (gen_server docs, Module:terminate/2; gen_server_SUITE, crash)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log), 5)));
    h.s.send(pid, 'crash');
    h.run();
    const [tag, reason] = log.at(-1)!;
    expect(tag).toBe('terminate');
    expect(reason).toMatchObject({ error: { message: 'crashed in handleInfo' } });
    expect(h.exits.get(pid)).toEqual(reason);
  });

  it('runs on an exit signal from the parent when trapping exits, and the server exits with its reason (gen_server docs, Module:terminate/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.startLink(counter(log, { init: (n: number) => (trapExit(true), ['ok', n]) }), 0)));
    h.exit(d.pid, 'boom');
    h.run();
    expect(log.filter((e) => e[0] === 'terminate')).toEqual([['terminate', 'boom', 0]]); // once
    expect(h.exits.get(pid)).toBe('boom');
  });

  it("runs when a parent that it is linked to ends normally, if trapping exits (gen_server docs, Module:terminate/2: {'EXIT', Parent, normal})", () => {
    const h = harness();
    const log: Log = [];
    let server: Pid | null = null;
    h.s.spawn(function* parent() {
      server = okPid(yield* GenServer.startLink(counter(log, { init: (n: number) => (trapExit(true), ['ok', n]) }), 0));
    });
    h.run();
    expect(log.filter((e) => e[0] === 'terminate')).toEqual([['terminate', 'normal', 0]]);
    expect(h.exits.get(server!)).toBe('normal');
  });

  it('does not run on an exit signal from the parent when not trapping exits: the server just dies (gen_server docs, Module:terminate/2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.startLink(counter(log), 0)));
    h.exit(d.pid, 'boom');
    h.run();
    expect(log).toEqual([['init', 0]]);
    expect(h.exits.get(pid)).toBe('boom');
  });

  it("never runs after 'kill', even when trapping exits (erlang:exit/2 docs: kill cannot be trapped)", () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.startLink(counter(log, { init: (n: number) => (trapExit(true), ['ok', n]) }), 0)));
    h.exit(pid, 'kill');
    h.run();
    expect(log).toEqual([]);
    expect(h.exits.get(pid)).toBe('killed');
  });

  it('a server started with start has no parent: an EXIT from its starter goes to handleInfo (gen_server docs, start/3 "standalone"; gen.erl do_spawn)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log, { init: (n: number) => (trapExit(true), ['ok', n]) }), 0)));
    d.run(() => exit(pid, 'from_starter'));
    expect(log).toEqual([['info', { type: 'EXIT', from: d.pid, reason: 'from_starter' }]]);
    expect(h.s.info(pid)).toBeDefined();
  });
});

describe('formatStatus', () => {
  it('presents the state to the inspector through formatStatus, or the raw state without it (gen_server docs, Module:format_status/1)', () => {
    const { h, d } = driven();
    const plain = okPid(d.run(() => GenServer.start(counter([]), 1)));
    const formatted = okPid(d.run(() => GenServer.start(counter([], { formatStatus: (n: number) => ({ count: n }) }), 1)));
    const report = (pid: Pid) => h.s.procs.get(pid)!.ext!.reportState!();
    expect(report(plain)).toBe(1);
    expect(report(formatted)).toEqual({ count: 1 });
    d.run(() => GenServer.call(formatted, 'inc'));
    expect(report(formatted)).toEqual({ count: 2 });
  });
});

describe('call', () => {
  it('waits 5000 ms by default, then the caller exits with timeout (gen_server docs, call/2)', () => {
    const { h, d } = driven();
    expect(GenServer.DEFAULT_CALL_TIMEOUT).toBe(5000);
    const pid = okPid(d.run(() => GenServer.start(deferred([]), null)));
    const out = d.start(() => GenServer.call(pid, 'hold'));
    h.advance(4999);
    expect(out.done).toBe(false);
    h.advance(1);
    expect(out).toEqual({ done: true, exit: 'timeout' });
  });

  it('a timeout can be caught, the server lives on, and its late reply is dropped, never left in the mailbox (gen_server docs, call/3)', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.start(deferred([]), null)));
    const out = d.start(function* () {
      try {
        return yield* GenServer.call(pid, 'hold', 100);
      } catch (e) {
        return ['caught', (e as { reason: unknown }).reason];
      }
    });
    h.advance(100);
    expect(out.value).toEqual(['caught', 'timeout']);
    expect(h.s.info(pid)).toBeDefined();
    GenServer.cast(pid, { answer: 'too late' });
    h.run();
    expect(d.mailbox()).toEqual([]);
    expect(h.s.info(d.pid)!.mailboxLength).toBe(0);
    // The next call gets its own reply, not the stale one.
    expect(d.run(() => GenServer.call(pid, 'echo'))).toBe('echo');
  });

  it('with infinity waits for ever (gen_server docs, call/3)', () => {
    const { h, d } = driven();
    const pid = okPid(d.run(() => GenServer.start(deferred([]), null)));
    const out = d.start(() => GenServer.call(pid, 'hold', Infinity));
    h.advance(1_000_000);
    expect(out.done).toBe(false);
    GenServer.cast(pid, { answer: 'finally' });
    h.run();
    expect(out.value).toBe('finally');
  });

  it('to a dead pid or an unregistered name exits with noproc (gen_server_SUITE, start: {noproc, _})', () => {
    const { d } = driven();
    const pid = okPid(d.run(() => GenServer.start(counter([]), 0)));
    d.run(() => GenServer.stop(pid));
    expect(d.exitOf(() => GenServer.call(pid, 'get'))).toBe('noproc');
    expect(d.exitOf(() => GenServer.call('gs_unknown', 'get'))).toBe('noproc');
  });

  it('to the calling process itself exits with calling_self, by pid or by name (gen.erl do_call)', () => {
    const { d } = driven();
    expect(d.exitOf(() => GenServer.call(d.pid, 'x'))).toBe('calling_self');
    const log: Log = [];
    const cbs = counter(log, {
      *handleCall(request: unknown, _from, n): Generator<Wait, GenServer.CallResult<number>, unknown> {
        try {
          yield* GenServer.call('gs_me', request);
        } catch (e) {
          return ['reply', (e as { reason: unknown }).reason, n];
        }
        return ['reply', 'no error', n];
      },
    });
    okPid(d.run(() => GenServer.start(cbs, 0, { name: 'gs_me' })));
    expect(d.run(() => GenServer.call('gs_me', 'x'))).toBe('calling_self');
  });

  it("exits with the server's reason when the server dies during the call (gen_server_SUITE, crash: {crashed, _})", () => {
    const { h, d } = driven();
    const crasher = counter([], {
      handleCall: () => {
        throw new Error('crashed');
      },
    });
    const a = okPid(d.run(() => GenServer.start(crasher, 0)));
    const reason = d.exitOf(() => GenServer.call(a, 'x'));
    expect(reason).toMatchObject({ error: { message: 'crashed' } });
    expect(reason).toEqual(h.exits.get(a));

    const b = okPid(d.run(() => GenServer.start(deferred([]), null)));
    const out = d.start(() => GenServer.call(b, 'hold'));
    h.exit(b, 'boom');
    h.run();
    expect(out).toEqual({ done: true, exit: 'boom' });
    expect(d.mailbox()).toEqual([]);
  });
});

describe('stop', () => {
  it("stop(Server) runs terminate with normal, waits until the server is gone and returns ok (gen_server_SUITE, stop1)", () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log), 3)));
    expect(d.run(() => GenServer.stop(pid))).toBe('ok');
    expect(log.filter((e) => e[0] === 'terminate')).toEqual([['terminate', 'normal', 3]]); // once
    expect(h.s.info(pid)).toBeUndefined();
    expect(d.exitOf(() => GenServer.stop(pid))).toBe('noproc');
  });

  it('stop(Server, Reason, Timeout) terminates with Reason and returns ok (gen_server_SUITE, stop2)', () => {
    const { h, d } = driven();
    const log: Log = [];
    const pid = okPid(d.run(() => GenServer.start(counter(log), 3, { name: 'gs_to_stop' })));
    expect(d.run(() => GenServer.stop('gs_to_stop', 'other_reason', 1000))).toBe('ok');
    expect(log.at(-1)).toEqual(['terminate', 'other_reason', 3]);
    expect(h.exits.get(pid)).toBe('other_reason');
    expect(d.exitOf(() => GenServer.stop('gs_to_stop'))).toBe('noproc'); // stop4
  });

  it('exits with timeout when the server takes longer than Timeout to terminate (gen_server docs, stop/3)', () => {
    const { h, d } = driven();
    const slow = counter([], {
      *terminate(): Generator<Wait, void, unknown> {
        yield receive(() => false, { after: 10_000 });
      },
    });
    const pid = okPid(d.run(() => GenServer.start(slow, 0)));
    const out = d.start(() => GenServer.stop(pid, 'normal', 500));
    h.advance(499);
    expect(out.done).toBe(false);
    h.advance(1);
    expect(out).toEqual({ done: true, exit: 'timeout' });
  });

  it('exits with the actual reason when the server terminates with another one (proc_lib docs, stop/3)', () => {
    const { h, d } = driven();
    const broken = counter([], {
      terminate: () => {
        throw new Error('terminate failed');
      },
    });
    for (const reason of ['normal', 'shutdown', { shutdown: 'x' }]) {
      const pid = okPid(d.run(() => GenServer.start(broken, 0)));
      const r = d.exitOf(() => GenServer.stop(pid, reason));
      expect(r).toMatchObject({ error: { message: 'terminate failed' } });
      expect(r).toEqual(h.exits.get(pid));
    }
  });
});
