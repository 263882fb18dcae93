/**
 * A scheduler: a run queue with a reduction budget (DESIGN decision 2), the process table, the
 * registered names, one timer heap, and the rules by which exit signals, links and monitors
 * act. Erlang's reference manual, "Processes", is the specification:
 * https://www.erlang.org/doc/system/ref_man_processes.html
 *
 * Everything here is host-free (STYLE G1): time comes from the injected Clock and slices are
 * requested through the injected `yieldToHost`. Signals between processes of one scheduler
 * act synchronously, in the order they are sent, so Erlang's per-pair ordering holds.
 * Signals to pids of another scheduler go to `route` (the node's transport).
 */
import { type Clock, type YieldToHost, defaultYieldToHost, realClock } from './clock.ts';
import { OrchardError, badarg } from './errors.ts';
import { errorReason } from './exitReason.ts';
import { type ModuleDef, lookupModule } from './modules.ts';
import { type Pid, type Ref, isPid, makePid, makeRef, schedulerOf } from './pid.ts';
import { type Body, Flag, Process, Status } from './Process.ts';
import { ProcessTable } from './ProcessTable.ts';
import { type Matcher, TIMEOUT, type Wait, YIELD, generatorHooks } from './receive.ts';
import { EXIT_UNWIND, ProcessExit, isDownMessage } from './signals.ts';
import { TimerHeap, type TimerRef } from './TimerHeap.ts';
import { type RuntimeEvent, type SchedulerStats, processInfo, type ProcessInfo } from './info.ts';
import { enter, leave } from './context.ts';

export interface SpawnOptions {
  link?: boolean;
  monitor?: boolean;
  /** Registers the new process under this name before it runs. */
  name?: string;
  label?: string;
  trapExit?: boolean;
  /**
   * Placement, when schedulers run under a node: a scheduler index, or 'least_loaded' to let
   * the node choose. Without it a process starts on the caller's scheduler, as on the BEAM.
   */
  scheduler?: number | 'least_loaded';
}

/** A signal bound for a pid on another scheduler; the node's transport carries it in order. */
export type RemoteSignal =
  | { kind: 'message'; from: Pid; to: Pid | string; message: unknown; alias?: Ref }
  | { kind: 'exit'; from: Pid; to: Pid; reason: unknown; link: boolean }
  | { kind: 'link'; from: Pid; to: Pid }
  | { kind: 'unlink'; from: Pid; to: Pid }
  | { kind: 'monitor'; from: Pid; to: Pid; ref: Ref }
  | { kind: 'demonitor'; from: Pid; to: Pid; ref: Ref }
  | { kind: 'down'; from: Pid; to: Pid; ref: Ref; reason: unknown }
  | RemoteSpawn;

/**
 * A process spawned on this scheduler by another one, under a pid this scheduler reserved for
 * it (`reservePids`). The spawner has already claimed the name and recorded the link.
 */
export interface RemoteSpawn {
  kind: 'spawn';
  from: Pid;
  to: Pid;
  parent: Pid | null;
  module: string;
  args: unknown[];
  options: { link?: boolean; name?: string; label?: string; trapExit?: boolean };
}

/** Where registered names live: per scheduler here, node-wide once the node owns them. */
export interface NameTable {
  get(name: string): Pid | undefined;
  /** Claims a name; returns the current owner when taken. */
  claim(name: string, pid: Pid): Pid | null;
  release(name: string, pid: Pid): void;
  names(): string[];
}

export interface SchedulerOptions {
  /** This scheduler's index, the last number in its pids. */
  id?: number;
  clock?: Clock;
  yieldToHost?: YieldToHost;
  /** How long one slice may run before yielding to the host, in ms. */
  sliceMs?: number;
  /** Reductions (messages handled, sends made) a process may use per turn before others run. */
  budget?: number;
  names?: NameTable;
  route?: (signal: RemoteSignal) => void;
  /**
   * Spawns with a `scheduler` option go here (the node's placement): returns the pid it
   * started elsewhere, or null to spawn on this scheduler.
   */
  place?: (body: Body | string, args: readonly unknown[], options: SpawnOptions, parent: Process | null) => Pid | null;
  /** Messages sent to `hostPid` (from here or another scheduler) go here: the node's inbox. */
  onHostMessage?: (message: unknown, from: Pid) => void;
}

const NONE: unique symbol = Symbol('none');
/** The default for spawn's arguments: one shared array, not a new one per spawn. */
export const NO_ARGS: readonly unknown[] = Object.freeze([]);

export class Scheduler {
  readonly id: number;
  readonly clock: Clock;
  readonly timers: TimerHeap;
  /** The pid that stands for the host (the node, a test, the inspector) when it sends. */
  readonly hostPid: Pid;
  readonly procs = new ProcessTable();
  readonly names: NameTable;
  current: Process | null = null;
  /**
   * While an inspector watches (`setWatching`): the processes whose row may have changed since it
   * last looked (spawned, ran, got a message, exited, linked), each once, marked with
   * Flag.Changed. Null while nobody watches, so the hot path pays one null check.
   */
  watch: Process[] | null = null;
  /** How many processes have message tracing on (`setTrace`); 0 costs one check per send. */
  tracing = 0;
  private primaryListener: ((event: RuntimeEvent) => void) | null = null;
  private readonly listeners: Array<(event: RuntimeEvent) => void> = [];
  private emitter: ((event: RuntimeEvent) => void) | null = null;
  /**
   * Called for every process that exits, after its name is freed and before any EXIT or DOWN
   * goes out: what a process owns besides its name (tables) is released or handed on here, so
   * whoever reacts to the exit finds it gone. Empty, it costs one length check per exit.
   */
  readonly exitHooks: Array<(pid: Pid, reason: unknown) => void> = [];

  private readonly yieldToHost: YieldToHost;
  private readonly sliceMs: number;
  private readonly budget: number;
  private readonly route: ((signal: RemoteSignal) => void) | null;
  private readonly place: NonNullable<SchedulerOptions['place']> | null;
  private readonly onHostMessage: ((message: unknown, from: Pid) => void) | null;
  private readonly sliceFn = () => this.slice();
  private nextPid = 1;
  private nextRef = 1;
  private runq: Array<Process | undefined> = new Array(1024);
  private rqHead = 0;
  private rqTail = 0;
  private rqMask = 1023;
  private scheduled = false;
  private inSlice = false;
  private dying: unknown[] = [];
  /** Monitors made by registered name (ref → name): their DOWN names the name, not the pid. */
  private readonly monitorNames = new Map<Ref, string>();
  private draining = false;

  // Counters for the inspector (cheap: plain increments).
  reductions = 0;
  sent = 0;
  received = 0;
  spawned = 0;
  exited = 0;
  busyMs = 0;
  private windowStart: number;
  private windowBusy = 0;

  constructor(options: SchedulerOptions = {}) {
    this.id = options.id ?? 0;
    this.clock = options.clock ?? realClock;
    this.yieldToHost = options.yieldToHost ?? defaultYieldToHost();
    this.sliceMs = options.sliceMs ?? 5;
    this.budget = options.budget ?? 500;
    this.route = options.route ?? null;
    this.place = options.place ?? null;
    this.onHostMessage = options.onHostMessage ?? null;
    this.names = options.names ?? localNames();
    this.hostPid = makePid(this.id, 0);
    this.timers = new TimerHeap(this.clock, () => this.requestSlice());
    this.windowStart = this.clock.now();
  }

  // --- Events ---

  /** Listener for the inspector's flight recorder; null costs nothing. `listen` adds more listeners. */
  get onEvent(): ((event: RuntimeEvent) => void) | null {
    return this.emitter;
  }

  set onEvent(fn: ((event: RuntimeEvent) => void) | null) {
    this.primaryListener = fn;
    this.updateEmitter();
  }

  /**
   * Adds an event listener beside `onEvent`; returns its removal. A listener that throws does not
   * break the process that caused the event: the error is rethrown from a timer (STYLE G7).
   */
  listen(fn: (event: RuntimeEvent) => void): () => void {
    this.listeners.push(fn);
    this.updateEmitter();
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
      this.updateEmitter();
    };
  }

  private updateEmitter(): void {
    const primary = this.primaryListener;
    const all = primary === null ? this.listeners.slice() : [primary, ...this.listeners];
    if (all.length === 0) this.emitter = null;
    else if (all.length === 1 && primary !== null) this.emitter = primary;
    else {
      this.emitter = (event) => {
        for (const fn of all) {
          try {
            fn(event);
          } catch (e) {
            this.clock.setTimeout(() => {
              throw e;
            }, 0);
          }
        }
      };
    }
  }

  /** Starts or stops change tracking for the inspector; stopping forgets what was not taken. */
  setWatching(on: boolean): void {
    if (on) {
      this.watch ??= [];
    } else if (this.watch !== null) {
      for (const p of this.watch) p.flags &= ~Flag.Changed;
      this.watch = null;
    }
  }

  /** The processes changed since the last call, each once (empty when not watching). */
  takeChanged(): Process[] {
    const changed = this.watch;
    if (changed === null || changed.length === 0) return [];
    this.watch = [];
    for (const p of changed) p.flags &= ~Flag.Changed;
    return changed;
  }

  /** Notes a change for the inspector; call only while watching. */
  changed(p: Process): void {
    if ((p.flags & Flag.Changed) === 0) {
      p.flags |= Flag.Changed;
      this.watch!.push(p);
    }
  }

  /** Message tracing on or off for a local process (erlang:trace/3 with send and 'receive'). */
  setTrace(pid: Pid, on: boolean): boolean {
    const p = this.procs.get(pid);
    if (p === undefined || !p.alive) return false;
    const was = (p.flags & Flag.Traced) !== 0;
    if (on && !was) {
      p.flags |= Flag.Traced;
      this.tracing++;
    } else if (!on && was) {
      p.flags &= ~Flag.Traced;
      this.tracing--;
    }
    return true;
  }

  // --- Spawning ---

  /** spawn/spawn_link/spawn_monitor: a body function or a module name, with arguments. */
  spawn(body: Body | string, args: readonly unknown[] = NO_ARGS, options?: SpawnOptions, parent: Process | null = this.current): Pid {
    if (options?.scheduler !== undefined && this.place !== null) {
      const placed = this.place(body, args, options, parent);
      if (placed !== null) return placed;
    }
    let fn: Body;
    let init: string;
    let def: ModuleDef | null = null;
    if (typeof body === 'string') {
      def = lookupModule(body);
      fn = def.body;
      init = def.name;
    } else if (typeof body === 'function') {
      fn = body;
      init = body.name || 'anonymous';
    } else {
      throw badarg(`spawn needs a function or a module name, got ${describe(body)}`);
    }
    if (!Array.isArray(args)) throw badarg(`spawn arguments must be an array, got ${describe(args)}`);
    const n = this.nextPid++;
    const pid = makePid(this.id, n);
    // Whole milliseconds: a fractional start time is a boxed number, 16 more bytes per process.
    const startedAt = Math.floor(this.clock.now());
    const start = args.length === 0 ? (fn as () => unknown) : () => fn(...args);
    const p = new Process(pid, init, parent === null ? null : parent.pid, startedAt, start);
    if (def?.behaviour !== undefined) p.extension().behaviour = def.behaviour;
    if (options !== undefined) this.applySpawnOptions(p, options, parent);
    this.procs.add(p, n);
    this.spawned++;
    if (this.watch !== null) this.changed(p);
    if (this.onEvent !== null) this.onEvent({ type: 'spawn', at: this.clock.now(), pid, parent: p.parent, init });
    if (options?.link === true && parent !== null) this.addLink(parent, p);
    this.enqueue(p);
    return pid;
  }

  private applySpawnOptions(p: Process, options: SpawnOptions, parent: Process | null): void {
    // Check before claiming the name: a spawn that fails must not leave it taken.
    if ((options.link === true || options.monitor === true) && parent === null) {
      throw badarg('spawn with link or monitor must be called from a process');
    }
    if (options.trapExit === true) p.flags |= Flag.TrapExit;
    if (options.label !== undefined) p.extension().label = String(options.label);
    if (options.name !== undefined) this.register(options.name, p.pid, p);
  }

  // --- Messages ---

  /** `Dest ! Msg`: asynchronous; to a dead pid silently dropped; to an unknown name `badarg`. */
  send(to: Pid | string, message: unknown, from: Pid = this.current?.pid ?? this.hostPid): void {
    if (typeof to !== 'string') throw badarg(`send to ${describe(to)}: not a pid or a registered name`);
    let pid: Pid;
    if (to.charCodeAt(0) === 60 /* < */) {
      pid = to as Pid;
    } else {
      const owner = this.names.get(to);
      if (owner === undefined) throw badarg(`send to '${to}': no process is registered under that name`);
      pid = owner;
    }
    const p = this.procs.get(pid);
    if (p === undefined && !isPid(pid)) throw badarg(`send to ${describe(to)}: not a pid or a registered name`);
    // Counted once it is a send: one to a dead pid counts (it is dropped), a badarg does not.
    this.sent++;
    // A send costs the sending process a reduction, as erlang:send does on the BEAM; the host
    // (no current process) is not a process and pays nothing.
    const cur = this.current;
    if (cur !== null) cur.reductions++;
    if (this.tracing !== 0) this.traceSend(from, pid, message);
    if (p !== undefined) {
      this.deliver(p, message);
    } else if (this.route !== null && isRemote(this.id, pid)) {
      this.route({ kind: 'message', from, to: pid, message });
    } else if (pid === this.hostPid && this.onHostMessage !== null) {
      this.onHostMessage(message, from);
    }
  }

  /**
   * Sends to an alias of `to` (a reply to a call): delivered only while `to` keeps the alias
   * active, otherwise dropped, as OTP drops messages to a deactivated alias.
   */
  sendAlias(to: Pid, alias: Ref, message: unknown, from: Pid = this.current?.pid ?? this.hostPid): void {
    this.sent++;
    const cur = this.current;
    if (cur !== null) cur.reductions++;
    if (this.tracing !== 0) this.traceSend(from, to, message);
    const p = this.procs.get(to);
    if (p !== undefined) {
      if (p.ext?.aliases?.has(alias) === true) this.deliver(p, message);
    } else if (this.route !== null && isRemote(this.id, to)) {
      this.route({ kind: 'message', from, to, message, alias });
    }
  }

  /** Puts a message in a local process's mailbox and wakes it if it waits. */
  deliver(p: Process, message: unknown): void {
    if (p.status >= Status.Exiting) return;
    const q = p.mbox;
    if (q === null) p.mbox = [message];
    else q.push(message);
    this.received++;
    // Watched: mark it changed, inline (this is the hot path); a traced one also makes an event.
    if (this.watch !== null) {
      if ((p.flags & (Flag.Changed | Flag.Traced)) === 0) {
        p.flags |= Flag.Changed;
        this.watch.push(p);
      } else {
        this.watchDelivery(p, message);
      }
    }
    if (p.status === Status.Waiting) this.enqueue(p);
  }

  private watchDelivery(p: Process, message: unknown): void {
    this.changed(p);
    if ((p.flags & Flag.Traced) !== 0 && this.emitter !== null) {
      this.emitter({ type: 'receive', at: this.clock.now(), pid: p.pid, message });
    }
  }

  private traceSend(from: Pid, to: Pid, message: unknown): void {
    const p = this.procs.get(from);
    if (p !== undefined && (p.flags & Flag.Traced) !== 0 && this.watch !== null && this.emitter !== null) {
      this.emitter({ type: 'send', at: this.clock.now(), from, to, message });
    }
  }

  // --- Exit signals ---

  /**
   * An exit signal from `from` reaches `p` (reference manual, "Receiving Exit Signals").
   * `viaLink` tells a link's signal (sent because `from` exited) from exit/2's.
   */
  exitSignal(from: Pid, p: Process, reason: unknown, viaLink: boolean): void {
    if (p.status >= Status.Exiting) return;
    // exit(Pid, kill) cannot be trapped; a linked process exiting with reason kill can.
    if (!viaLink && reason === 'kill') return this.exitProcess(p, 'killed');
    if ((p.flags & Flag.TrapExit) !== 0) return this.deliver(p, { type: 'EXIT', from, reason });
    if (reason === 'normal') {
      // exit(self(), normal) ends the caller; a normal signal from anyone else is ignored.
      if (!viaLink && from === p.pid) this.exitProcess(p, 'normal');
      return;
    }
    this.exitProcess(p, reason);
  }

  /** exit/2 from the host or a process: sends an exit signal to `to`. */
  exit(to: Pid, reason: unknown, from: Pid = this.current?.pid ?? this.hostPid): void {
    const p = this.procs.get(to);
    if (p !== undefined) this.exitSignal(from, p, reason, false);
    else if (this.route !== null && isRemote(this.id, to)) this.route({ kind: 'exit', from, to, reason, link: false });
    else if (!isPid(to)) throw badarg(`exit: ${describe(to)} is not a pid`);
  }

  /**
   * Ends a process. Deaths caused while another is being processed queue up and are worked
   * off in a loop, so a long chain of links cannot overflow the stack.
   */
  exitProcess(p: Process, reason: unknown): void {
    if (p.status >= Status.Exiting) return;
    p.status = Status.Exiting;
    this.dying.push(p, reason);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.dying.length; i += 2) {
        this.finishExit(this.dying[i] as Process, this.dying[i + 1]);
      }
    } finally {
      this.dying.length = 0;
      this.draining = false;
    }
  }

  private finishExit(p: Process, reason: unknown): void {
    const pid = p.pid;
    if (p.waitTimer !== null) this.timers.cancelHandle(p.waitTimer);
    // The name is freed before any DOWN or EXIT goes out, so whoever reacts can register it.
    const name = p.ext?.name;
    if (name != null) this.names.release(name, pid);
    this.procs.delete(pid);
    if (this.exitHooks.length !== 0) for (const hook of this.exitHooks) hook(pid, reason);
    p.mbox = null;
    p.wait = null;
    p.gen = null;
    this.exited++;
    if (p.links !== null) {
      const links = p.links;
      p.links = null;
      for (const other of links) {
        const q = this.procs.get(other);
        if (q !== undefined) {
          q.links?.delete(pid);
          if (this.watch !== null) this.changed(q);
          this.exitSignal(pid, q, reason, true);
        } else if (this.route !== null && isRemote(this.id, other)) {
          this.route({ kind: 'exit', from: pid, to: other, reason, link: true });
        }
      }
    }
    if (p.monitors !== null) {
      for (const [ref, target] of p.monitors) {
        if (this.monitorNames.size !== 0) this.monitorNames.delete(ref);
        const t = this.procs.get(target);
        if (t !== undefined) t.monitoredBy?.delete(ref);
        else if (this.route !== null && isRemote(this.id, target)) this.route({ kind: 'demonitor', from: pid, to: target, ref });
      }
      p.monitors = null;
    }
    if (p.monitoredBy !== null) {
      for (const [ref, watcher] of p.monitoredBy) this.down(pid, watcher, ref, pid, reason);
      p.monitoredBy = null;
    }
    p.status = Status.Exited;
    if ((p.flags & Flag.Traced) !== 0) this.tracing--;
    if (this.watch !== null) this.changed(p);
    if (this.onEvent !== null) this.onEvent({ type: 'exit', at: this.clock.now(), pid, reason });
  }

  /**
   * Sends `{DOWN, ref, pid, reason}` to a watcher, local or remote. A watcher that has
   * demonitored `ref` in the meantime gets nothing.
   */
  down(from: Pid, watcher: Pid, ref: Ref, pid: Pid | string, reason: unknown): void {
    const w = this.procs.get(watcher);
    if (w !== undefined) {
      if (w.monitors !== null && w.monitors.delete(ref)) {
        // erlang:monitor/2: a monitor made with a registered name reports that name.
        const name = this.monitorNames.size === 0 ? undefined : this.monitorNames.get(ref);
        if (name !== undefined) this.monitorNames.delete(ref);
        this.deliver(w, { type: 'DOWN', ref, pid: name ?? pid, reason });
        if (this.watch !== null && this.emitter !== null) this.emitter({ type: 'down', at: this.clock.now(), pid: watcher, target: from, reason });
      }
    } else if (this.route !== null && isRemote(this.id, watcher)) {
      this.route({ kind: 'down', from, to: watcher, ref, reason });
    }
  }

  // --- Links and monitors ---

  /** link/1: bidirectional; to a dead pid the caller gets `noproc` (exit, or EXIT message). */
  link(self: Process, to: Pid): void {
    if (to === self.pid) return;
    const t = this.procs.get(to);
    if (t !== undefined && t.alive) return this.addLink(self, t);
    if (this.route !== null && isRemote(this.id, to)) {
      (self.links ??= new Set()).add(to);
      if (this.watch !== null) this.watchLink('link', self, to);
      this.route({ kind: 'link', from: self.pid, to });
      return;
    }
    if (!isPid(to)) throw badarg(`link: ${describe(to)} is not a pid`);
    this.exitSignal(to, self, 'noproc', true);
  }

  addLink(a: Process, b: Process): void {
    (a.links ??= new Set()).add(b.pid);
    (b.links ??= new Set()).add(a.pid);
    if (this.watch !== null) this.watchLink('link', a, b.pid);
  }

  private watchLink(type: 'link' | 'unlink', a: Process, other: Pid): void {
    this.changed(a);
    const b = this.procs.get(other);
    if (b !== undefined) this.changed(b);
    if (this.emitter !== null) this.emitter({ type, at: this.clock.now(), pid: a.pid, other });
  }

  /** unlink/1: removes the link both ways; no exit signal from it arrives afterwards. */
  unlink(self: Process, to: Pid): void {
    if (!isPid(to)) throw badarg(`unlink: ${describe(to)} is not a pid`);
    if (this.watch !== null && self.links?.has(to) === true) this.watchLink('unlink', self, to);
    self.links?.delete(to);
    const t = this.procs.get(to);
    if (t !== undefined) t.links?.delete(self.pid);
    else if (this.route !== null && isRemote(this.id, to)) this.route({ kind: 'unlink', from: self.pid, to });
  }

  /** monitor(process, Pid | Name): a DOWN message arrives when the target exits, `noproc` at once if it is gone. */
  monitor(self: Process, target: Pid | string): Ref {
    if (typeof target !== 'string') throw badarg(`monitor: ${describe(target)} is not a pid or a registered name`);
    const byPid = target.charCodeAt(0) === 60;
    const pid: Pid | undefined = byPid ? (target as Pid) : this.names.get(target);
    const t = pid === undefined ? undefined : this.procs.get(pid);
    if (t !== undefined && t.alive) {
      const ref = this.makeRef();
      (self.monitors ??= new Map()).set(ref, t.pid);
      (t.monitoredBy ??= new Map()).set(ref, self.pid);
      if (!byPid) this.monitorNames.set(ref, target);
      if (this.watch !== null && this.emitter !== null) this.emitter({ type: 'monitor', at: this.clock.now(), pid: self.pid, target: t.pid, ref });
      return ref;
    }
    // A malformed pid is misuse, not a process that has gone: badarg, never a DOWN with noproc.
    if (byPid && !isPid(target)) throw badarg(`monitor: ${describe(target)} is not a pid`);
    const ref = this.makeRef();
    if (pid !== undefined && this.route !== null && isRemote(this.id, pid)) {
      (self.monitors ??= new Map()).set(ref, pid);
      if (!byPid) this.monitorNames.set(ref, target);
      this.route({ kind: 'monitor', from: self.pid, to: pid, ref });
    } else {
      this.deliver(self, { type: 'DOWN', ref, pid: target, reason: 'noproc' });
    }
    return ref;
  }

  /** demonitor/2: no DOWN for `ref` arrives afterwards; `flush` also removes one already queued. */
  demonitor(self: Process, ref: Ref, flush = false): boolean {
    const target = self.monitors?.get(ref);
    if (target !== undefined) {
      self.monitors!.delete(ref);
      if (this.monitorNames.size !== 0) this.monitorNames.delete(ref);
      const t = this.procs.get(target);
      if (t !== undefined) t.monitoredBy?.delete(ref);
      else if (this.route !== null && isRemote(this.id, target)) this.route({ kind: 'demonitor', from: self.pid, to: target, ref });
    }
    if (flush && self.mbox !== null && self.mhead < self.mbox.length) {
      const q = self.mbox;
      for (let i = self.mhead; i < q.length; i++) {
        const m = q[i];
        if (isDownMessage(m) && m.ref === ref) {
          q.splice(i, 1);
          break;
        }
      }
    }
    return true;
  }

  makeRef(): Ref {
    return makeRef(this.id, this.nextRef++);
  }

  // --- Registered names ---

  register(name: string, pid: Pid, p: Process | undefined = this.procs.get(pid)): true {
    if (typeof name !== 'string' || name.length === 0 || name.charCodeAt(0) === 60 || name === 'undefined') {
      throw badarg(`register: ${describe(name)} is not a valid name (a non-empty string not starting with '<')`);
    }
    if (p === undefined || !p.alive) throw badarg(`register '${name}': ${describe(pid)} is not a live local process`);
    const ext = p.extension();
    if (ext.name !== null) throw badarg(`register '${name}': ${pid} is already registered as '${ext.name}'`);
    const owner = this.names.claim(name, pid);
    if (owner !== null) throw badarg(`register '${name}': the name is already registered to ${owner}`);
    ext.name = name;
    if (this.watch !== null) this.changed(p);
    return true;
  }

  unregister(name: string): true {
    const pid = this.names.get(name);
    if (pid === undefined) throw badarg(`unregister '${name}': no process is registered under that name`);
    this.names.release(name, pid);
    const p = this.procs.get(pid);
    if (p?.ext != null) p.ext.name = null;
    if (p !== undefined && this.watch !== null) this.changed(p);
    return true;
  }

  whereis(name: string): Pid | undefined {
    return this.names.get(name);
  }

  // --- Timers ---

  /** erlang:send_after/3: one entry in the shared timer heap. */
  sendAfter(ms: number, to: Pid | string, message: unknown): TimerRef {
    if (typeof ms !== 'number' || !(ms >= 0)) throw badarg(`sendAfter: ${describe(ms)} is not a time in ms`);
    // Checked now: a bad destination found when the timer fires would throw inside the slice,
    // out to the host, and leave the other due timers unfired.
    if (typeof to !== 'string' || (to.charCodeAt(0) === 60 ? !isPid(to) : to.length === 0)) {
      throw badarg(`sendAfter to ${describe(to)}: not a pid or a registered name`);
    }
    return this.timers.add(ms, () => {
      // A name is looked up when the timer fires; if nobody has it then, nothing happens.
      if (typeof to === 'string' && to.charCodeAt(0) !== 60 && this.names.get(to) === undefined) return;
      this.send(to, message, this.hostPid);
    });
  }

  cancelTimer(ref: TimerRef): number | false {
    return this.timers.cancel(ref);
  }

  // --- Running ---

  private enqueue(p: Process): void {
    p.status = Status.Runnable;
    this.runq[this.rqTail] = p;
    this.rqTail = (this.rqTail + 1) & this.rqMask;
    if (this.rqTail === this.rqHead) this.growRunQueue();
    if (!this.inSlice) this.requestSlice();
  }

  private growRunQueue(): void {
    const old = this.runq;
    const n = old.length;
    const next: Array<Process | undefined> = new Array(n * 2);
    for (let i = 0; i < n; i++) next[i] = old[(this.rqHead + i) & this.rqMask];
    this.runq = next;
    this.rqHead = 0;
    this.rqTail = n;
    this.rqMask = n * 2 - 1;
  }

  get runQueueLength(): number {
    return (this.rqTail - this.rqHead) & this.rqMask;
  }

  private requestSlice(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.yieldToHost(this.sliceFn);
  }

  /** True when a slice has work: runnable processes (timers arm themselves). */
  get idle(): boolean {
    return this.rqHead === this.rqTail;
  }

  /**
   * One slice: due timers, then processes from the run queue until it is empty or the slice
   * has run `sliceMs`; then back to the host so timers, other threads and the inspector get in.
   */
  slice(): void {
    this.scheduled = false;
    if (this.inSlice) return;
    this.inSlice = true;
    enter(this);
    const start = this.clock.now();
    try {
      this.timers.runDue();
      let turns = 0;
      while (this.rqHead !== this.rqTail) {
        const p = this.runq[this.rqHead]!;
        this.runq[this.rqHead] = undefined;
        this.rqHead = (this.rqHead + 1) & this.rqMask;
        if (p.status !== Status.Runnable) continue;
        this.runTurn(p);
        if ((++turns & 31) === 0 && this.clock.now() - start >= this.sliceMs) break;
      }
    } finally {
      const busy = this.clock.now() - start;
      this.busyMs += busy;
      this.windowBusy += busy;
      this.inSlice = false;
      leave(this);
      if (this.rqHead !== this.rqTail) this.requestSlice();
    }
  }

  /** Runs slices until nothing is runnable (for tests and the manual host). */
  runUntilIdle(maxSlices = 1_000_000): void {
    for (let i = 0; i < maxSlices && (this.rqHead !== this.rqTail || this.scheduled); i++) this.slice();
  }

  /**
   * One turn: the process handles messages until it waits, exits or has used `budget`
   * reductions. A reduction is a message handled, the start of its body, or a send (which
   * `send` charges to the current process as it happens). JavaScript cannot preempt a handler,
   * so a turn that overspends in one handler (a million sends) is only noticed after it; the
   * process then goes to the back of the run queue like any other that used up its budget.
   */
  private runTurn(p: Process): void {
    this.current = p;
    p.status = Status.Running;
    const r0 = p.reductions;
    let limit = r0 + this.budget;
    try {
      const start = p.gen;
      if (typeof start === 'function') {
        p.gen = null;
        p.reductions++;
        this.startBody(p, start);
      }
      while (p.status === Status.Running && p.reductions < limit) {
        const w = p.wait;
        if (w === null) {
          // Nothing left to run: the body returned (erlang: "no more code to evaluate").
          this.exitProcess(p, 'normal');
          break;
        }
        if (w === YIELD && p.reductions !== r0) {
          // erlang:yield/0: back of the run queue; resumed at the start of its next turn.
          limit = p.reductions;
          break;
        }
        let msg: unknown = w === YIELD ? TIMEOUT : take(p, w.match);
        if (msg === NONE) {
          if ((p.flags & Flag.TimedOut) !== 0) {
            p.flags &= ~Flag.TimedOut;
            msg = TIMEOUT;
          } else if (w.after === 0) {
            msg = TIMEOUT;
          } else {
            break;
          }
        } else {
          if (p.waitTimer !== null) {
            this.timers.cancelHandle(p.waitTimer);
            p.waitTimer = null;
          }
          // The deadline may have passed while this message was on its way: it is void now,
          // or it would cut the next receive short.
          p.flags &= ~Flag.TimedOut;
        }
        if (!w.persistent) p.wait = null;
        p.reductions++;
        w.resume(p, msg);
      }
    } catch (e) {
      if (e !== EXIT_UNWIND && p.status < Status.Exiting) {
        this.exitProcess(p, e instanceof ProcessExit ? e.reason : errorReason(e));
      }
    }
    this.reductions += p.reductions - r0;
    this.current = null;
    if (this.watch !== null && (p.flags & Flag.Changed) === 0) this.changed(p);
    if (p.status === Status.Running) {
      if (p.reductions >= limit) {
        this.enqueue(p);
      } else {
        p.status = Status.Waiting;
        const w = p.wait!;
        if (w.after > 0 && p.waitTimer === null) this.armWaitTimer(p, w);
      }
    }
  }

  private armWaitTimer(p: Process, w: Wait): void {
    const entry = this.timers.addHandle(w.after, () => {
      if (p.waitTimer !== entry) return;
      p.waitTimer = null;
      if (p.wait !== w || p.status >= Status.Exiting) return;
      p.flags |= Flag.TimedOut;
      // An unmatched message may have woken the process already: it sees the flag when it
      // runs. Dropping the deadline here instead would leave it waiting for ever.
      if (p.status === Status.Waiting) this.enqueue(p);
    });
    p.waitTimer = entry;
  }

  private startBody(p: Process, start: () => unknown): void {
    const result = start();
    if (isGenerator(result)) {
      p.gen = result;
      step(p, undefined);
    }
  }

  /**
   * Suspends a behaviour's loop while `gen` runs (a blocking call made from a callback). When
   * the generator returns, the loop resumes with the next message.
   */
  runGenerator(p: Process, gen: Generator<Wait, unknown, unknown>): void {
    if (p.gen !== null) throw new OrchardError('badarg', `badarg: ${p.pid} already runs a generator`);
    p.extension().saved = p.wait;
    p.wait = null;
    p.gen = gen;
    step(p, undefined);
  }

  /** The calling process, or a clear error when called from outside any process. */
  self(): Process {
    const p = this.current;
    if (p === null) throw new OrchardError('not_in_process', 'not_in_process: this call must be made from inside a process');
    if (p.status >= Status.Exiting) throw EXIT_UNWIND;
    return p;
  }

  /** After a call that can kill the caller (exit/2 to itself, a broken link), unwinds it. */
  checkSelf(): void {
    const p = this.current;
    if (p !== null && p.status >= Status.Exiting) throw EXIT_UNWIND;
  }

  // --- Signals from other schedulers ---

  /**
   * Applies a signal that the node's transport brought from another scheduler. The transport
   * keeps per-pair order; from here on the signal acts exactly as a local one would.
   */
  accept(signal: RemoteSignal): void {
    switch (signal.kind) {
      case 'message': {
        const to = signal.to;
        const pid = to.charCodeAt(0) === 60 ? (to as Pid) : this.names.get(to);
        const p = pid === undefined ? undefined : this.procs.get(pid);
        if (p === undefined) {
          if (pid === this.hostPid && this.onHostMessage !== null) this.onHostMessage(signal.message, signal.from);
          return;
        }
        if (signal.alias !== undefined && p.ext?.aliases?.has(signal.alias) !== true) return;
        this.deliver(p, signal.message);
        return;
      }
      case 'exit': {
        const p = this.procs.get(signal.to);
        if (p === undefined) return;
        if (signal.link) {
          // A link's signal counts only while the link stands: an unlink sent before it wins.
          if (p.links === null || !p.links.delete(signal.from)) return;
        }
        this.exitSignal(signal.from, p, signal.reason, signal.link);
        return;
      }
      case 'link': {
        const p = this.procs.get(signal.to);
        if (p !== undefined && p.alive) {
          (p.links ??= new Set()).add(signal.from);
          if (this.watch !== null) this.changed(p);
        } else this.route?.({ kind: 'exit', from: signal.to, to: signal.from, reason: 'noproc', link: true });
        return;
      }
      case 'unlink': {
        const p = this.procs.get(signal.to);
        p?.links?.delete(signal.from);
        if (p !== undefined && this.watch !== null) this.changed(p);
        return;
      }
      case 'monitor': {
        const p = this.procs.get(signal.to);
        if (p !== undefined && p.alive) (p.monitoredBy ??= new Map()).set(signal.ref, signal.from);
        else this.route?.({ kind: 'down', from: signal.to, to: signal.from, ref: signal.ref, reason: 'noproc' });
        return;
      }
      case 'demonitor':
        this.procs.get(signal.to)?.monitoredBy?.delete(signal.ref);
        return;
      case 'down':
        this.down(signal.from, signal.to, signal.ref, signal.from, signal.reason);
        return;
      case 'spawn':
        this.acceptSpawn(signal);
        return;
    }
  }

  /**
   * Reserves `count` consecutive pid numbers for spawns that other schedulers make here, so
   * that their spawn returns a pid at once, as spawn does. Returns the first number.
   */
  reservePids(count: number): number {
    const first = this.nextPid;
    this.nextPid += count;
    return first;
  }

  private acceptSpawn(s: RemoteSpawn): void {
    let def: ModuleDef | null = null;
    let fn: Body;
    try {
      def = lookupModule(s.module);
      fn = def.body;
    } catch (e) {
      // The spawner knew the module: this worker loaded other code. The process dies of it.
      fn = () => {
        throw e;
      };
    }
    const args = s.args;
    const p = new Process(s.to, s.module, s.parent, this.clock.now(), () => fn(...args));
    if (def?.behaviour !== undefined) p.extension().behaviour = def.behaviour;
    const o = s.options;
    if (o.trapExit === true) p.flags |= Flag.TrapExit;
    if (o.label !== undefined) p.extension().label = String(o.label);
    if (o.name !== undefined) p.extension().name = o.name;
    if (o.link === true) p.links = new Set([s.from]);
    this.procs.add(p);
    this.spawned++;
    if (this.watch !== null) this.changed(p);
    if (this.onEvent !== null) this.onEvent({ type: 'spawn', at: this.clock.now(), pid: p.pid, parent: p.parent, init: p.init });
    this.enqueue(p);
  }

  // --- Inspection ---

  info(pid: Pid): ProcessInfo | undefined {
    const p = this.procs.get(pid);
    return p === undefined ? undefined : processInfo(p, this);
  }

  stats(): SchedulerStats {
    const now = this.clock.now();
    const window = now - this.windowStart;
    const utilization = window > 0 ? Math.min(1, this.windowBusy / window) : 0;
    this.windowStart = now;
    this.windowBusy = 0;
    return {
      id: this.id,
      processes: this.procs.size,
      runQueue: this.runQueueLength,
      reductions: this.reductions,
      sent: this.sent,
      received: this.received,
      spawned: this.spawned,
      exited: this.exited,
      busyMs: this.busyMs,
      utilization,
      timers: this.timers.size,
    };
  }
}

/** Advances a generator process to its next receive; when it returns, its loop (if any) resumes. */
function step(p: Process, input: unknown): void {
  const g = p.gen as Generator<Wait, unknown, unknown>;
  const r = g.next(input);
  if (r.done === true) {
    p.gen = null;
    const saved = p.ext?.saved;
    if (saved != null) {
      p.ext!.saved = null;
      p.wait = saved;
    }
    return;
  }
  const w = r.value as Wait | undefined;
  if (w === null || typeof w !== 'object' || typeof w.resume !== 'function') {
    throw badarg(`a process may only yield receive(...) or sleep(...), it yielded ${describe(w)}`);
  }
  p.wait = w;
}

generatorHooks.resume = step;

function take(p: Process, match: Matcher): unknown {
  const q = p.mbox;
  if (q === null) return NONE;
  const h = p.mhead;
  const n = q.length;
  if (h >= n) return NONE;
  if (match === null) return takeAt(p, q, h, n);
  for (let i = h; i < n; i++) {
    if (match(q[i], p)) {
      if (i === h) return takeAt(p, q, h, n);
      const m = q[i];
      q.splice(i, 1);
      return m;
    }
  }
  return NONE;
}

function takeAt(p: Process, q: unknown[], h: number, n: number): unknown {
  const m = q[h];
  if (h + 1 === n) {
    q.length = 0;
    p.mhead = 0;
  } else {
    q[h] = undefined;
    p.mhead = h + 1;
    // Compact once the consumed head dominates, keeping take O(1) amortized.
    if (h > 64 && h * 2 > n) {
      q.splice(0, h + 1);
      p.mhead = 0;
    }
  }
  return m;
}

/** A generator object (what a process body or a blocking callback returns to be driven). */
export function isGenerator<T = unknown>(x: unknown): x is Generator<Wait, T, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}

function isRemote(self: number, pid: Pid): boolean {
  try {
    return schedulerOf(pid) !== self;
  } catch {
    return false;
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (value === null || value === undefined) return String(value);
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function localNames(): NameTable {
  const table = new Map<string, Pid>();
  return {
    get: (name) => table.get(name),
    claim(name, pid) {
      const owner = table.get(name);
      if (owner !== undefined) return owner;
      table.set(name, pid);
      return null;
    },
    release(name, pid) {
      if (table.get(name) === pid) table.delete(name);
    },
    names: () => [...table.keys()],
  };
}
