// benches: peers_ring peers_ring_lead peers_rtt peers_rtt_lead peers_spawn peers_spawn_lead peers_actor_bytes peers_actor_bytes_lead peers_restart peers_restart_lead
// timeout: 900
/**
 * Orchard beside the JavaScript actor libraries a web developer would weigh it against: XState v5
 * actors and nact, the same workloads in one run, each library written as its documentation
 * shows (XState: machines with `sendTo` and `createActor`; nact: `spawn`, `dispatch`, `query` and
 * an `onCrash` policy; Orchard: processes, `GenServer` and `Supervisor`).
 *
 * - peers_ring: 1,000 actors in a ring, a counter passed round them 1,000,000 times (msgs/s).
 * - peers_rtt: request/reply round trip, one requester and one replier (µs).
 * - peers_spawn / peers_actor_bytes: 100,000 actors spawned and started (µs per actor), and the
 *   heap each one holds while they all wait (bytes, after a full collection).
 * - peers_restart: a child that throws, until its supervisor's fresh child answers (µs, median
 *   of 2,000). XState has no supervisor (an actor that throws stops, and its parent gets an
 *   error), so this one is Orchard against nact.
 *
 * Each figure is printed per library (`runtime`: orchard, xstate, nact), and a `_lead` line gives
 * Orchard's lead over the best of the others as a ratio (> 1: Orchard ahead), target >= 1.
 * Rounds alternate the libraries so all meet the same load; values are medians over rounds.
 */
import { createRequire } from 'node:module';
import nact from 'nact';
import { assign, createActor, sendTo, setup, type AnyActorRef } from 'xstate';
import { type Pid, type Wait, Scheduler, exit, receive, receiveLoop, self, send, spawn, whereis, yieldNow } from '../../runtime/core/index.ts';
import * as GenServer from '../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../runtime/behaviours/supervisor.ts';
import { type Gen, now, onScheduler } from './lib/onScheduler.ts';
import { emit, gc, heapUsed, median, note, round, wanted } from './lib/report.ts';

const want = wanted('peers');
const require = createRequire(import.meta.url);
const VERSIONS = {
  xstate: (require('xstate/package.json') as { version: string }).version,
  nact: (require('nact/package.json') as { version: string }).version,
};

const RING = 1_000;
const HOPS = 1_000_000;
const RTT_ROUNDS = 20_000;
const SPAWN = 100_000;
const RESTARTS = 2_000;
const ROUNDS = Number(process.env.PEERS_ROUNDS ?? 3);

type Lib = 'orchard' | 'xstate' | 'nact';
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

// --- Orchard ---

function* relay(next: Pid, main: Pid): Gen {
  for (;;) {
    const k = (yield receive()) as number;
    if (k === 0) send(main, 'done');
    else send(next, k - 1);
  }
}

function orchardRing(): Promise<number> {
  return onScheduler<number>(function* (done): Gen {
    const me = self();
    const last = spawn(function* lastInRing(): Gen {
      const m = (yield receive()) as { next: Pid };
      yield* relay(m.next, me);
    });
    let first = last;
    for (let i = 1; i < RING; i++) first = spawn(relay, [first, me]);
    send(last, { next: first });
    const t0 = now();
    send(first, HOPS);
    yield receive();
    done(HOPS / ((now() - t0) / 1000));
  });
}

GenServer.define('Peers.Echo', {
  init: () => ['ok', 0],
  handleCall: (_req: 'ping', _from, n: number) => ['reply', 'pong', n + 1],
});

function orchardRtt(): Promise<number> {
  return onScheduler<number>(function* (done): Gen {
    const r = yield* GenServer.start('Peers.Echo');
    if (r === 'ignore' || r[0] !== 'ok') throw new Error('echo server did not start');
    const t0 = now();
    for (let i = 0; i < RTT_ROUNDS; i++) if ((yield* GenServer.call(r[1], 'ping')) !== 'pong') throw new Error('bad reply');
    const us = ((now() - t0) * 1000) / RTT_ROUNDS;
    yield* GenServer.stop(r[1]);
    done(us);
  });
}

function idleActor(): void {
  receiveLoop((m) => {
    if (m === 'stop') exit('normal');
  });
}

async function orchardSpawn(): Promise<{ us: number; bytes: number }> {
  const s = new Scheduler();
  gc();
  const h0 = heapUsed();
  let pids: Pid[] = [];
  const us = await onScheduler<number>(function* (done): Gen {
    const me = self();
    const t0 = now();
    for (let i = 0; i < SPAWN; i++) pids.push(spawn(idleActor));
    // The run queue is FIFO: when this one has run, every actor spawned before it has started.
    spawn((to: Pid) => send(to, 'ready'), [me]);
    yield receive();
    done(((now() - t0) * 1000) / SPAWN);
  }, s);
  gc();
  const bytes = (heapUsed() - h0) / SPAWN;
  if (s.procs.size !== SPAWN) throw new Error(`orchard spawn: ${s.procs.size} processes alive, ${SPAWN} expected`);
  await onScheduler<void>(function* (done): Gen {
    for (const p of pids) send(p, 'stop');
    done();
  }, s);
  pids = [];
  return { us, bytes };
}

GenServer.define('Peers.Child', {
  init: () => ['ok', 0],
  handleCall: (_req: 'ping', _from, n: number) => ['reply', 'pong', n + 1],
  handleCast: (req: 'crash') => {
    throw new Error(`asked to ${req}`);
  },
});

function* waitNew(old: Pid | undefined): Generator<Wait, Pid, unknown> {
  for (;;) {
    const p = whereis('peers_child');
    if (p !== undefined && p !== old) return p;
    yield yieldNow();
  }
}

function orchardRestart(): Promise<number[]> {
  return onScheduler<number[]>(function* (done): Gen {
    const r = yield* Supervisor.startLink([{ id: 'c', start: ['Peers.Child', [undefined, { name: 'peers_child' }]] }], { intensity: 1_000_000, period: 1 });
    if (r === 'ignore' || r[0] !== 'ok') throw new Error('supervisor did not start');
    const samples: number[] = [];
    let pid = yield* waitNew(undefined);
    for (let i = 0; i < RESTARTS; i++) {
      const t0 = now();
      GenServer.cast(pid, 'crash');
      pid = yield* waitNew(pid);
      if ((yield* GenServer.call(pid, 'ping')) !== 'pong') throw new Error('bad reply');
      samples.push((now() - t0) * 1000);
    }
    exit(r[1], 'shutdown');
    done(samples);
  });
}

// --- XState v5 ---

const xsRelay = setup({
  types: {} as { context: { next: AnyActorRef | null; done: () => void }; input: { done: () => void }; events: { type: 'next'; next: AnyActorRef } | { type: 'hop'; k: number } },
}).createMachine({
  context: ({ input }) => ({ next: null, done: input.done }),
  on: {
    next: { actions: assign({ next: ({ event }) => event.next }) },
    hop: [
      { guard: ({ event }) => event.k === 0, actions: ({ context }) => context.done() },
      { actions: sendTo(({ context }) => context.next!, ({ event }) => ({ type: 'hop', k: event.k - 1 })) },
    ],
  },
});

async function xstateRing(): Promise<number> {
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const actors = Array.from({ length: RING }, () => createActor(xsRelay, { input: { done: () => done() } }).start());
  for (let i = 0; i < RING; i++) actors[i]!.send({ type: 'next', next: actors[(i + RING - 1) % RING]! });
  const t0 = now();
  actors[0]!.send({ type: 'hop', k: HOPS });
  await finished;
  const perS = HOPS / ((now() - t0) / 1000);
  for (const a of actors) a.stop();
  return perS;
}

const xsServer = setup({
  types: {} as { events: { type: 'ping'; sender: AnyActorRef } },
}).createMachine({
  on: { ping: { actions: sendTo(({ event }) => event.sender, { type: 'pong' }) } },
});

const xsClient = setup({
  types: {} as { context: { server: AnyActorRef; left: number; done: () => void }; input: { server: AnyActorRef; n: number; done: () => void }; events: { type: 'go' } | { type: 'pong' } },
}).createMachine({
  context: ({ input }) => ({ server: input.server, left: input.n, done: input.done }),
  on: {
    go: { actions: sendTo(({ context }) => context.server, ({ self }) => ({ type: 'ping', sender: self })) },
    pong: [
      { guard: ({ context }) => context.left === 1, actions: ({ context }) => context.done() },
      {
        actions: [
          assign({ left: ({ context }) => context.left - 1 }),
          sendTo(({ context }) => context.server, ({ self }) => ({ type: 'ping', sender: self })),
        ],
      },
    ],
  },
});

async function xstateRtt(): Promise<number> {
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const server = createActor(xsServer).start();
  const client = createActor(xsClient, { input: { server, n: RTT_ROUNDS, done: () => done() } }).start();
  const t0 = now();
  client.send({ type: 'go' });
  await finished;
  const us = ((now() - t0) * 1000) / RTT_ROUNDS;
  client.stop();
  server.stop();
  return us;
}

const xsIdle = setup({}).createMachine({ initial: 'waiting', states: { waiting: { on: { stop: 'stopped' } }, stopped: { type: 'final' } } });

async function xstateSpawn(): Promise<{ us: number; bytes: number }> {
  gc();
  const h0 = heapUsed();
  const t0 = now();
  const actors: AnyActorRef[] = [];
  for (let i = 0; i < SPAWN; i++) actors.push(createActor(xsIdle).start());
  const us = ((now() - t0) * 1000) / SPAWN;
  gc();
  const bytes = (heapUsed() - h0) / SPAWN;
  for (const a of actors) a.send({ type: 'stop' });
  return { us, bytes };
}

// --- nact ---

async function nactRing(): Promise<number> {
  const system = nact.start();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const actors = Array.from({ length: RING }, (_, i) =>
    nact.spawn(
      system,
      (state: { next?: unknown } = {}, msg: { next?: unknown; k?: number }) => {
        if (msg.next !== undefined) return { next: msg.next };
        if (msg.k === 0) done();
        else nact.dispatch(state.next as never, { k: msg.k! - 1 });
        return state;
      },
      `r${i}`,
    ),
  );
  for (let i = 0; i < RING; i++) nact.dispatch(actors[i]!, { next: actors[(i + RING - 1) % RING] });
  // Each nact message is handled from its own setImmediate: let the ring's set-up go through.
  for (let i = 0; i < 10; i++) await tick();
  const t0 = now();
  nact.dispatch(actors[0]!, { k: HOPS });
  await finished;
  const perS = HOPS / ((now() - t0) / 1000);
  nact.stop(system);
  return perS;
}

async function nactRtt(): Promise<number> {
  const system = nact.start();
  const server = nact.spawnStateless(system, (msg: { sender: any }) => nact.dispatch(msg.sender, 'pong'));
  const t0 = now();
  for (let i = 0; i < RTT_ROUNDS; i++) {
    if ((await nact.query(server, (sender: any) => ({ sender }), 5_000)) !== 'pong') throw new Error('nact: bad reply');
  }
  const us = ((now() - t0) * 1000) / RTT_ROUNDS;
  nact.stop(system);
  return us;
}

async function nactSpawn(): Promise<{ us: number; bytes: number }> {
  const system = nact.start();
  gc();
  const h0 = heapUsed();
  const t0 = now();
  const actors: unknown[] = [];
  // Named: nact's generated names collide within 100,000.
  for (let i = 0; i < SPAWN; i++) actors.push(nact.spawn(system, (state: unknown) => state, `a${i}`));
  const us = ((now() - t0) * 1000) / SPAWN;
  gc();
  const bytes = (heapUsed() - h0) / SPAWN;
  nact.stop(system);
  return { us, bytes };
}

async function nactRestart(): Promise<number[]> {
  const system = nact.start();
  // The supervision nact documents: an onCrash policy; `reset` starts the actor afresh.
  const child = nact.spawn(
    system,
    (state = 0, msg: { crash?: true; sender?: any }) => {
      if (msg.crash === true) throw new Error('asked to crash');
      nact.dispatch(msg.sender!, 'pong');
      return state + 1;
    },
    'child',
    { onCrash: (_msg, _err, ctx) => ctx.reset },
  );
  const samples: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const t0 = now();
    nact.dispatch(child, { crash: true });
    if ((await nact.query(child, (sender: any) => ({ sender }), 5_000)) !== 'pong') throw new Error('nact: bad reply');
    samples.push((now() - t0) * 1000);
  }
  nact.stop(system);
  return samples;
}

// --- Main ---

const results = new Map<string, number[]>();
function add(bench: string, lib: Lib, value: number): void {
  const key = `${bench}|${lib}`;
  results.set(key, [...(results.get(key) ?? []), value]);
}

const median50 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

// The JIT's turn, for Orchard's code and the others'.
if (want('peers_ring') || want('peers_ring_lead')) {
  await orchardRing();
}
for (let round = 0; round < ROUNDS; round++) {
  note(`round ${round + 1} of ${ROUNDS}`);
  if (want('peers_ring') || want('peers_ring_lead')) {
    gc();
    add('peers_ring', 'orchard', await orchardRing());
    gc();
    add('peers_ring', 'xstate', await xstateRing());
    gc();
    add('peers_ring', 'nact', await nactRing());
  }
  if (want('peers_rtt') || want('peers_rtt_lead')) {
    gc();
    add('peers_rtt', 'orchard', await orchardRtt());
    gc();
    add('peers_rtt', 'xstate', await xstateRtt());
    gc();
    add('peers_rtt', 'nact', await nactRtt());
  }
  if (want('peers_spawn') || want('peers_spawn_lead') || want('peers_actor_bytes') || want('peers_actor_bytes_lead')) {
    for (const [lib, run] of [['orchard', orchardSpawn], ['xstate', xstateSpawn], ['nact', nactSpawn]] as const) {
      const r = await run();
      add('peers_spawn', lib, r.us);
      add('peers_actor_bytes', lib, r.bytes);
      gc();
    }
  }
  if (want('peers_restart') || want('peers_restart_lead')) {
    gc();
    add('peers_restart', 'orchard', median50(await orchardRestart()));
    gc();
    add('peers_restart', 'nact', median50(await nactRestart()));
  }
}

const UNITS: Record<string, string> = { peers_ring: 'msgs/s', peers_rtt: 'us', peers_spawn: 'us/actor', peers_actor_bytes: 'bytes', peers_restart: 'us' };
const WHAT: Record<string, string> = {
  peers_ring: `${RING} actors in a ring, ${HOPS} messages`,
  peers_rtt: `request/reply round trip, ${RTT_ROUNDS} in a row`,
  peers_spawn: `${SPAWN} actors spawned and started`,
  peers_actor_bytes: `heap per actor, ${SPAWN} alive`,
  peers_restart: `crash until the supervisor's fresh child answers, median of ${RESTARTS}`,
};
for (const bench of Object.keys(UNITS)) {
  const higher = UNITS[bench]!.endsWith('/s');
  const value = (lib: Lib) => {
    const xs = results.get(`${bench}|${lib}`);
    return xs === undefined ? undefined : median(xs);
  };
  const ours = value('orchard');
  if (ours === undefined) continue;
  const leads: Record<string, number> = {};
  for (const lib of ['orchard', 'xstate', 'nact'] as const) {
    const v = value(lib);
    if (v === undefined) continue;
    const version = lib === 'orchard' ? undefined : VERSIONS[lib];
    emit({ bench, value: round(v), unit: UNITS[bench]!, runtime: lib, ...(version === undefined ? {} : { version }), samples: results.get(`${bench}|${lib}`)!.map(round), measures: WHAT[bench] });
    if (lib !== 'orchard') leads[lib] = higher ? ours / v : v / ours;
  }
  const lead = Math.min(...Object.values(leads));
  emit({
    bench: `${bench}_lead`, value: round(lead), unit: 'x', target: '>= 1', measures: `Orchard's lead over the best other library (${higher ? 'orchard / theirs' : 'theirs / orchard'})`,
    ...Object.fromEntries(Object.entries(leads).map(([k, v]) => [`over_${k}`, round(v)])),
    ...(bench === 'peers_restart' ? { xstate: 'no supervisor: an actor that throws stops' } : {}),
  });
}
process.exit(0);
