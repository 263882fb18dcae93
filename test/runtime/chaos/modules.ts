/**
 * The processes of the chaos soak (soak.ts), loaded by every scheduler through worker.ts: the
 * tree (a root supervisor over groups of every strategy, each over workers of every restart
 * type), the clients that call the workers throughout, and a probe that reads the tree and the
 * heap for the soak.
 *
 * Every worker checks the sequence numbers it receives from each client, so a message lost,
 * duplicated or reordered on its way to a live process is reported by the process that should
 * have received it (to `collector`, the node's pid).
 */
import {
  type Pid, type Wait, ProcessExit, defineModule, receive, self, send, sleep, whereis,
} from '../../../runtime/core/index.ts';
import * as GenServer from '../../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../../runtime/behaviours/supervisor.ts';
import type { ChildSpec, RestartType, Strategy } from '../../../runtime/behaviours/index.ts';

export interface WorkerSpec {
  id: string;
  /** Its registered name. */
  name: string;
  restart: RestartType;
  scheduler: number;
}

export interface GroupSpec {
  id: string;
  name: string;
  strategy: Strategy;
  scheduler: number;
  workers: WorkerSpec[];
  /** Where violations go (the node's pid). */
  collector: Pid;
}

/** What a process of the soak tells the node when a sequence breaks. */
export interface Violation {
  violation: 'gap' | 'duplicate' | 'lost' | 'timeout';
  at: Pid | string;
  client: Pid;
  detail: string;
  /** Messages lost (a gap, or fewer received than sent) or received twice. */
  count: number;
}

/** Supervisor flags that never give up during a soak: the check is that restarts restore, not intensity (see soak.ts). */
const NEVER_GIVE_UP = { intensity: 1_000_000, period: 1 };

// --- The tree ---

Supervisor.define('chaos.root', {
  init: (groups: GroupSpec[]) => [
    'ok',
    [
      { strategy: 'one_for_one', ...NEVER_GIVE_UP },
      groups.map((g): ChildSpec => ({ id: g.id, start: ['chaos.group', [g, { name: g.name }]], type: 'supervisor', scheduler: g.scheduler })),
    ],
  ],
});

Supervisor.define('chaos.group', {
  init: (g: GroupSpec) => [
    'ok',
    [
      { strategy: g.strategy, ...NEVER_GIVE_UP },
      g.workers.map((w): ChildSpec => ({ id: w.id, start: ['chaos.worker', [{ name: w.name, collector: g.collector }, { name: w.name }]], restart: w.restart, scheduler: w.scheduler })),
    ],
  ],
});

interface WorkerState {
  name: string;
  collector: Pid;
  /** The next sequence number expected from each client. */
  next: Map<Pid, number>;
}

/**
 * A worker: `{ c, s }` is message number `s` from client `c` to this very process (numbered
 * from 0 per receiving pid); `{ count: c }` (a call) answers how many it has received from `c`;
 * `{ stop: reason }` stops it with that reason (a custom exit of its own).
 */
GenServer.define<WorkerState>('chaos.worker', {
  init: (arg: { name: string; collector: Pid }) => ['ok', { ...arg, next: new Map() }],
  handleCall(request: { count: Pid }, _from, state) {
    return ['reply', state.next.get(request.count) ?? 0, state];
  },
  handleInfo(m: { c?: Pid; s?: number; stop?: unknown }, state) {
    if (m.stop !== undefined) return ['stop', m.stop, state];
    if (m.c === undefined || m.s === undefined) return ['noreply', state];
    const expected = state.next.get(m.c) ?? 0;
    if (m.s !== expected) {
      const gap = m.s > expected;
      send(state.collector, {
        violation: gap ? 'gap' : 'duplicate',
        at: self(),
        client: m.c,
        detail: `${state.name} got #${m.s} from ${m.c}, expected #${expected}`,
        count: gap ? m.s - expected : 1,
      } satisfies Violation);
    }
    state.next.set(m.c, Math.max(expected, m.s + 1));
    return ['noreply', state];
  },
});

/** Starts the root supervisor linked to itself, tells `reportTo`, and stays (the tree's anchor). */
defineModule('chaos.host', function* chaosHost(groups: GroupSpec[], reportTo: Pid): Generator<Wait, void, unknown> {
  const started = yield* Supervisor.startLink('chaos.root', groups, { name: 'chaos.root' });
  send(reportTo, { rootStarted: started });
  yield receive(() => false);
});

// --- Clients ---

export interface ClientReport {
  client: Pid;
  sent: number;
  calls: number;
  /** Calls that exited because the worker died meanwhile (noproc, or its exit reason). */
  callsToDead: number;
}

const BURST = 4;
const CALL_TIMEOUT_MS = 10_000;
/** Between two calls a client rests this long, so that the clients load the schedulers without starving the supervisors. */
const THINK_MS = 1;

/**
 * A client: over and over, picks a worker by name, sends it a burst of numbered messages, then
 * calls it for how many of this client's messages it has received. Signals between two
 * processes arrive in the order sent (Erlang reference manual, Processes, "Message Sending"),
 * so a live worker that answers has received every message sent to it before the call: a
 * smaller count is a loss. A call to a worker that dies meanwhile exits, which is no loss.
 * Runs until `{ halt }`, then reports to `reportTo`.
 */
defineModule('chaos.client', function* chaosClient(names: string[], seed: number, reportTo: Pid): Generator<Wait, void, unknown> {
  const me = self();
  const report = (v: Violation): void => send(reportTo, v);
  const random = mulberry32(seed);
  // Per name, the pid it was last found at and how many messages went to that pid.
  const targets = new Map<string, { pid: Pid; sent: number }>();
  const totals: ClientReport = { client: me, sent: 0, calls: 0, callsToDead: 0 };
  for (;;) {
    const halt = yield receive((m: any) => m?.halt === true, { after: 0 });
    if (halt !== undefined && typeof halt === 'object') break;
    yield sleep(THINK_MS);
    const name = names[Math.floor(random() * names.length)]!;
    const pid = whereis(name);
    if (pid === undefined) {
      // Between a death and its restart: nobody to send to.
      continue;
    }
    // Numbered per receiving pid: a restarted worker is a new process and starts again from 0.
    let last = targets.get(name);
    if (last === undefined || last.pid !== pid) targets.set(name, (last = { pid, sent: 0 }));
    for (let i = 0; i < BURST; i++) send(pid, { c: me, s: last.sent++ });
    totals.sent += BURST;
    try {
      const got = yield* GenServer.call<number>(pid, { count: me }, CALL_TIMEOUT_MS);
      totals.calls++;
      if (got !== last.sent) {
        report({
          violation: got < last.sent ? 'lost' : 'duplicate',
          at: pid,
          client: me,
          detail: `${name} (${pid}) answered ${got} received, ${last.sent} were sent to it`,
          count: Math.abs(last.sent - got),
        });
      }
    } catch (e) {
      if (!(e instanceof ProcessExit)) throw e;
      if (e.reason === 'timeout') {
        report({ violation: 'timeout', at: pid, client: me, detail: `${name} (${pid}) did not answer a call within ${CALL_TIMEOUT_MS} ms`, count: 0 });
      } else {
        totals.callsToDead++;
      }
    }
  }
  send(reportTo, { clientReport: totals });
});

// --- The probe ---

export interface GroupSnapshot {
  id: string;
  /** The group supervisor's pid, or null while it is not registered. */
  sup: Pid | null;
  /** Its children in start order, as whichChildren lists them (reversed: it lists the last started first); null if the call exited. */
  children: Supervisor.WhichChild[] | null;
}

/**
 * Answers `{ snapshot: tag, groups }` with each group's supervisor and children, and
 * `{ heap: tag }` with this worker's JS heap after a full collection (Node worker threads only).
 */
defineModule('chaos.probe', function* chaosProbe(reportTo: Pid): Generator<Wait, void, unknown> {
  for (;;) {
    const m = (yield receive()) as { snapshot?: number; groups?: GroupSpec[]; heap?: number };
    if (m.heap !== undefined) {
      send(reportTo, { heap: m.heap, bytes: heapAfterGc(), from: self() });
      continue;
    }
    if (m.snapshot === undefined) continue;
    const out: GroupSnapshot[] = [];
    for (const g of m.groups ?? []) {
      const sup = whereis(g.name) ?? null;
      let children: Supervisor.WhichChild[] | null = null;
      if (sup !== null) {
        try {
          children = (yield* Supervisor.whichChildren(sup)).slice().reverse();
        } catch (e) {
          if (!(e instanceof ProcessExit)) throw e;
        }
      }
      out.push({ id: g.id, sup, children });
    }
    send(reportTo, { snapshot: m.snapshot, groups: out });
  }
});

let gcFn: (() => void) | null | undefined;

/** This isolate's heap in use after a full collection; Node exposes gc to a worker on request. */
function heapAfterGc(): number | null {
  const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number }; getBuiltinModule?: (id: string) => any } }).process;
  if (proc?.memoryUsage === undefined) return null;
  if (gcFn === undefined) {
    gcFn = (globalThis as { gc?: () => void }).gc ?? null;
    const v8 = proc.getBuiltinModule?.('node:v8');
    const vm = proc.getBuiltinModule?.('node:vm');
    if (gcFn === null && v8 !== undefined && vm !== undefined) {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    }
  }
  gcFn?.();
  gcFn?.();
  return proc.memoryUsage().heapUsed;
}

/** A small seeded generator, so that a client's choices are reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
