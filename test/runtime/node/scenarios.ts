/**
 * The core's semantics with the two ends of each signal on different schedulers (three of
 * them: 0, 1 and 2). Each scenario states the rule it checks and where Erlang documents it;
 * the same list runs in Node worker threads (crossScheduler.test.ts) and in Chromium
 * (e2e/workers.spec.ts).
 */
import type { Pid, Ref } from '../../../runtime/core/index.ts';
import { type DownMessageLike, type Driver, assert, assertEqual, assertMatch, sleep } from './driver.ts';

export interface Scenario {
  group: string;
  name: string;
  run(d: Driver): Promise<void>;
}

const REF_MANUAL = 'Erlang reference manual, Processes';

export const scenarios: Scenario[] = [
  // --- Messages ---
  {
    group: 'send',
    name: `delivers a message to a process on another scheduler, as a copy (${REF_MANUAL}, "Message Sending")`,
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'send', to: b, message: { hello: [1, 'two', { three: 3 }] } });
      assertEqual(await d.got(b), { hello: [1, 'two', { three: 3 }] }, 'message');
    },
  },
  {
    group: 'send',
    name: `keeps the order of messages between one pair of processes (${REF_MANUAL}, "Signal Delivery")`,
    async run(d) {
      const a = d.agent(0);
      const checker = d.node.spawn('orderChecker', [], { scheduler: 1 });
      await d.call(a, { cmd: 'sendMany', to: checker, count: 20_000, tag: 'a' });
      await d.call(a, { cmd: 'send', to: checker, message: { check: 1, replyTo: d.node.pid } });
      const r = await d.inbox({ check: 1 });
      assertEqual(r.errors, [], 'order errors');
      assertEqual(r.counts, { a: 20_000 }, 'messages received');
      d.node.exit(checker, 'kill');
    },
  },
  {
    group: 'send',
    name: `to a dead pid on another scheduler is silently dropped (${REF_MANUAL}, "Message Sending")`,
    async run(d) {
      const [a, b] = d.pair();
      const down = await d.watch(b, 2);
      d.node.exit(b, 'kill');
      assertEqual(await down(), 'killed', 'exit reason');
      assertEqual(await d.call(a, { cmd: 'send', to: b, message: 'late' }), true, 'send result');
    },
  },
  {
    group: 'send',
    name: 'a message that cannot be cloned fails at the sender, naming the target pid and what could not be cloned (DESIGN decision 3)',
    async run(d) {
      const [a, b] = d.pair();
      const error = await d.fail(a, { cmd: 'sendFunction', to: b });
      assertMatch(error, /not_cloneable/, 'error code');
      assertMatch(error, new RegExp(b.replace(/[.<>]/g, '\\$&')), 'names the target pid');
      assertMatch(error, /\ba function \(onTick\) at handler\b/, 'names what could not be cloned');
      await d.none(b);
    },
  },
  {
    group: 'send',
    name: 'a message holding a Proxy fails at the sender with not_cloneable, naming the target (DESIGN decision 3): Node tells a Proxy, a browser refuses to clone one',
    async run(d) {
      const [a, b] = d.pair();
      const error = await d.fail(a, { cmd: 'sendProxy', to: b });
      assertMatch(error, /not_cloneable/, 'error code');
      assertMatch(error, new RegExp(b.replace(/[.<>]/g, '\\$&')), 'names the target pid');
      assertMatch(error, /Proxy/, 'says what could not be cloned');
      await d.none(b);
    },
  },
  {
    group: 'send',
    name: `a message and an exit signal from one process arrive in the order sent (${REF_MANUAL}, "Signal Delivery")`,
    async run(d) {
      const [a, b] = d.pair();
      await d.call(b, { cmd: 'trap', on: true });
      await d.call(a, { cmd: 'send', to: b, message: 'first' });
      await d.call(a, { cmd: 'exit', pid: b, reason: 'second' });
      assertEqual(await d.got(b), 'first', 'first signal');
      assertEqual(await d.got(b), { type: 'EXIT', from: a, reason: 'second' }, 'second signal');
    },
  },

  // --- Links ---
  {
    group: 'link',
    name: `is bidirectional across schedulers: either side exiting takes the other down (${REF_MANUAL}, "Links")`,
    async run(d) {
      for (const dying of ['caller', 'callee'] as const) {
        const [a, b] = d.pair();
        await d.call(a, { cmd: 'link', pid: b });
        await d.sync(a, b);
        const downA = await d.watch(a, 2);
        const downB = await d.watch(b, 2);
        d.cast(dying === 'caller' ? a : b, { cmd: 'die', reason: 'crash' });
        assertEqual(await downA(), 'crash', `${dying} dies: a's reason`);
        assertEqual(await downB(), 'crash', `${dying} dies: b's reason`);
      }
    },
  },
  {
    group: 'link',
    name: `a trapping process gets {'EXIT', From, Reason} from a linked process on another scheduler (${REF_MANUAL}, "Receiving Exit Signals")`,
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'trap', on: true });
      await d.call(a, { cmd: 'link', pid: b });
      await d.sync(a, b);
      d.cast(b, { cmd: 'die', reason: { error: 'boom' } });
      assertEqual(await d.got(a, { type: 'EXIT' }), { type: 'EXIT', from: b, reason: { error: 'boom' } }, 'EXIT message');
    },
  },
  {
    group: 'link',
    name: `a 'normal' exit through a link leaves a non-trapping process running (${REF_MANUAL}, "Receiving Exit Signals")`,
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'link', pid: b });
      await d.sync(a, b);
      const downB = await d.watch(b, 2);
      d.cast(b, { cmd: 'die', reason: 'normal' });
      assertEqual(await downB(), 'normal', 'b exits normally');
      assertEqual(await d.call(a, { cmd: 'self' }), a, 'a still answers');
    },
  },
  {
    group: 'link',
    name: 'unlink removes the link on both schedulers: no exit signal arrives afterwards (erlang:unlink/1 docs)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'link', pid: b });
      await d.call(a, { cmd: 'unlink', pid: b });
      await d.sync(a, b);
      const downB = await d.watch(b, 2);
      d.cast(b, { cmd: 'die', reason: 'crash' });
      assertEqual(await downB(), 'crash', 'b exits');
      assertEqual(await d.call(a, { cmd: 'self' }), a, 'a still answers');
    },
  },
  {
    group: 'link',
    name: `to a dead pid on another scheduler, a trapping caller gets {'EXIT', Pid, noproc} (erlang:link/1 docs)`,
    async run(d) {
      const [a, b] = d.pair();
      const downB = await d.watch(b, 2);
      d.node.exit(b, 'kill');
      await downB();
      await d.call(a, { cmd: 'trap', on: true });
      await d.call(a, { cmd: 'link', pid: b });
      assertEqual(await d.got(a, { type: 'EXIT' }), { type: 'EXIT', from: b, reason: 'noproc' }, 'EXIT message');
    },
  },
  {
    group: 'link',
    name: 'spawn with link on another scheduler links atomically: the child crashing takes the parent down (erlang:spawn_link/3 docs)',
    async run(d) {
      const a = d.agent(0);
      const child = (await d.call(a, { cmd: 'spawn', module: 'agent', args: [d.node.pid], options: { link: true, scheduler: 1 } })) as Pid;
      assertEqual(child.endsWith('.1>'), true, 'the child runs on scheduler 1');
      const downA = await d.watch(a, 2);
      d.cast(child, { cmd: 'die', reason: 'child_crash' });
      assertEqual(await downA(), 'child_crash', "parent's exit reason");
    },
  },

  // --- Exit signals ---
  {
    group: 'exit',
    name: 'exit(Pid, kill) to a process on another scheduler cannot be trapped: it exits with killed (erlang:exit/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(b, { cmd: 'trap', on: true });
      const downB = await d.watch(b, 2);
      await d.call(a, { cmd: 'exit', pid: b, reason: 'kill' });
      assertEqual(await downB(), 'killed', 'exit reason');
    },
  },
  {
    group: 'exit',
    name: 'exit(Pid, Reason) to a trapping process on another scheduler becomes an EXIT message (erlang:exit/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(b, { cmd: 'trap', on: true });
      await d.call(a, { cmd: 'exit', pid: b, reason: 'normal' });
      assertEqual(await d.got(b, { type: 'EXIT' }), { type: 'EXIT', from: a, reason: 'normal' }, 'EXIT message');
    },
  },
  {
    group: 'exit',
    name: 'exit(Pid, Reason) with any other reason ends a non-trapping process on another scheduler (erlang:exit/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      const downB = await d.watch(b, 2);
      await d.call(a, { cmd: 'exit', pid: b, reason: { shutdown: 'test' } });
      assertEqual(await downB(), { shutdown: 'test' }, 'exit reason');
    },
  },

  // --- Monitors ---
  {
    group: 'monitor',
    name: `sends {'DOWN', Ref, process, Pid, Reason} when a process on another scheduler exits (erlang:monitor/2 docs)`,
    async run(d) {
      const [a, b] = d.pair();
      const ref = (await d.call(a, { cmd: 'monitor', target: b })) as Ref;
      await d.sync(a, b);
      d.cast(b, { cmd: 'die', reason: 'bye' });
      assertEqual(await d.got(a, { type: 'DOWN' }), { type: 'DOWN', ref, pid: b, reason: 'bye' }, 'DOWN message');
    },
  },
  {
    group: 'monitor',
    name: 'of a dead pid on another scheduler gives DOWN with noproc (erlang:monitor/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      const downB = await d.watch(b, 2);
      d.node.exit(b, 'kill');
      await downB();
      const ref = (await d.call(a, { cmd: 'monitor', target: b })) as Ref;
      assertEqual(await d.got(a, { type: 'DOWN' }), { type: 'DOWN', ref, pid: b, reason: 'noproc' }, 'DOWN message');
    },
  },
  {
    group: 'monitor',
    name: 'demonitor: no DOWN arrives afterwards (erlang:demonitor/1 docs)',
    async run(d) {
      const [a, b] = d.pair();
      const ref = (await d.call(a, { cmd: 'monitor', target: b })) as Ref;
      await d.sync(a, b);
      await d.call(a, { cmd: 'demonitor', ref });
      const downB = await d.watch(b, 2);
      d.cast(b, { cmd: 'die', reason: 'bye' });
      await downB();
      await d.none(a, { type: 'DOWN', ref });
    },
  },
  {
    group: 'monitor',
    name: 'a process monitored from several schedulers sends each watcher its own DOWN (erlang:monitor/2 docs)',
    async run(d) {
      const target = d.agent(1);
      const watchers = [d.agent(0), d.agent(1), d.agent(2)];
      const refs: Ref[] = [];
      for (const w of watchers) {
        refs.push((await d.call(w, { cmd: 'monitor', target })) as Ref);
        await d.sync(w, target);
      }
      d.cast(target, { cmd: 'die', reason: 'gone' });
      for (let i = 0; i < watchers.length; i++) {
        const m = (await d.got(watchers[i]!, { type: 'DOWN' })) as DownMessageLike;
        assertEqual([m.ref, m.reason], [refs[i], 'gone'], `watcher on scheduler ${i}`);
      }
    },
  },

  // --- Registered names ---
  {
    group: 'register',
    name: 'a name registered on one scheduler is visible from every scheduler and from the node (erlang:register/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      const c = d.agent(2);
      await d.call(a, { cmd: 'register', name: 'visible_everywhere' });
      assertEqual(await waitFor(() => d.call(b, { cmd: 'whereis', name: 'visible_everywhere' }), (x) => x === a), a, 'whereis on 1');
      assertEqual(await d.call(c, { cmd: 'whereis', name: 'visible_everywhere' }), a, 'whereis on 2');
      await waitFor(async () => d.node.whereis('visible_everywhere'), (x) => x === a);
      await d.call(b, { cmd: 'send', to: 'visible_everywhere', message: 'by name' });
      assertEqual(await d.got(a), 'by name', 'message sent by name');
      d.node.send('visible_everywhere', 'from the node');
      assertEqual(await d.got(a), 'from the node', 'node.send by name');
    },
  },
  {
    group: 'register',
    name: 'the name is known to whoever hears of the process afterwards (register, then send: causality across schedulers)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'register', name: 'causal' });
      // a's next message to b travels behind the announcement of its name.
      await d.call(a, { cmd: 'send', to: b, message: 'registered' });
      await d.got(b, (m) => m === 'registered');
      assertEqual(await d.call(b, { cmd: 'whereis', name: 'causal' }), a, 'whereis right after');
    },
  },
  {
    group: 'register',
    name: 'a registered name has one owner: registering it on another scheduler fails with badarg (erlang:register/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'register', name: 'only_one' });
      await d.call(a, { cmd: 'send', to: b, message: 'go' });
      await d.got(b, (m) => m === 'go');
      const error = await d.fail(b, { cmd: 'register', name: 'only_one' });
      assertMatch(error, /\bbadarg\b/, 'error');
      assertMatch(error, /already registered/, 'error');
    },
  },
  {
    group: 'register',
    name: 'the name is freed when its owner exits, before its monitors hear of it, so another scheduler can take it (erlang:register/2 docs)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'register', name: 'freed' });
      const ref = (await d.call(b, { cmd: 'monitor', target: a })) as Ref;
      await d.sync(b, a);
      d.cast(a, { cmd: 'die', reason: 'done' });
      await d.got(b, { type: 'DOWN', ref });
      assertEqual(await d.call(b, { cmd: 'whereis', name: 'freed' }), null, 'whereis after exit');
      assertEqual(await d.call(b, { cmd: 'register', name: 'freed' }), true, 'register again');
      await waitFor(async () => d.node.whereis('freed'), (x) => x === b);
    },
  },
  {
    group: 'register',
    name: 'unregister from another scheduler frees the name everywhere (erlang:unregister/1 docs)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'register', name: 'to_drop' });
      await d.call(a, { cmd: 'send', to: b, message: 'go' });
      await d.got(b, (m) => m === 'go');
      assertEqual(await d.call(b, { cmd: 'unregister', name: 'to_drop' }), true, 'unregister');
      await waitFor(() => d.call(a, { cmd: 'whereis', name: 'to_drop' }), (x) => x === null);
      assertEqual(await d.call(a, { cmd: 'register', name: 'to_drop_2' }), true, 'the former owner may take another name');
    },
  },
  {
    group: 'register',
    name: 'a DOWN for a monitor set up by name arrives from another scheduler (erlang:monitor/2 docs, RegisteredName)',
    async run(d) {
      const [a, b] = d.pair();
      await d.call(a, { cmd: 'register', name: 'watched_by_name' });
      await d.call(a, { cmd: 'send', to: b, message: 'go' });
      await d.got(b, (m) => m === 'go');
      const ref = (await d.call(b, { cmd: 'monitor', target: 'watched_by_name' })) as Ref;
      await d.sync(b, a);
      d.cast(a, { cmd: 'die', reason: 'bye' });
      const down = (await d.got(b, { type: 'DOWN' })) as DownMessageLike;
      assertEqual([down.ref, down.reason], [ref, 'bye'], 'DOWN');
    },
  },

  // --- Spawn and placement ---
  {
    group: 'spawn',
    name: "starts on the caller's scheduler by default, as on the BEAM",
    async run(d) {
      const a = d.agent(1);
      const child = (await d.call(a, { cmd: 'spawn', module: 'echo' })) as Pid;
      assert(child.endsWith('.1>'), `${child} should run on scheduler 1`);
    },
  },
  {
    group: 'spawn',
    name: 'places a process on the scheduler asked for, and the pid works at once from anywhere',
    async run(d) {
      const a = d.agent(0);
      const pid = (await d.call(a, { cmd: 'spawn', module: 'echo', options: { scheduler: 2 } })) as Pid;
      assert(pid.endsWith('.2>'), `${pid} should run on scheduler 2`);
      d.node.send(pid, { ping: 'placed', replyTo: d.node.pid });
      assertEqual((await d.inbox({ pong: 'placed' })).from, pid, 'answer');
    },
  },
  {
    group: 'spawn',
    name: 'least_loaded places processes on the scheduler with the fewest',
    async run(d) {
      const a = d.agent(0);
      const places = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const pid = (await d.call(a, { cmd: 'spawn', module: 'echo', options: { scheduler: 'least_loaded' } })) as Pid;
        places.add(pid.slice(pid.lastIndexOf('.')));
      }
      assert(places.size >= 2, `least_loaded used only ${[...places].join(' ')}`);
    },
  },
  {
    group: 'spawn',
    name: 'a pid spawned on another scheduler can be used by a third before its spawn has arrived there',
    async run(d) {
      // a spawns on 2 and at once hands the pid to b on 1, which sends to it: b's message may
      // reach scheduler 2 before a's spawn does, and must wait for it.
      const [a, b] = d.pair();
      const checker = (await d.call(a, { cmd: 'spawn', module: 'orderChecker', options: { scheduler: 2 } })) as Pid;
      await d.call(b, { cmd: 'sendMany', to: checker, count: 100, tag: 'early' });
      await d.call(b, { cmd: 'send', to: checker, message: { check: 'early', replyTo: d.node.pid } });
      assertEqual((await d.inbox({ check: 'early' })).counts, { early: 100 }, 'received');
    },
  },
  {
    group: 'spawn',
    name: 'a closure cannot be placed on another scheduler: badarg says to spawn a module by name (DESIGN decision 5)',
    async run(d) {
      const a = d.agent(0);
      const error = await d.fail(a, { cmd: 'spawnClosure', scheduler: 1 });
      assertMatch(error, /\bbadarg\b/, 'error');
      assertMatch(error, /closure \(localBody\)/, 'names the closure');
      assertMatch(error, /module by name/, 'says what to do');
    },
  },
  {
    group: 'spawn',
    name: 'an unknown module fails at the spawner with undef, as a local spawn does',
    async run(d) {
      const a = d.agent(0);
      const error = await d.fail(a, { cmd: 'spawn', module: 'no_such_module', options: { scheduler: 1 } });
      assertMatch(error, /\bundef\b/, 'error');
    },
  },
  {
    group: 'spawn',
    name: 'spawn with a name on another scheduler registers it node-wide before the process runs',
    async run(d) {
      const a = d.agent(0);
      const pid = (await d.call(a, { cmd: 'spawn', module: 'echo', options: { scheduler: 1, name: 'placed_named' } })) as Pid;
      assertEqual(await d.call(a, { cmd: 'whereis', name: 'placed_named' }), pid, 'whereis on the spawner');
      const c = d.agent(2);
      assertEqual(await waitFor(() => d.call(c, { cmd: 'whereis', name: 'placed_named' }), (x) => x === pid), pid, 'whereis on 2');
      d.node.send('placed_named', { ping: 'named', replyTo: d.node.pid });
      assertEqual((await d.inbox({ pong: 'named' })).from, pid, 'answer');
    },
  },

  // --- Behaviours ---
  {
    group: 'behaviours',
    name: 'gen_server:call to a server on another scheduler returns its reply (gen_server docs, call/3)',
    async run(d) {
      d.node.spawn('kvHost', [null, d.node.pid], { scheduler: 1 });
      const started = await d.inbox((m) => m?.kvStarted !== undefined);
      const server = started.kvStarted[1] as Pid;
      const a = d.agent(0);
      assertEqual(await d.call(a, { cmd: 'call', server, request: { put: ['k', [1, { two: 2 }]] } }), 'ok', 'put');
      assertEqual(await d.call(a, { cmd: 'call', server, request: { get: 'k' } }), [1, { two: 2 }], 'get');
      d.node.exit(server, 'kill');
    },
  },
  {
    group: 'behaviours',
    name: 'gen_server:call to a dead server on another scheduler exits with noproc (gen_server docs, call/3)',
    async run(d) {
      const [a, b] = d.pair();
      const downB = await d.watch(b, 2);
      d.node.exit(b, 'kill');
      await downB();
      assertEqual(await d.fail(a, { cmd: 'call', server: b, request: { get: 'k' } }), 'exit: "noproc"', 'exit reason');
    },
  },
  {
    group: 'behaviours',
    name: 'a supervisor restarts a child that runs on another scheduler (supervisor docs, one_for_one)',
    async run(d) {
      const name = `spread_child_${Math.random().toString(36).slice(2)}`;
      const host = d.node.spawn('supHost', [[{ id: 'c', scheduler: 1, name }], d.node.pid], { scheduler: 0 });
      const started = await d.inbox((m) => m?.supStarted !== undefined);
      assertEqual(started.supStarted[0], 'ok', 'supervisor start');
      const first = await waitFor(async () => d.node.whereis(name), (x) => x !== undefined);
      assert(first!.endsWith('.1>'), `${first} should run on scheduler 1`);
      d.node.exit(first!, 'kill');
      const second = await waitFor(async () => d.node.whereis(name), (x) => x !== undefined && x !== first);
      assert(second !== first && second!.endsWith('.1>'), `restarted as ${second}, on scheduler 1`);
      d.node.send(second!, { ping: name, replyTo: d.node.pid });
      assertEqual((await d.inbox({ pong: name })).from, second, 'the new child answers');
      d.node.exit(host, 'kill');
    },
  },
];

/** Polls `read` until `ok` holds (for views that converge, such as the node's name table). */
async function waitFor<T>(read: () => Promise<T>, ok: (x: T) => boolean, ms = 3_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const x = await read();
    if (ok(x) || Date.now() > end) return x;
    await sleep(10);
  }
}

export type { Ref };
