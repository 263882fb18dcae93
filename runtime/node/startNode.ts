/**
 * The node: on the host's main thread (a page, or Node's main thread), it starts one scheduler
 * per worker, connects every pair of them with a MessagePort of their own (the mesh: workers
 * talk to each other directly, never through here), owns the registered names, watches the
 * schedulers and replaces those that stop answering.
 *
 * The node itself is not a process. It can spawn, send and exit as the host, and it has an
 * inbox: messages sent to `node.pid` (the host pid of a scheduler, `<0.0.S>`) arrive at
 * `node.receive`.
 *
 * @example
 * const node = await startNode({ workerEntry: new URL('./worker.ts', import.meta.url) });
 * const pid = node.spawn('counter', [0], { scheduler: 'least_loaded' });
 * node.send(pid, { inc: 1, replyTo: node.pid });
 * const reply = await node.receive();
 */
import { OrchardError, type Pid, type SpawnOptions, type Timeout, isPid, makePid, schedulerOf } from '../core/index.ts';
import { findUncloneable } from '../core/findUncloneable.ts';
import { SharedRing } from '../transport/SharedRing.ts';
import {
  type Load, type MessagePortLike, type NodeToScheduler, Op, type Peer, type SchedulerCounters, type SchedulerToNode, type WorkerConfig,
} from '../transport/wire.ts';
import { type CreateWorkerOptions, type WorkerHandle, createWorker } from './createWorker.ts';
import { type InboxMatch, NodeInbox } from './NodeInbox.ts';
import { NodeNames, type NodeNameTable } from './NodeNames.ts';
import { SharedNames, SharedNodeNames } from '../transport/SharedNames.ts';
import { NODE, PidPool } from '../transport/PidPool.ts';
import { remoteSpawnOptions } from '../transport/spawnOptions.ts';
import type { InspectArgs, InspectOp, InspectResult } from '../transport/inspectCalls.ts';
import { DEFAULT_WATCHDOG, Watchdog, type WatchdogOptions, defaultWatchdog } from './Watchdog.ts';

export interface NodeOptions {
  /** The module each worker runs: it loads the application's modules, then calls startSchedulerWorker(). */
  workerEntry: string | URL;
  /** How many schedulers (workers); default: one per core. */
  schedulers?: number;
  /**
   * Heartbeat and silence limit (default: ping every 100 ms, replace a scheduler silent for
   * 1 s; in development builds, warn after 1 s and replace after 5 s, see DEVELOPMENT_WATCHDOG);
   * `{ warnOnly: true }` only warns, for debugging a worker in DevTools; false turns the
   * watchdog off.
   */
  watchdog?: Partial<WatchdogOptions> | false;
  /**
   * 'shared': SharedArrayBuffer rings between schedulers (falling back to the MessagePort for
   * what does not encode or fit); 'batched': MessagePorts only; 'naive': one postMessage per
   * signal, the benchmarks' baseline. Default 'auto': 'shared' where shared memory can be
   * posted (a cross-origin isolated page, Node), else 'batched'.
   */
  transport?: 'auto' | 'shared' | 'batched' | 'naive';
  /** Bytes of each SharedArrayBuffer ring (one per direction between two schedulers). */
  ringBytes?: number;
  /**
   * With rings: how long a scheduler that has just sent and has nothing to run watches them for
   * an answer before it sleeps, in µs (default 0: never). Trades CPU for
   * cross-scheduler latency.
   */
  spinUs?: number;
  /** Each scheduler's slice length and per-turn reduction budget (see SchedulerOptions). */
  sliceMs?: number;
  budget?: number;
  /**
   * Where registered names live: 'shared', one table in shared memory, exact as Erlang's (see
   * SharedNames); 'replicated', a view per scheduler that the node arbitrates (see
   * ReplicatedNames); default 'auto': 'shared' where shared memory can be posted.
   */
  names?: 'auto' | 'shared' | 'replicated';
  /** With shared names: how many names the table holds (default 4096). */
  maxNames?: number;
  /** Start a fresh scheduler for each one that dies (default true). */
  replace?: boolean;
  /**
   * Pid numbers each scheduler reserves at first for spawns from each other one (later blocks
   * grow with use). Past them a spawner mints pids of its own range, so this never limits a
   * burst of spawns (see PidPool).
   */
  grant?: number;
  /**
   * Flow control: signals a scheduler may have in flight to one other scheduler (sent, not yet
   * applied there) before it stops running processes until the other catches up.
   */
  window?: number;
  /** Node only: see CreateWorkerOptions.nodeLoader. */
  nodeLoader?: string;
  /** How a worker is started (tests inject fakes); default createWorker. */
  createWorker?: (entry: string | URL, options: CreateWorkerOptions) => WorkerHandle;
  /** How long startNode waits for every scheduler to be ready, in ms. */
  startTimeoutMs?: number;
}

/** What the node tells its subscribers (the Observer among them). */
export type NodeEvent =
  | { type: 'orchard.scheduler.up'; id: number; replaces: number | null; at: number }
  | { type: 'orchard.scheduler.down'; id: number; cause: SchedulerDeath; detail: string; at: number }
  /** With `watchdog.warnOnly`: a scheduler is silent past the limit, and is left running. */
  | { type: 'orchard.scheduler.silent'; id: number; silentMs: number; at: number }
  | { type: 'orchard.scheduler.counters'; counters: SchedulerCounters[] }
  | { type: 'orchard.transport.undeliverable'; to: Pid; what: string };

export type SchedulerDeath = 'unresponsive' | 'crashed';

/**
 * The exit reason of every process of a scheduler that died: links and monitors on other
 * schedulers see it, as they would see `noconnection` when an Erlang node goes down.
 */
export interface SchedulerDied {
  scheduler_died: { id: number; cause: SchedulerDeath };
}

export function isSchedulerDied(reason: unknown): reason is SchedulerDied {
  return typeof reason === 'object' && reason !== null && 'scheduler_died' in reason;
}

/** Starts the node and resolves once every scheduler is ready. */
export async function startNode(options: NodeOptions): Promise<OrchardNode> {
  const node = new OrchardNode(options);
  try {
    await node.started;
  } catch (e) {
    node.stop();
    throw e;
  }
  return node;
}

class Slot {
  ready = false;
  counters: SchedulerCounters | null = null;
  readonly pool = new PidPool(NODE);
  out: NodeToScheduler[] = [];
  ops: unknown[] = [];
  /** Spawns placed here since its last counters. */
  placed = 0;
  /** The modules its worker can spawn by name, as it last said. */
  modules: ReadonlySet<string> = new Set();

  constructor(
    readonly id: number,
    readonly worker: WorkerHandle,
    readonly replaces: number | null,
  ) {}
}

export class OrchardNode {
  readonly started: Promise<void>;
  private readonly slots = new Map<number, Slot>();
  private readonly names: NodeNameTable;
  private readonly watchdog: Watchdog;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly config: WorkerConfig;
  private readonly make: (entry: string | URL, options: CreateWorkerOptions) => WorkerHandle;
  private nextId: number;
  private seq = 0;
  private flushQueued = false;
  private stopped = false;
  private readonly inbox = new NodeInbox();
  /** Schedulers the watchdog replaced: old id → its replacement (see Placement.current). */
  private readonly replacedBy = new Map<number, number>();
  private nextRequest = 0;
  private readonly requests = new Map<number, { scheduler: number; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  /** When the node started, ms since the epoch. */
  readonly startedAt = Date.now();
  private readonly listeners = new Set<(event: NodeEvent) => void>();
  private startedResolve!: () => void;
  private startedReject!: (e: unknown) => void;

  constructor(private readonly options: NodeOptions) {
    const n = options.schedulers ?? defaultSchedulers();
    if (!Number.isInteger(n) || n < 1) throw new OrchardError('badarg', `badarg: startNode: schedulers must be a positive integer, got ${String(n)}`);
    const transport = options.transport ?? 'auto';
    if (transport === 'shared' && !sharedMemory()) {
      throw new OrchardError('badarg', "badarg: startNode: transport 'shared' needs SharedArrayBuffer, which a page has only when cross-origin isolated (COOP/COEP)");
    }
    this.config = {
      transport: transport === 'auto' ? (sharedMemory() ? 'shared' : 'batched') : transport,
      grant: options.grant ?? 512,
      window: options.window ?? 100_000,
      spinUs: options.spinUs ?? 0,
      names: null,
      ...(options.sliceMs === undefined ? {} : { sliceMs: options.sliceMs }),
      ...(options.budget === undefined ? {} : { budget: options.budget }),
    };
    this.make = options.createWorker ?? createWorker;
    const sharedNames = (options.names ?? 'auto') === 'auto' ? sharedMemory() : options.names === 'shared';
    if (sharedNames && !sharedMemory()) {
      throw new OrchardError('badarg', "badarg: startNode: names 'shared' needs SharedArrayBuffer, which a page has only when cross-origin isolated (COOP/COEP)");
    }
    const namesBuffer = sharedNames ? SharedNames.create(options.maxNames ?? 4096) : null;
    this.config.names = namesBuffer;
    this.names = namesBuffer !== null ? new SharedNodeNames(namesBuffer) : new NodeNames({
      send: (id, m) => this.post(id, m),
      broadcast: (m) => {
        for (const id of this.slots.keys()) this.post(id, m);
      },
      isLive: (id) => this.slots.has(id),
    });
    this.started = new Promise<void>((resolve, reject) => {
      this.startedResolve = resolve;
      this.startedReject = reject;
    });
    const startTimeout = setTimeout(
      () => this.startedReject(new Error(`startNode: the schedulers were not ready within ${options.startTimeoutMs ?? 30_000} ms`)),
      options.startTimeoutMs ?? 30_000,
    );
    void this.started.then(() => clearTimeout(startTimeout), () => clearTimeout(startTimeout));
    this.nextId = n;
    const peers: Peer[][] = [];
    for (let i = 0; i < n; i++) peers.push([]);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const [a, b] = this.link(i, j);
        peers[i]!.push(a);
        peers[j]!.push(b);
      }
    }
    for (let i = 0; i < n; i++) this.startScheduler(i, null, peers[i]!);
    // The heartbeat also brings the schedulers' counters: it runs with the watchdog off too,
    // which then never declares a scheduler silent.
    const w: WatchdogOptions = options.watchdog === false
      ? { intervalMs: DEFAULT_WATCHDOG.intervalMs, timeoutMs: Infinity }
      : { ...defaultWatchdog(), ...(options.watchdog ?? {}) };
    this.watchdog = new Watchdog(w, () => performance.now(), {
      ping: (id) => this.post(id, { t: 'ping', seq: this.seq, loads: this.loads() }),
      warn: (id, ms) => {
        if (!this.slots.has(id)) return;
        // Always said: a worker paused in DevTools is as silent as a runaway handler.
        console.warn(silenceWarning(id, ms, w));
        this.emit({ type: 'orchard.scheduler.silent', id, silentMs: Math.round(ms), at: Date.now() });
      },
      silent: (id, ms) => {
        const slot = this.slots.get(id);
        if (slot === undefined) return;
        console.warn(silenceWarning(id, ms, w));
        this.died(slot, 'unresponsive', `no answer for ${Math.round(ms)} ms`);
      },
    });
    this.timer = setInterval(() => this.tick(), w.intervalMs);
  }

  // --- Public API ---

  /** The live schedulers' ids. */
  get schedulers(): number[] {
    return [...this.slots.values()].filter((s) => s.ready).map((s) => s.id).sort((a, b) => a - b);
  }

  /**
   * A pid that stands for the node: what is sent to it arrives at `receive`. Process number 0
   * is the host on every scheduler, and each scheduler hands what is sent to a `<0.0.S>` to the
   * node itself, so this pid outlives any one scheduler (scheduler 0's replacement included).
   */
  readonly pid: Pid = makePid(0, 0);

  /**
   * Spawns module `module` with `args` (cloneable), as the host: on `options.scheduler`, or
   * the least loaded scheduler. Returns the pid at once, as spawn does.
   */
  spawn(module: string, args: readonly unknown[] = [], options: SpawnOptions = {}): Pid {
    if (typeof module !== 'string') throw new OrchardError('badarg', 'badarg: node.spawn: a module is spawned by name (defineModule)');
    if (!Array.isArray(args)) throw new OrchardError('badarg', 'badarg: node.spawn: arguments must be an array');
    if (options.link === true || options.monitor === true) {
      throw new OrchardError('badarg', 'badarg: node.spawn: the node is not a process, it cannot link or monitor; spawn a supervisor');
    }
    const target = typeof options.scheduler === 'number' ? this.current(options.scheduler) : this.leastLoaded();
    const slot = this.slots.get(target);
    if (slot === undefined || !slot.ready) throw new OrchardError('badarg', `badarg: node.spawn: scheduler ${target} is not running`);
    if (!slot.modules.has(module)) {
      // As spawn/3 in a process: the module is looked up before any pid exists.
      const known = [...slot.modules].sort().join(', ') || 'none';
      throw new OrchardError('undef', `undef: node.spawn: no module named '${module}' is defined on scheduler ${target} (defined: ${known})`);
    }
    const bad = findUncloneable(args);
    if (bad !== null) throw new OrchardError('not_cloneable', `not_cloneable: the arguments of spawn('${module}') cannot be copied to scheduler ${target}: it holds ${bad}`);
    const pid = makePid(target, slot.pool.take());
    const used = slot.pool.requestDue(this.config.grant);
    if (used !== null) slot.ops.push(Op.GrantRequest, used);
    const spawnOptions = remoteSpawnOptions(options, pid, (name, p) => this.names.claimHere(name, p));
    slot.ops.push(Op.Spawn, makePid(target, 0), pid, null, module, args, spawnOptions);
    slot.placed++;
    this.queueFlush();
    return pid;
  }

  /** `Dest ! Msg` from the host: a dead pid drops it, an unregistered name throws `badarg`. */
  send(to: Pid | string, message: unknown): void {
    const pid = this.resolve(to, 'send');
    const slot = this.slots.get(schedulerOf(pid));
    const bad = findUncloneable(message);
    if (bad !== null) throw new OrchardError('not_cloneable', `not_cloneable: the message to ${pid} cannot be copied to its scheduler: it holds ${bad}`);
    if (slot === undefined) return;
    slot.ops.push(Op.Message, pid, message);
    this.queueFlush();
  }

  /** exit(Pid, Reason) from the host. */
  exit(to: Pid, reason: unknown): void {
    const pid = this.resolve(to, 'exit');
    const slot = this.slots.get(schedulerOf(pid));
    const bad = findUncloneable(reason);
    if (bad !== null) throw new OrchardError('not_cloneable', `not_cloneable: the exit reason for ${pid} cannot be copied: it holds ${bad}`);
    if (slot === undefined) return;
    slot.ops.push(Op.Exit, makePid(slot.id, 0), pid, reason, 0);
    this.queueFlush();
  }

  /** whereis/1: the pid registered under `name`, or undefined; a name that is not a string is `badarg`. */
  whereis(name: string): Pid | undefined {
    if (typeof name !== 'string') throw new OrchardError('badarg', `badarg: node.whereis: ${describeArg(name)} is not a name`);
    return this.names.get(name);
  }

  registered(): string[] {
    return this.names.names();
  }

  /**
   * Takes the oldest message sent to `node.pid` that matches (a predicate or a partial object
   * pattern); with `after`, resolves to TIMEOUT when none came in time.
   */
  receive(match?: InboxMatch, options: { after?: number } = {}): Promise<unknown | Timeout> {
    return this.inbox.receive(match, options);
  }

  /**
   * The longest scheduler `id` has been silent so far (ms between two messages from it, the
   * heartbeat's answers among them), as the watchdog measures it.
   */
  longestSilence(id: number): number {
    return this.watchdog.longestSilence(id);
  }

  /** The latest counters of each live scheduler (refreshed with every heartbeat). */
  counters(): SchedulerCounters[] {
    const out: SchedulerCounters[] = [];
    for (const s of this.slots.values()) if (s.counters !== null) out.push(s.counters);
    return out.sort((a, b) => a.id - b.id);
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal A call of a scheduler's inspector source (see createNodeSource, InspectCalls). */
  _inspect<K extends InspectOp>(scheduler: number, op: K, ...args: InspectArgs<K>): Promise<InspectResult<K>> {
    if (!this.slots.has(scheduler)) return Promise.reject(new Error(`scheduler ${scheduler} is not running`));
    const id = ++this.nextRequest;
    return new Promise((resolve, reject) => {
      // The worker answers this call's result type (InspectionHost checks it against InspectCalls).
      this.requests.set(id, { scheduler, resolve: resolve as (v: unknown) => void, reject });
      this.post(scheduler, { t: 'inspect', id, op, args } as Extract<NodeToScheduler, { t: 'inspect' }>);
    });
  }

  /** Terminates every worker. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    for (const slot of this.slots.values()) slot.worker.terminate();
    this.slots.clear();
    this.inbox.close(new Error('the node was stopped'));
    for (const r of this.requests.values()) r.reject(new Error('the node was stopped'));
    this.requests.clear();
    this.startedReject(new Error('the node was stopped'));
  }

  // --- Schedulers ---

  /** The mesh between schedulers `i` and `j`: a MessageChannel, and two rings with shared memory. */
  private link(i: number, j: number): [forI: Peer, forJ: Peer] {
    const channel = new MessageChannel();
    let ij: SharedArrayBuffer | null = null;
    let ji: SharedArrayBuffer | null = null;
    if (this.config.transport === 'shared') {
      ij = SharedRing.create(this.options.ringBytes ?? 512 * 1024);
      ji = SharedRing.create(this.options.ringBytes ?? 512 * 1024);
    }
    return [
      { id: j, port: channel.port1 as unknown as MessagePortLike, rings: ij === null ? null : { out: ij, in: ji! } },
      { id: i, port: channel.port2 as unknown as MessagePortLike, rings: ij === null ? null : { out: ji!, in: ij } },
    ];
  }

  private startScheduler(id: number, replaces: number | null, peers: Peer[]): void {
    const worker = this.make(this.options.workerEntry, {
      name: `orchard scheduler ${id}`,
      ...(this.options.nodeLoader === undefined ? {} : { nodeLoader: this.options.nodeLoader }),
    });
    const slot = new Slot(id, worker, replaces);
    worker.onmessage = (event) => this.fromScheduler(slot, event.data as SchedulerToNode[]);
    worker.onerror = (e) => this.died(slot, 'crashed', e instanceof Error ? e.message : String(e));
    this.slots.set(id, slot);
    const init: NodeToScheduler = {
      t: 'init', id, config: this.config, peers, names: this.names.entries(), loads: this.loads(), replaced: [...this.replacedBy],
    };
    worker.postMessage([init], peers.map((p) => p.port));
  }

  /**
   * Starts a fresh scheduler for `old` and connects it to every live one. Each hears of the
   * death and of the replacement in one message, so a supervisor that restarts a child pinned
   * to `old` at once already finds the replacement (its spawn waits on the port until it runs).
   */
  private replace(old: number, down: NodeToScheduler | null): void {
    const id = this.nextId++;
    this.replacedBy.set(old, id);
    const peers: Peer[] = [];
    for (const slot of this.slots.values()) {
      const [forOld, forNew] = this.link(slot.id, id);
      this.flushSlot(slot);
      const peer: NodeToScheduler = { t: 'peer', replaces: old, ...forOld };
      slot.worker.postMessage(down === null ? [peer] : [down, peer], [forOld.port]);
      peers.push(forNew);
    }
    this.startScheduler(id, old, peers);
  }

  /** The scheduler that stands for `id` now: itself or its last replacement. */
  private current(id: number): number {
    let at = id;
    for (let next = this.replacedBy.get(at); next !== undefined; next = this.replacedBy.get(at)) at = next;
    return at;
  }

  private fromScheduler(slot: Slot, list: SchedulerToNode[]): void {
    if (this.slots.get(slot.id) !== slot) return;
    this.watchdog.heard(slot.id);
    for (const m of list) {
      switch (m.t) {
        case 'host':
          for (let i = 0; i < m.messages.length; i += 2) this.inbox.deliver(m.messages[i]);
          break;
        case 'pong':
          slot.counters = m.counters;
          slot.placed = 0;
          if (m.modules !== undefined) slot.modules = new Set(m.modules);
          break;
        case 'grant':
          slot.pool.add(m.first, m.count);
          break;
        case 'nameClaim':
          this.names.claimed(m.name, m.pid);
          break;
        case 'nameRelease':
          this.names.released(m.name, m.pid);
          break;
        case 'nameCheckReply':
          this.names.checked(m.name, m.owner, m.owns);
          break;
        case 'ready':
          slot.ready = true;
          slot.modules = new Set(m.modules);
          this.watchdog.watch(slot.id);
          this.emit({ type: 'orchard.scheduler.up', id: slot.id, replaces: slot.replaces, at: Date.now() });
          if ([...this.slots.values()].every((s) => s.ready)) this.startedResolve();
          break;
        case 'inspected': {
          const r = this.requests.get(m.id);
          if (r === undefined) break;
          this.requests.delete(m.id);
          if (m.error !== undefined) r.reject(new Error(m.error));
          else r.resolve(m.ok);
          break;
        }
        case 'undeliverable':
          this.emit({ type: 'orchard.transport.undeliverable', to: m.to, what: m.what });
          console.error(`orchard: a signal to ${m.to} could not be copied and was dropped: ${m.what}`);
          break;
      }
    }
  }

  /**
   * A scheduler is gone: its worker is terminated, its names freed, and every other scheduler
   * told, so that links and monitors to its processes fire with `{scheduler_died: …}`.
   */
  private died(slot: Slot, cause: SchedulerDeath, detail: string): void {
    if (this.stopped || this.slots.get(slot.id) !== slot) return;
    this.slots.delete(slot.id);
    this.watchdog.unwatch(slot.id);
    slot.worker.onmessage = null;
    slot.worker.onerror = null;
    slot.worker.terminate();
    if (!slot.ready && slot.replaces === null) {
      this.startedReject(new Error(`startNode: scheduler ${slot.id} failed to start: ${detail}`));
    }
    this.names.schedulerDown(slot.id);
    for (const [id, r] of this.requests) {
      if (r.scheduler !== slot.id) continue;
      this.requests.delete(id);
      r.reject(new Error(`scheduler ${slot.id} died`));
    }
    const reason: SchedulerDied = { scheduler_died: { id: slot.id, cause } };
    const down: NodeToScheduler = { t: 'down', id: slot.id, reason };
    if (this.options.replace !== false) {
      this.replace(slot.id, down);
    } else {
      for (const id of this.slots.keys()) this.post(id, down);
    }
    this.emit({ type: 'orchard.scheduler.down', id: slot.id, cause, detail, at: Date.now() });
  }

  private tick(): void {
    this.seq++;
    this.watchdog.tick();
    this.queueFlush();
    if (this.listeners.size > 0) this.emit({ type: 'orchard.scheduler.counters', counters: this.counters() });
  }

  private loads(): Load[] {
    const out: Load[] = [];
    for (const s of this.slots.values()) {
      if (!s.ready) continue;
      out.push({ id: s.id, processes: (s.counters?.processes ?? 0) + s.placed, runQueue: s.counters?.runQueue ?? 0 });
    }
    return out;
  }

  private leastLoaded(): number {
    let best = -1;
    let bestLoad = Infinity;
    for (const s of this.slots.values()) {
      if (!s.ready) continue;
      const load = (s.counters?.processes ?? 0) + (s.counters?.runQueue ?? 0) + s.placed;
      if (load < bestLoad) {
        best = s.id;
        bestLoad = load;
      }
    }
    return best;
  }

  /** A pid or a registered name, checked as send/2 and exit/2 check theirs: anything else is `badarg`. */
  private resolve(to: Pid | string, what: string): Pid {
    if (typeof to !== 'string') throw new OrchardError('badarg', `badarg: ${what}: ${describeArg(to)} is not a pid or a registered name`);
    if (to.charCodeAt(0) === 60) {
      if (!isPid(to)) throw new OrchardError('badarg', `badarg: ${what}: '${to}' is not a pid (pids read <0.N.S>)`);
      return to;
    }
    const pid = this.names.get(to);
    if (pid === undefined) throw new OrchardError('badarg', `badarg: ${what} to '${to}': no process is registered under that name`);
    return pid;
  }

  // --- Wire ---

  private post(id: number, message: NodeToScheduler): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    slot.out.push(message);
    this.queueFlush();
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      for (const slot of this.slots.values()) this.flushSlot(slot);
    });
  }

  private flushSlot(slot: Slot): void {
    if (slot.ops.length > 0) {
      slot.out.push({ t: 'signals', ops: slot.ops });
      slot.ops = [];
    }
    if (slot.out.length === 0) return;
    const out = slot.out;
    slot.out = [];
    slot.worker.postMessage(out);
  }

  private emit(event: NodeEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        // A listener that throws must not break the node (STYLE G7): rethrow in a macrotask.
        setTimeout(() => {
          throw e;
        });
      }
    }
  }
}

/** What the console says when a scheduler stays silent past the watchdog's limit. */
export function silenceWarning(id: number, silentMs: number, w: WatchdogOptions): string {
  const what = `orchard: scheduler ${id} was silent for ${Math.round(silentMs)} ms (limit: watchdog.timeoutMs = ${w.timeoutMs} ms)`;
  const why = 'a handler that never returns, or a worker paused in DevTools (a breakpoint, a heap snapshot)';
  if (w.warnOnly === true) return `${what}: ${why}. watchdog.warnOnly is set: it keeps running.`;
  if (silentMs <= w.timeoutMs) {
    return `orchard: scheduler ${id} has been silent for ${Math.round(silentMs)} ms: ${why}. ` +
      `It will be terminated and replaced if it stays silent for watchdog.timeoutMs = ${w.timeoutMs} ms ` +
      `(production builds: ${DEFAULT_WATCHDOG.timeoutMs} ms). To debug in DevTools, start the node with watchdog: { warnOnly: true } (in the Observer: ?watchdog=off).`;
  }
  return `${what}: ${why}. It is terminated and replaced; its processes exit with {scheduler_died}. ` +
    'To debug in DevTools, start the node with watchdog: { warnOnly: true } (in the Observer: ?watchdog=off).';
}

function describeArg(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'object' && x !== null) return Array.isArray(x) ? 'an array' : 'an object';
  return String(x);
}

/** Whether SharedArrayBuffers can be made and posted here (a cross-origin isolated page, or Node). */
function sharedMemory(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
}

function defaultSchedulers(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency !== undefined && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  const os = (globalThis as { process?: NodeJS.Process }).process?.getBuiltinModule?.('node:os');
  return os?.availableParallelism?.() ?? 2;
}
