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
 * Also here: flow control, and what happens when another scheduler dies: its pids are gone,
 * and every link and monitor to them fires as on any exit. Spawns placed on other schedulers
 * are in Placement, registered names in WorkerNames.
 */
import { OrchardError, type Pid, type Ref, type RemoteSignal, type Scheduler, type YieldToHost, schedulerOf } from '../core/index.ts';
import { down, exitSignal } from '../core/exit.ts';
import { findUncloneable } from '../core/findUncloneable.ts';
import { PeerLink, type Rings, WAKE } from '../transport/PeerLink.ts';
import { type MessagePortLike, OPERANDS, Op, type SchedulerCounters, type SchedulerToNode, type WorkerConfig } from '../transport/wire.ts';
import { Placement } from './Placement.ts';
import type { RemoteSpawnOptions } from '../transport/spawnOptions.ts';
import { WorkerNames } from './WorkerNames.ts';

/** Signals in one batch at most. */
const MAX_BATCH = 4096;
/** Incoming signals applied in one host task at most (see drain). */
const TASK_SIGNALS = 4_096;

export class Router {
  scheduler!: Scheduler;
  readonly names: WorkerNames;
  readonly placement: Placement;
  private readonly peers: Array<PeerLink | undefined> = [];
  private readonly dead = new Set<number>();
  /** Signals for pids reserved here whose spawn has not arrived yet, as flat ops. */
  private readonly waiting = new Map<Pid, unknown[]>();
  /** Answers to signals sent to pids of dead schedulers, applied at the next flush. */
  private loopback: RemoteSignal[] = [];
  private nodeOut: SchedulerToNode[] = [];
  private hostMessages: unknown[] = [];
  private flushQueued = false;
  private parked: (() => void) | null = null;
  private baseYield: YieldToHost | null = null;
  private readonly naive: boolean;
  /** Signals applied from peers in this host task (an estimate: flat slots / 2), see drain. */
  private taskSignals = 0;
  private taskReset = false;

  remoteOut = 0;
  remoteIn = 0;
  batchesIn = 0;
  held = 0;

  constructor(
    readonly id: number,
    readonly config: WorkerConfig,
    private readonly toNode: (messages: SchedulerToNode[]) => void,
  ) {
    this.naive = config.transport === 'naive';
    this.names = new WorkerNames(this, config.names);
    this.placement = new Placement(this);
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
    port.onmessage = (event) => this.fromPeer(link, event.data);
    this.placement.grant(id, this.config.grant);
  }

  peer(id: number): PeerLink | undefined {
    return this.peers[id];
  }

  forEachPeer(fn: (peer: PeerLink) => void): void {
    for (const p of this.peers) if (p !== undefined) fn(p);
  }

  /** The ids of the live peers. */
  peerIds(): number[] {
    const out: number[] = [];
    for (const p of this.peers) if (p !== undefined) out.push(p.id);
    return out;
  }

  // --- Outgoing ---

  /** The core's `route`: queues a signal for another scheduler. */
  readonly route = (signal: RemoteSignal): void => {
    // Process number 0 is the host on every scheduler: a message to any `<0.0.S>` is for the
    // node, which this worker reaches itself (so node.pid outlives scheduler S).
    if (signal.kind === 'message' && isHostPid(signal.to as Pid)) return this.toHost(signal.message, signal.from);
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
    this.sent(peer);
  };

  /** A signal was queued for `peer`: it leaves at the end of the slice, or now. */
  sent(peer: PeerLink): void {
    this.remoteOut++;
    // A slice can be long (a process that sends much per reduction): a full batch leaves at
    // once, so the receiver works in parallel and no batch grows without bound.
    if (this.naive || peer.queued >= MAX_BATCH) peer.flush();
    else this.queueFlush();
  }

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
    for (const p of rings) if (p === got || !p.ringIn!.sleep()) this.drain(p);
  }

  /** Queues a control message for the node; it leaves with the next flush. */
  tellNode(message: SchedulerToNode): void {
    this.nodeOut.push(message);
    this.queueFlush();
  }

  // --- Incoming ---

  private fromPeer(peer: PeerLink, data: unknown): void {
    if (this.peers[peer.id] !== peer) return; // from a scheduler declared dead
    if (data !== WAKE) peer.portIn.push(data as unknown[]);
    this.drain(peer);
  }

  /**
   * Applies what is due from `peer`, in sequence order whichever way each batch came (the port
   * or the ring), and sleeps on the ring when nothing is due.
   *
   * At most TASK_SIGNALS signals per host task: a sender that never stops must not keep this
   * worker from its slices and its heartbeat. Node hands a worker at least 1,000 queued port
   * messages in one go, so port batches past the budget wait in `portIn` (cheap) for a task of
   * their own, and the sender, whose batches are acknowledged only once applied, is slowed by
   * flow control instead.
   */
  private drain(peer: PeerLink): void {
    if (peer.drainQueued) return;
    const ring = peer.ringIn;
    const queue = peer.portIn;
    for (;;) {
      if (this.peers[peer.id] !== peer) return;
      let batch: unknown[];
      if (queue.length > 0 && queue[0]![1] === peer.nextSeq) {
        if (this.taskSignals >= TASK_SIGNALS) return this.drainLater(peer);
        batch = queue.shift()!;
      } else if (ring !== null) {
        const at = ring.peek();
        if (at < 0) {
          if (!ring.sleep()) continue;
          break;
        }
        // A port batch sent before this one is still on its way: it will drain the ring.
        if (ring.view.getUint32(at + 4, true) !== peer.nextSeq) return;
        if (this.taskSignals >= TASK_SIGNALS) return this.drainLater(peer);
        batch = peer.decoder!.decode(ring.bytes, ring.view, at, ring.view.getUint32(at - 4));
        ring.release(at);
      } else {
        break;
      }
      this.applyBatch(peer, batch);
    }
    // Nothing due from the ring or the port, yet a port batch waits: one was lost.
    if (queue.length > 0) {
      throw new OrchardError('badarg', `badarg: batch ${String(queue[0]![1])} from scheduler ${peer.id} arrived when ${peer.nextSeq} was due`);
    }
  }

  /** Goes on with `peer` in a task of its own, once this one's budget is reset. */
  private drainLater(peer: PeerLink): void {
    if (peer.drainQueued) return;
    peer.drainQueued = true;
    this.baseYield!(() => {
      peer.drainQueued = false;
      this.drain(peer);
    });
  }

  private applyBatch(peer: PeerLink, batch: unknown[]): void {
    peer.nextSeq++;
    this.batchesIn++;
    this.taskSignals += batch.length >> 1;
    if (!this.taskReset) {
      // Runs after everything the host has queued now (Node's 1,000 port messages among it).
      this.taskReset = true;
      this.baseYield!(() => {
        this.taskReset = false;
        this.taskSignals = 0;
      });
    }
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
        this.placement.spawned(spawner, pid);
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
        this.placement.granted(spawner, a as number, b as number);
        return;
      case Op.GrantRequest:
        this.placement.grantRequested(spawner, a as number);
        return;
      case Op.NameClaim:
        this.names.peerClaimed(a as string, b as Pid);
        return;
      case Op.NameRelease:
        this.names.peerReleased(a as string, b as Pid);
        return;
      default:
        throw new OrchardError('badarg', `badarg: unknown op ${String(op)} from scheduler ${spawner}`);
    }
    const to = signal.to as Pid;
    if (!this.scheduler.procs.has(to) && this.placement.willSpawn(to)) {
      // Sent by a scheduler that learned the pid before its spawn reached us: keep it for then.
      const len = 1 + OPERANDS[op]!;
      let list = this.waiting.get(to);
      if (list === undefined) this.waiting.set(to, (list = []));
      for (let k = i; k < i + len; k++) list.push(ops[k]);
      return;
    }
    this.scheduler.accept(signal);
  }

  private unparkIfClear(): void {
    const fn = this.parked;
    if (fn === null || this.congested()) return;
    this.parked = null;
    this.baseYield!(fn);
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
    const of = (pid: Pid): boolean => schedulerOf(pid) === id;
    this.names.forget(id);
    // Pids reserved for it will never be spawned: what waits for them meets a dead pid.
    this.placement.forget(id);
    for (const [pid, ops] of [...this.waiting]) {
      if (this.placement.willSpawn(pid)) continue;
      this.waiting.delete(pid);
      this.apply(ops, 0, id);
    }
    const s = this.scheduler;
    for (const p of s.procs.values()) {
      if (p.monitoredBy !== null) {
        for (const [ref, watcher] of p.monitoredBy) if (of(watcher)) p.monitoredBy.delete(ref);
      }
      if (p.monitors !== null) {
        for (const [ref, target] of p.monitors) if (of(target)) down(s, target, p.pid, ref, target, reason);
      }
      if (p.links !== null) {
        for (const other of p.links) {
          if (!p.alive) break;
          if (!of(other)) continue;
          p.links.delete(other);
          exitSignal(s, other, p, reason, true);
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

/** `<0.0.S>`: read without parsing, it runs on every send to another scheduler. */
function isHostPid(pid: Pid): boolean {
  return pid.charCodeAt(3) === 48 /* 0 */ && pid.charCodeAt(4) === 46 /* . */;
}

export function notCloneable(what: string, scheduler: number, bad: string): OrchardError {
  return new OrchardError('not_cloneable', `not_cloneable: ${what} cannot be copied to scheduler ${scheduler}: it holds ${bad}`);
}
