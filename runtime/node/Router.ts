/**
 * The transport of one scheduler, in its worker: signals to pids of other schedulers leave
 * through here (`route`), batched per slice over a mesh of MessagePorts, and signals from them
 * are applied through here, so that a send, link, monitor or exit to a pid on another
 * scheduler acts as it does locally (the core's `accept`).
 *
 * Ordering: each pair of schedulers has one port, each batch keeps the order of its signals,
 * and batches are flushed in a microtask after the slice (or the incoming batch) that queued
 * them; so between two processes signals arrive in the order they were sent.
 *
 * Also here: spawns placed on other schedulers (pids reserved ahead, see PidPool), the
 * replicated view of the node's names, flow control, and what happens when another scheduler
 * dies: its pids are gone, and every link and monitor to them fires as on any exit.
 */
import {
  type Body, type NameTable, OrchardError, type Pid, type Process, type Ref, type RemoteSignal, type Scheduler,
  type SpawnOptions, type YieldToHost, errorReason, lookupModule, makePid, schedulerOf,
} from '../core/index.ts';
import { findUncloneable } from '../transport/findUncloneable.ts';
import { PeerLink, type Rings, WAKE } from '../transport/PeerLink.ts';
import { type Load, type MessagePortLike, OPERANDS, Op, type SchedulerCounters, type SchedulerToNode, type WorkerConfig } from '../transport/wire.ts';
import { GrantLedger, PidPool } from './PidPool.ts';
import { ReplicatedNames } from './ReplicatedNames.ts';
import { SharedNames } from './SharedNames.ts';

/** The spawner id standing for the node itself in grant ledgers and pools. */
export const NODE = -1;

const MAX_GRANT = 1 << 20;
/** Signals in one batch at most. */
const MAX_BATCH = 4096;

export class Router {
  scheduler!: Scheduler;
  /** The names as the core sees them: the shared table, or this scheduler's replica. */
  readonly names: NameTable;
  /** The replica, when names are not in shared memory (see ReplicatedNames). */
  private readonly replica: ReplicatedNames | null;
  private readonly peers: Array<PeerLink | undefined> = [];
  private readonly dead = new Set<number>();
  private readonly pools = new Map<number, PidPool>();
  private readonly ledgers = new Map<number, GrantLedger>();
  /** Signals for pids reserved here whose spawn has not arrived yet, as flat ops. */
  private readonly waiting = new Map<Pid, unknown[]>();
  /** Answers to signals sent to pids of dead schedulers, applied at the next flush. */
  private loopback: RemoteSignal[] = [];
  private nodeOut: SchedulerToNode[] = [];
  private hostMessages: unknown[] = [];
  private flushQueued = false;
  private parked: (() => void) | null = null;
  private baseYield: YieldToHost | null = null;
  private loads: Load[] = [];
  private placed = new Map<number, number>();
  private readonly naive: boolean;
  /** Peers whose first block of reserved pids has not arrived yet, and who waits for them. */
  private ungranted = new Set<number>();
  private onGranted: (() => void) | null = null;

  remoteOut = 0;
  remoteIn = 0;
  batchesIn = 0;
  held = 0;

  constructor(
    readonly id: number,
    private readonly config: WorkerConfig,
    private readonly toNode: (messages: SchedulerToNode[]) => void,
  ) {
    this.naive = config.transport === 'naive';
    if (config.names !== null) {
      const shared = new SharedNames(config.names, id);
      this.replica = null;
      this.names = {
        get: (name) => shared.get(name),
        claim: (name, pid) => shared.claim(name, pid),
        release: (name, pid) => {
          shared.release(name, pid);
          // unregister/1 of another scheduler's process: its scheduler forgets the name too.
          const owner = schedulerOf(pid);
          if (owner !== this.id) {
            this.peers[owner]?.push2(Op.NameRelease, name, pid);
            this.queueFlush();
          }
        },
        names: () => shared.names(),
      };
    } else {
      this.replica = new ReplicatedNames((claim, name, pid) => this.announceName(claim, name, pid));
      this.names = this.replica;
    }
  }

  attach(scheduler: Scheduler): void {
    this.scheduler = scheduler;
  }

  /** The scheduler's `yieldToHost`: holds the next slice while too much is in flight. */
  yieldToHost(base: YieldToHost): YieldToHost {
    this.baseYield = base;
    return (fn) => {
      if (!this.naive && this.congested()) {
        this.parked = fn;
        this.held++;
      } else {
        base(fn);
      }
    };
  }

  // --- Peers ---

  addPeer(id: number, port: MessagePortLike, rings: Rings | null = null): void {
    const link = new PeerLink(id, port, (ops, error) => this.undeliverable(ops, error), this.naive ? null : rings);
    this.peers[id] = link;
    this.pools.set(id, new PidPool());
    port.onmessage = (event) => this.fromPeer(link, event.data);
    this.grant(id, this.config.grant);
  }

  /** Calls `fn` once every peer known now has reserved pids for us (spawns there can start). */
  whenGranted(fn: () => void): void {
    for (const [id, peer] of this.peers.entries()) if (peer !== undefined && this.pool(id).available === 0) this.ungranted.add(id);
    if (this.ungranted.size === 0) fn();
    else this.onGranted = fn;
  }

  isLive(id: number): boolean {
    return id === this.id || this.peers[id] !== undefined;
  }

  // --- Outgoing ---

  /** The core's `route`: queues a signal for another scheduler. */
  readonly route = (signal: RemoteSignal): void => {
    const target = schedulerOf(signal.to as Pid);
    const peer = this.peers[target];
    if (peer === undefined) return this.toDeadScheduler(signal);
    switch (signal.kind) {
      case 'message': {
        const bad = findUncloneable(signal.message);
        if (bad !== null) throw notCloneable(`the message to ${signal.to}`, target, bad);
        if (signal.alias === undefined) peer.push2(Op.Message, signal.to, signal.message);
        else peer.push3(Op.AliasMessage, signal.to, signal.alias, signal.message);
        break;
      }
      case 'exit': {
        let reason = signal.reason;
        const bad = findUncloneable(reason);
        if (bad !== null) {
          // exit/2 is the sender's own call: it fails there. A link's signal is the runtime's,
          // sent while a process dies: it carries a description instead of failing.
          if (!signal.link) throw notCloneable(`the exit reason for ${signal.to}`, target, bad);
          reason = { not_cloneable: bad };
        }
        peer.push4(Op.Exit, signal.from, signal.to, reason, signal.link ? 1 : 0);
        break;
      }
      case 'link':
        peer.push2(Op.Link, signal.from, signal.to);
        break;
      case 'unlink':
        peer.push2(Op.Unlink, signal.from, signal.to);
        break;
      case 'monitor':
        peer.push3(Op.Monitor, signal.from, signal.to, signal.ref);
        break;
      case 'demonitor':
        peer.push3(Op.Demonitor, signal.from, signal.to, signal.ref);
        break;
      case 'down': {
        const bad = findUncloneable(signal.reason);
        peer.push4(Op.Down, signal.from, signal.to, signal.ref, bad === null ? signal.reason : { not_cloneable: bad });
        break;
      }
      case 'spawn':
        throw new OrchardError('badarg', 'badarg: remote spawns go through placement, not route');
    }
    this.remoteOut++;
    // A slice can be long (a process that sends much per reduction): a full batch leaves at
    // once, so the receiver works in parallel and no batch grows without bound.
    if (this.naive || peer.queued >= MAX_BATCH) peer.flush();
    else this.queueFlush();
  };

  /** The core's `onHostMessage`: a message for the node. */
  readonly toHost = (message: unknown, from: Pid): void => {
    const bad = findUncloneable(message);
    if (bad !== null) throw notCloneable(`the message to the node (${this.scheduler.hostPid})`, this.id, bad);
    this.hostMessages.push(message, from);
    this.queueFlush();
  };

  /**
   * A signal to a pid whose scheduler is gone: as to any dead pid, a link or monitor is
   * answered with `noproc`; the rest is dropped.
   */
  private toDeadScheduler(signal: RemoteSignal): void {
    if (signal.kind === 'link') {
      this.loopback.push({ kind: 'exit', from: signal.to, to: signal.from, reason: 'noproc', link: true });
      this.queueFlush();
    } else if (signal.kind === 'monitor') {
      this.loopback.push({ kind: 'down', from: signal.to, to: signal.from, ref: signal.ref, reason: 'noproc' });
      this.queueFlush();
    }
  }

  private congested(): boolean {
    const window = this.config.window;
    for (const p of this.peers) if (p !== undefined && p.inFlight + p.queued > window) return true;
    return false;
  }

  queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flush);
  }

  /** Runs once after each slice or incoming batch: everything queued leaves, one post per peer. */
  readonly flush = (): void => {
    this.flushQueued = false;
    // Between slices, take what the rings hold without waiting to be woken.
    for (const p of this.peers) if (p !== undefined && p.ringIn !== null) this.drainRing(p);
    if (this.loopback.length > 0) {
      const answers = this.loopback;
      this.loopback = [];
      for (const signal of answers) this.scheduler.accept(signal);
    }
    let sent = false;
    for (const p of this.peers) if (p !== undefined && p.flush()) sent = true;
    if (sent && this.config.spinUs > 0 && this.scheduler.idle) this.spin();
    if (this.hostMessages.length > 0) {
      this.nodeOut.push({ t: 'host', messages: this.hostMessages });
      this.hostMessages = [];
    }
    if (this.nodeOut.length > 0) {
      const out = this.nodeOut;
      this.nodeOut = [];
      this.toNode(out);
    }
  };

  /**
   * Waits a moment on the rings for an answer to what was just sent, when there is nothing
   * else to run: waking a sleeping worker takes tens of µs, a spinning one sees a record in one.
   * Producers see the rings awake meanwhile and post no wake-up.
   */
  private spin(): void {
    const end = performance.now() + this.config.spinUs / 1000;
    const rings: PeerLink[] = [];
    for (const p of this.peers) {
      if (p === undefined || p.ringIn === null) continue;
      p.ringIn.wake();
      rings.push(p);
    }
    let got: PeerLink | null = null;
    do {
      for (const p of rings) {
        if (p.ringIn!.peek() >= 0) {
          got = p;
          break;
        }
      }
    } while (got === null && performance.now() < end);
    for (const p of rings) if (p === got || !p.ringIn!.sleep()) this.drainRing(p);
  }

  /** Queues a control message for the node; it leaves with the next flush. */
  tellNode(message: SchedulerToNode): void {
    this.nodeOut.push(message);
    this.queueFlush();
  }

  // --- Incoming ---

  private fromPeer(peer: PeerLink, data: unknown): void {
    if (this.peers[peer.id] !== peer) return; // from a scheduler declared dead
    if (data === WAKE) {
      this.drainRing(peer);
      return;
    }
    const batch = data as unknown[];
    // Batches sent earlier through the ring come first.
    if (batch[1] !== peer.nextSeq && peer.ringIn !== null) this.drainRing(peer);
    if (batch[1] !== peer.nextSeq) {
      throw new OrchardError('badarg', `badarg: batch ${String(batch[1])} from scheduler ${peer.id} arrived when ${peer.nextSeq} was due`);
    }
    this.applyBatch(peer, batch);
    if (peer.ringIn !== null) this.drainRing(peer);
  }

  /** Applies the ring's batches that are due, in order; sleeps on it when it is empty. */
  private drainRing(peer: PeerLink): void {
    const ring = peer.ringIn!;
    for (;;) {
      if (this.peers[peer.id] !== peer) return;
      const at = ring.peek();
      if (at < 0) {
        if (ring.sleep()) return;
        continue;
      }
      // A port batch sent before this one is still on its way: it will drain the ring.
      if (ring.view.getUint32(at + 4, true) !== peer.nextSeq) return;
      const batch = peer.decoder!.decode(ring.bytes, ring.view, at, ring.view.getUint32(at - 4));
      ring.release(at);
      this.applyBatch(peer, batch);
    }
  }

  private applyBatch(peer: PeerLink, batch: unknown[]): void {
    peer.nextSeq++;
    this.batchesIn++;
    const acked = batch[0] as number;
    if (acked > 0) {
      peer.acknowledged(acked);
      this.unparkIfClear();
    }
    if (batch.length > 2) {
      const n = this.apply(batch, 2, peer.id);
      if (!this.naive) peer.ackDue += n;
      this.queueFlush();
    }
  }

  /** Applies flat ops; `spawner` is where they came from (a scheduler id or NODE). Returns how many. */
  apply(ops: unknown[], start: number, spawner: number): number {
    const s = this.scheduler;
    const procs = s.procs;
    let n = 0;
    for (let i = start; i < ops.length; ) {
      const op = ops[i] as number;
      n++;
      if (op === Op.Message) {
        const p = procs.get(ops[i + 1] as Pid);
        if (p !== undefined) s.deliver(p, ops[i + 2]);
        else this.applyOne(ops, i, spawner);
        i += 3;
      } else {
        this.applyOne(ops, i, spawner);
        i += 1 + OPERANDS[op]!;
      }
    }
    this.remoteIn += n;
    return n;
  }

  private applyOne(ops: unknown[], i: number, spawner: number): void {
    const op = ops[i] as number;
    const a = ops[i + 1];
    const b = ops[i + 2];
    let signal: RemoteSignal;
    switch (op) {
      case Op.Message:
        signal = { kind: 'message', from: a as Pid, to: a as Pid, message: b };
        break;
      case Op.AliasMessage:
        signal = { kind: 'message', from: a as Pid, to: a as Pid, alias: b as Ref, message: ops[i + 3] };
        break;
      case Op.Exit:
        signal = { kind: 'exit', from: a as Pid, to: b as Pid, reason: ops[i + 3], link: ops[i + 4] === 1 };
        break;
      case Op.Link:
        signal = { kind: 'link', from: a as Pid, to: b as Pid };
        break;
      case Op.Unlink:
        signal = { kind: 'unlink', from: a as Pid, to: b as Pid };
        break;
      case Op.Monitor:
        signal = { kind: 'monitor', from: a as Pid, to: b as Pid, ref: ops[i + 3] as Ref };
        break;
      case Op.Demonitor:
        signal = { kind: 'demonitor', from: a as Pid, to: b as Pid, ref: ops[i + 3] as Ref };
        break;
      case Op.Down:
        signal = { kind: 'down', from: a as Pid, to: b as Pid, ref: ops[i + 3] as Ref, reason: ops[i + 4] };
        break;
      case Op.Spawn: {
        const pid = b as Pid;
        this.ledgers.get(spawner)?.spawned(pidNumber(pid));
        this.scheduler.accept({
          kind: 'spawn', from: a as Pid, to: pid, parent: ops[i + 3] as Pid | null, module: ops[i + 4] as string,
          args: ops[i + 5] as unknown[], options: (ops[i + 6] ?? {}) as RemoteSpawnOptions,
        });
        const early = this.waiting.get(pid);
        if (early !== undefined) {
          this.waiting.delete(pid);
          this.apply(early, 0, spawner);
        }
        return;
      }
      case Op.Grant:
        this.pool(spawner).add(a as number, b as number);
        if (this.ungranted.delete(spawner) && this.ungranted.size === 0) this.onGranted?.();
        return;
      case Op.GrantRequest:
        this.grant(spawner, Math.min(MAX_GRANT, Math.max(this.config.grant, 2 * (a as number))));
        return;
      case Op.NameClaim:
        this.replica?.peerClaimed(a as string, b as Pid);
        return;
      case Op.NameRelease:
        if (this.replica === null ? this.names.get(a as string) !== b : this.replica.peerReleased(a as string, b as Pid)) {
          this.forgetLocalName(a as string, b as Pid);
        }
        return;
      default:
        throw new OrchardError('badarg', `badarg: unknown op ${String(op)} from scheduler ${spawner}`);
    }
    const to = signal.to as Pid;
    if (!this.scheduler.procs.has(to) && this.willSpawn(to)) {
      // Sent by a scheduler that learned the pid before its spawn reached us: keep it for then.
      const len = 1 + OPERANDS[op]!;
      let list = this.waiting.get(to);
      if (list === undefined) this.waiting.set(to, (list = []));
      for (let k = i; k < i + len; k++) list.push(ops[k]);
      return;
    }
    this.scheduler.accept(signal);
  }

  private willSpawn(pid: Pid): boolean {
    if (schedulerOf(pid) !== this.id) return false;
    const n = pidNumber(pid);
    for (const ledger of this.ledgers.values()) if (ledger.willSpawn(n)) return true;
    return false;
  }

  private unparkIfClear(): void {
    const fn = this.parked;
    if (fn === null || this.congested()) return;
    this.parked = null;
    this.baseYield!(fn);
  }

  // --- Reserved pids ---

  private pool(target: number): PidPool {
    let pool = this.pools.get(target);
    if (pool === undefined) this.pools.set(target, (pool = new PidPool()));
    return pool;
  }

  /** Reserves pid numbers here for `spawner` and tells it. */
  grant(spawner: number, count: number): void {
    const first = this.scheduler.reservePids(count);
    let ledger = this.ledgers.get(spawner);
    if (ledger === undefined) this.ledgers.set(spawner, (ledger = new GrantLedger()));
    ledger.grant(first, count);
    if (spawner === NODE) {
      this.tellNode({ t: 'grant', first, count });
    } else {
      this.peers[spawner]?.push2(Op.Grant, first, count);
      this.queueFlush();
    }
  }

  // --- Placement ---

  /** The core's `place`: spawns with a `scheduler` option. */
  readonly place = (body: Body | string, args: readonly unknown[], options: SpawnOptions, parent: Process | null): Pid | null => {
    const target = options.scheduler === 'least_loaded' ? this.leastLoaded() : options.scheduler;
    if (target === this.id) return null;
    if (typeof target !== 'number' || !Number.isInteger(target) || target < 0) {
      throw new OrchardError('badarg', `badarg: spawn: scheduler ${JSON.stringify(options.scheduler)} is not a scheduler index or 'least_loaded'`);
    }
    const peer = this.peers[target];
    if (peer === undefined) throw new OrchardError('badarg', `badarg: spawn: scheduler ${target} is not running`);
    if (typeof body !== 'string') {
      throw new OrchardError(
        'badarg',
        `badarg: spawn on scheduler ${target}: ${describeBody(body)} exists only on scheduler ${this.id}; spawn a module by name (defineModule) to place it elsewhere`,
      );
    }
    lookupModule(body);
    if (!Array.isArray(args)) throw new OrchardError('badarg', 'badarg: spawn arguments must be an array');
    const bad = findUncloneable(args);
    if (bad !== null) throw notCloneable(`the arguments of spawn('${body}')`, target, bad);
    if ((options.link === true || options.monitor === true) && parent === null) {
      throw new OrchardError('badarg', 'badarg: spawn with link or monitor must be called from a process');
    }
    const pool = this.pool(target);
    const n = pool.take();
    if (n === null) {
      this.requestPids(target, pool);
      throw new OrchardError('badarg', `badarg: spawn on scheduler ${target}: no pid reserved there yet (more are on their way); spawn there again later`);
    }
    if (pool.available < this.config.grant / 2) this.requestPids(target, pool);
    const pid = makePid(target, n);
    if (options.name !== undefined) {
      if (typeof options.name !== 'string' || options.name.length === 0 || options.name.charCodeAt(0) === 60 || options.name === 'undefined') {
        throw new OrchardError('badarg', `badarg: register: ${JSON.stringify(options.name)} is not a valid name`);
      }
      const owner = this.names.claim(options.name, pid);
      if (owner !== null) throw new OrchardError('badarg', `badarg: register '${options.name}': the name is already registered to ${owner}`);
    }
    if (options.link === true) (parent!.links ??= new Set()).add(pid);
    const spawnOptions: RemoteSpawnOptions = {};
    if (options.link === true) spawnOptions.link = true;
    if (options.name !== undefined) spawnOptions.name = options.name;
    if (options.label !== undefined) spawnOptions.label = String(options.label);
    if (options.trapExit === true) spawnOptions.trapExit = true;
    const from = parent?.pid ?? this.scheduler.hostPid;
    peer.pushN(Op.Spawn, [from, pid, parent === null ? null : parent.pid, body, args, spawnOptions]);
    this.placed.set(target, (this.placed.get(target) ?? 0) + 1);
    this.remoteOut++;
    if (this.naive) peer.flush();
    else this.queueFlush();
    return pid;
  };

  private requestPids(target: number, pool: PidPool): void {
    if (pool.requested) return;
    pool.requested = true;
    this.peers[target]?.push1(Op.GrantRequest, pool.takenSinceRequest);
    pool.takenSinceRequest = 0;
    this.queueFlush();
  }

  /** The live scheduler with the fewest processes, counting those placed since the last report. */
  leastLoaded(): number {
    let best = this.id;
    let bestLoad = this.scheduler.procs.size + (this.placed.get(this.id) ?? 0);
    for (const l of this.loads) {
      if (l.id === this.id || this.peers[l.id] === undefined || this.pool(l.id).available === 0) continue;
      const load = l.processes + l.runQueue + (this.placed.get(l.id) ?? 0);
      if (load < bestLoad) {
        best = l.id;
        bestLoad = load;
      }
    }
    return best;
  }

  setLoads(loads: Load[]): void {
    this.loads = loads;
    this.placed.clear();
  }

  // --- Names ---

  private announceName(claim: boolean, name: string, pid: Pid): void {
    const op = claim ? Op.NameClaim : Op.NameRelease;
    for (const p of this.peers) p?.push2(op, name, pid);
    this.nodeOut.push(claim ? { t: 'nameClaim', name, pid } : { t: 'nameRelease', name, pid });
    this.queueFlush();
  }

  private forgetLocalName(name: string, pid: Pid): void {
    const ext = this.scheduler.procs.get(pid)?.ext;
    if (ext != null && ext.name === name) ext.name = null;
  }

  loadNames(entries: Array<[string, Pid]>): void {
    this.replica?.load(entries);
  }

  nodeSetName(name: string, pid: Pid): void {
    this.replica?.nodeSet(name, pid);
  }

  nodeDeletedName(name: string, pid: Pid): void {
    this.replica?.nodeDeleted(name, pid);
    if (this.names.get(name) !== pid) this.forgetLocalName(name, pid);
  }

  /** The node answers whether `owner` still holds `name` here. */
  nameCheck(name: string, owner: Pid): void {
    const p = this.scheduler.procs.get(owner);
    const owns = p !== undefined && p.alive && p.ext?.name === name;
    this.tellNode({ t: 'nameCheckReply', name, owner, owns });
  }

  /**
   * The node gave `name` to `owner`, which claimed it first on another scheduler: `pid`'s
   * register failed after all, and it exits as an uncaught `badarg` would have made it.
   */
  nameRejected(name: string, pid: Pid, owner: Pid): void {
    this.replica?.rejected(name, pid, owner);
    const error = new OrchardError('badarg', `badarg: register '${name}': the name is already registered to ${owner} (claimed at the same time on scheduler ${schedulerOf(owner)})`);
    const p = this.scheduler.procs.get(pid);
    if (p !== undefined) {
      if (p.ext?.name === name) p.ext.name = null;
      this.scheduler.exitProcess(p, errorReason(error));
    } else {
      this.scheduler.exit(pid, 'kill', this.scheduler.hostPid);
    }
  }

  // --- Schedulers that die ---

  /**
   * Scheduler `id` is gone, with all its processes: every link to one of them delivers an exit
   * signal with `reason` and every monitor a DOWN, as when a node goes down in Erlang.
   */
  schedulerDown(id: number, reason: unknown): void {
    if (id === this.id || this.dead.has(id)) return;
    this.dead.add(id);
    const peer = this.peers[id];
    this.peers[id] = undefined;
    if (peer !== undefined) {
      peer.port.onmessage = null;
      peer.port.close?.();
    }
    this.pools.delete(id);
    this.placed.delete(id);
    const of = (pid: Pid): boolean => schedulerOf(pid) === id;
    this.replica?.forgetScheduler(of);
    // Pids reserved for it will never be spawned: what waits for them meets a dead pid.
    this.ledgers.delete(id);
    for (const [pid, ops] of [...this.waiting]) {
      if (this.willSpawn(pid)) continue;
      this.waiting.delete(pid);
      this.apply(ops, 0, id);
    }
    const s = this.scheduler;
    for (const p of s.procs.values()) {
      if (p.monitoredBy !== null) {
        for (const [ref, watcher] of p.monitoredBy) if (of(watcher)) p.monitoredBy.delete(ref);
      }
      if (p.monitors !== null) {
        for (const [ref, target] of p.monitors) if (of(target)) s.down(target, p.pid, ref, target, reason);
      }
      if (p.links !== null) {
        for (const other of p.links) {
          if (!p.alive) break;
          if (!of(other)) continue;
          p.links.delete(other);
          s.exitSignal(other, p, reason, true);
        }
      }
    }
    this.unparkIfClear();
    this.queueFlush();
  }

  // --- Reports ---

  counters(): SchedulerCounters {
    const st = this.scheduler.stats();
    let batchesOut = 0;
    let ringBatches = 0;
    for (const p of this.peers) {
      if (p === undefined) continue;
      batchesOut += p.batchesOut;
      ringBatches += p.ringBatches;
    }
    return {
      id: this.id,
      processes: st.processes,
      runQueue: st.runQueue,
      reductions: st.reductions,
      utilization: st.utilization,
      spawned: st.spawned,
      exited: st.exited,
      sent: st.sent,
      received: st.received,
      remoteOut: this.remoteOut,
      remoteIn: this.remoteIn,
      batchesOut,
      batchesIn: this.batchesIn,
      timers: st.timers,
      congested: this.parked !== null,
      held: this.held,
      ringBatches,
      at: performance.timeOrigin + performance.now(),
    };
  }

  private undeliverable(ops: unknown[], error: unknown): void {
    const op = ops[0] as number;
    const to = (op === Op.Message || op === Op.AliasMessage ? ops[1] : ops[2]) as Pid;
    const what = error instanceof Error ? error.message : String(error);
    this.tellNode({ t: 'undeliverable', to, what });
  }
}

type RemoteSpawnOptions = { link?: boolean; name?: string; label?: string; trapExit?: boolean };

function notCloneable(what: string, scheduler: number, bad: string): OrchardError {
  return new OrchardError('not_cloneable', `not_cloneable: ${what} cannot be copied to scheduler ${scheduler}: it holds ${bad}`);
}

function describeBody(body: unknown): string {
  return typeof body === 'function' ? `a closure (${body.name || 'anonymous'})` : JSON.stringify(body);
}

/** N in `<0.N.S>`. */
function pidNumber(pid: Pid): number {
  return Number(pid.slice(3, pid.lastIndexOf('.')));
}
