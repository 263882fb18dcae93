/**
 * A scheduler: a run queue with a reduction budget (DESIGN decision 2), the process table, the
 * registered names, one timer heap, and the loop that gives each runnable process its turn.
 * Erlang's reference manual, "Processes", is the specification:
 * https://www.erlang.org/doc/system/ref_man_processes.html
 *
 * Everything here is host-free (STYLE G1): time comes from the injected Clock and slices are
 * requested through the injected `yieldToHost`. Signals between processes of one scheduler
 * act synchronously, in the order they are sent, so Erlang's per-pair ordering holds.
 * Signals to pids of another scheduler go to `route` (the node's transport).
 *
 * This class holds the state and the hot path (spawn, send, the turn loop). The rules that act
 * on that state live beside it, one concept per module, as functions that take the scheduler:
 * exit.ts (exit signals, exits, DOWN), links.ts, monitors.ts. names.ts (registered names) and
 * remote.ts (signals from other schedulers) are reached through the methods of the same names;
 * and the pieces it is built from: RunQueue.ts, ProcessTable.ts, mailbox.ts (take),
 * generators.ts (step), Listeners.ts.
 */
import { type Clock, type YieldToHost, defaultYieldToHost, realClock } from './clock.ts';
import { OrchardError, badarg } from './errors.ts';
import { describe } from './describe.ts';
import { errorReason } from './exitReason.ts';
import { exitProcess } from './exit.ts';
import { isGenerator, step } from './generators.ts';
import { type RuntimeEvent, type SchedulerStats, processInfo, type ProcessInfo } from './info.ts';
import { addLink } from './links.ts';
import { type Listener, Listeners } from './Listeners.ts';
import { NONE, forgetScan, takeWaiting } from './mailbox.ts';
import { type ModuleDef, lookupModule } from './modules.ts';
import { type NameTable, localNames, register, unregister } from './names.ts';
import { LOCAL_PID_LIMIT, type Pid, type Ref, isPid, isRemote, makePid, makeRef } from './pid.ts';
import { type Body, Flag, Process, Status } from './Process.ts';
import { ProcessTable } from './ProcessTable.ts';
import { TIMEOUT, type Wait, YIELD } from './receive.ts';
import { type RemoteSignal, accept } from './remote.ts';
import { RunQueue } from './RunQueue.ts';
import { EXIT_UNWIND, ProcessExit } from './signals.ts';
import { TimerHeap, type TimerRef } from './TimerHeap.ts';
import { isProductionBuild, sealMessage } from './sealMessage.ts';
import { findUncloneable } from './findUncloneable.ts';
import { enter, leave } from './context.ts';

// What callers imported from here before these modules were split out.
export { describe, isGenerator };
export type { NameTable, RemoteSignal };
export type { RemoteSpawn } from './remote.ts';

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
  /**
   * Messages are values (DESIGN decision 3): what is sent within this scheduler (messages, call
   * replies, exit reasons) is deep-frozen, or copied where freezing cannot protect it (Map,
   * Set, typed arrays), and must pass the clone check that sends to other schedulers pass, so
   * code behaves the same on any placement. Functions are the exception: a closure may be sent
   * within its scheduler (Agent and Task do), never across. Costs a walk of each message. Default: on, unless
   * `process.env.NODE_ENV === 'production'` (bundlers replace it); off, messages are handed
   * over by reference.
   */
  freezeMessages?: boolean;
}

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
  /**
   * Called for every process that exits, after its name is freed and before any EXIT or DOWN
   * goes out: what a process owns besides its name (tables) is released or handed on here, so
   * whoever reacts to the exit finds it gone. Empty, it costs one length check per exit.
   */
  readonly exitHooks: Array<(pid: Pid, reason: unknown) => void> = [];

  /** @internal The node's transport for signals to other schedulers (exit, links, monitors, remote). */
  readonly _route: ((signal: RemoteSignal) => void) | null;
  /** @internal Where messages to `hostPid` go (remote.ts delivers those from other schedulers). */
  readonly _onHostMessage: ((message: unknown, from: Pid) => void) | null;
  /** @internal Monitors made by registered name (ref → name): their DOWN names the name, not the pid. */
  readonly _monitorNames = new Map<Ref, string>();
  /** @internal Processes (and their reasons, interleaved) whose exit is being worked off (exit.ts). */
  readonly _dying: unknown[] = [];
  /** @internal True while exit.ts works off `_dying`. */
  _draining = false;
  /** Whether local sends are frozen and clone-checked (SchedulerOptions.freezeMessages). */
  readonly freezeMessages: boolean;

  private emitter: Listener | null = null;
  private readonly listeners: Listeners;
  private readonly yieldToHost: YieldToHost;
  private readonly sliceMs: number;
  private readonly budget: number;
  private readonly place: NonNullable<SchedulerOptions['place']> | null;
  private readonly sliceFn = () => this.slice();
  private nextPid = 1;
  /** What follows N in this scheduler's pids (`.S>`), made once: see spawn. */
  private readonly pidSuffix: string;
  private nextRef = 1;
  private readonly runq = new RunQueue();
  /** Processes that began waiting with a timeout during this slice (see `runTurn`). */
  private readonly toArm: Process[] = [];
  private scheduled = false;
  private inSlice = false;
  /**
   * Whole ms, for spawn's startedAt: read at the start of each slice and again every 256 spawns
   * in it. A burst of spawns read the clock once per process, a tenth of a spawn-and-exit.
   */
  private spawnNow = 0;
  private spawnsSinceNow = 0;

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
    this._route = options.route ?? null;
    this.place = options.place ?? null;
    this._onHostMessage = options.onHostMessage ?? null;
    this.freezeMessages = options.freezeMessages ?? !isProductionBuild();
    this.names = options.names ?? localNames();
    this.hostPid = makePid(this.id, 0);
    this.pidSuffix = `.${this.id}>`;
    this.timers = new TimerHeap(this.clock, () => this.requestSlice());
    this.windowStart = this.clock.now();
    this.listeners = new Listeners(this.clock, (emit) => {
      this.emitter = emit;
    });
  }

  // --- Events ---

  /** Listener for the inspector's flight recorder; null costs nothing. `listen` adds more listeners. */
  get onEvent(): ((event: RuntimeEvent) => void) | null {
    return this.emitter;
  }

  set onEvent(fn: ((event: RuntimeEvent) => void) | null) {
    this.listeners.setPrimary(fn);
  }

  /**
   * Adds an event listener beside `onEvent`; returns its removal. A listener that throws does not
   * break the process that caused the event: the error is rethrown from a timer (STYLE G7).
   */
  listen(fn: (event: RuntimeEvent) => void): () => void {
    return this.listeners.add(fn);
  }

  // --- Change tracking and tracing, for the inspector ---

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
    if (n >= LOCAL_PID_LIMIT) throw this.outOfPids();
    // makePid's text, built from the suffix made once: half the intermediate strings, which
    // matters in a burst of spawns (each young allocation brings the next scavenge closer, and a
    // scavenge copies every process still alive).
    const pid = ('<0.' + n + this.pidSuffix) as Pid;
    // Whole milliseconds: a fractional start time is a boxed number, 16 more bytes per process.
    const startedAt = this.inSlice && (++this.spawnsSinceNow & 255) !== 0 ? this.spawnNow : (this.spawnNow = Math.floor(this.clock.now()));
    const start = args.length === 0 ? (fn as () => unknown) : () => fn(...args);
    const p = new Process(pid, init, parent === null ? null : parent.pid, startedAt, start);
    if (def?.behaviour !== undefined) p.extension().behaviour = def.behaviour;
    if (options !== undefined) this.applySpawnOptions(p, options, parent);
    this.procs.add(p, n);
    this.spawned++;
    if (this.watch !== null) this.changed(p);
    const emit = this.emitter;
    if (emit !== null) emit({ type: 'spawn', at: this.clock.now(), pid, parent: p.parent, init });
    if (options?.link === true && parent !== null) addLink(this, parent, p);
    this._enqueue(p);
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
    // A send costs the sending process a reduction, as erlang:send does on the BEAM; the host
    // (no current process) is not a process and pays nothing. A dead one may not send at all.
    const cur = this.current;
    if (cur !== null) {
      if (cur.status >= Status.Exiting) this.deadSender();
      cur.reductions++;
    }
    // Counted once it is a send: one to a dead pid counts (it is dropped), a badarg does not.
    this.sent++;
    if (this.tracing !== 0) this.traceSend(from, pid, message);
    if (p !== undefined) {
      this.deliver(p, this.freezeMessages ? this.asValue(message, pid) : message);
    } else if (this._route !== null && isRemote(this.id, pid)) {
      this._route({ kind: 'message', from, to: pid, message });
    } else if (pid === this.hostPid && this._onHostMessage !== null) {
      this._onHostMessage(this.freezeMessages ? this.asValue(message, pid) : message, from);
    }
  }

  /**
   * A message handed over within this scheduler, as a value (freezeMessages): it must pass the
   * clone check a send to another scheduler passes, and is deep-frozen (or copied) so that
   * neither side can change what the other sees.
   */
  asValue<T>(value: T, to: Pid, what = 'the message'): T {
    const t = typeof value;
    if ((t !== 'object' && t !== 'function' && t !== 'symbol') || value === null) return value;
    const bad = findUncloneable(value, true);
    if (bad !== null) {
      throw new OrchardError('not_cloneable', `not_cloneable: ${what} to ${to} could not be copied to another scheduler: it holds ${bad}`);
    }
    return sealMessage(value);
  }

  /**
   * Sends to an alias of `to` (a reply to a call): delivered only while `to` keeps the alias
   * active, otherwise dropped, as OTP drops messages to a deactivated alias.
   */
  sendAlias(to: Pid, alias: Ref, message: unknown, from: Pid = this.current?.pid ?? this.hostPid): void {
    const cur = this.current;
    if (cur !== null) {
      if (cur.status >= Status.Exiting) this.deadSender();
      cur.reductions++;
    }
    this.sent++;
    if (this.tracing !== 0) this.traceSend(from, to, message);
    const p = this.procs.get(to);
    if (p !== undefined) {
      if (p.ext?.aliases?.has(alias) === true) this.deliver(p, this.freezeMessages ? this.asValue(message, to, 'the reply') : message);
    } else if (this._route !== null && isRemote(this.id, to)) {
      this._route({ kind: 'message', from, to, message, alias });
    }
  }

  /**
   * A send made while the current process is dead: its code caught the unwind and went on
   * (DESIGN decision 9), so it is unwound again and the message goes nowhere. The scheduler's own
   * exit handling sends on the dead process's behalf (a table to its heir) while `_draining`.
   */
  private deadSender(): void {
    if (!this._draining) throw EXIT_UNWIND;
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
    if (p.status === Status.Waiting) this._enqueue(p);
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

  // Exit signals, exits and DOWN are exit.ts's (exitSignal, sendExit, exitProcess, down), links
  // links.ts's and monitors monitors.ts's: free functions of the scheduler, not methods.

  // --- References ---

  makeRef(): Ref {
    return makeRef(this.id, this.nextRef++);
  }

  // --- Registered names (names.ts) ---

  register(name: string, pid: Pid, p: Process | undefined = this.procs.get(pid)): true {
    return register(this, name, pid, p);
  }

  unregister(name: string): true {
    return unregister(this, name);
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
    // A value from now on, and checked now: a message refused when the timer fires would throw
    // inside the slice, as a bad destination would.
    if (this.freezeMessages) message = this.asValue(message, to as Pid);
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

  /** @internal Makes `p` runnable: to the back of the run queue, and a slice asked for. */
  _enqueue(p: Process): void {
    p.status = Status.Runnable;
    this.runq.push(p);
    if (!this.inSlice) this.requestSlice();
  }

  get runQueueLength(): number {
    return this.runq.length;
  }

  private requestSlice(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.yieldToHost(this.sliceFn);
  }

  /** True when a slice has work: runnable processes (timers arm themselves). */
  get idle(): boolean {
    return this.runq.empty;
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
    this.spawnNow = Math.floor(start);
    try {
      this.timers.runDue();
      let turns = 0;
      const runq = this.runq;
      while (!runq.empty) {
        const p = runq.shift();
        if (p.status !== Status.Runnable) continue;
        const r0 = p.reductions;
        this.runTurn(p);
        // The clock is read every 32 turns, and after any turn that overspent its budget: a
        // process that sends thousands of messages per turn makes 32 turns last seconds, and a
        // slice that long starves the heartbeat.
        if (((++turns & 31) === 0 || p.reductions - r0 > this.budget) && this.clock.now() - start >= this.sliceMs) break;
      }
    } finally {
      if (this.toArm.length !== 0) this.armWaitTimers();
      const busy = this.clock.now() - start;
      this.busyMs += busy;
      this.windowBusy += busy;
      this.inSlice = false;
      leave(this);
      if (!this.runq.empty) this.requestSlice();
    }
  }

  /** Runs slices until nothing is runnable (for tests and the manual host). */
  runUntilIdle(maxSlices = 1_000_000): void {
    for (let i = 0; i < maxSlices && (!this.runq.empty || this.scheduled); i++) this.slice();
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
          exitProcess(this, p, 'normal');
          break;
        }
        if (w === YIELD && p.reductions !== r0) {
          // erlang:yield/0: back of the run queue; resumed at the start of its next turn.
          limit = p.reductions;
          break;
        }
        let msg: unknown = w === YIELD ? TIMEOUT : takeWaiting(p, w);
        if (msg === NONE) {
          if ((p.flags & Flag.TimedOut) !== 0) {
            p.flags &= ~Flag.TimedOut;
            msg = TIMEOUT;
          } else if (w.after === 0) {
            msg = TIMEOUT;
          } else {
            break;
          }
          forgetScan(p);
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
        exitProcess(this, p, e instanceof ProcessExit ? e.reason : errorReason(e));
      }
    }
    this.reductions += p.reductions - r0;
    this.current = null;
    if (this.watch !== null && (p.flags & Flag.Changed) === 0) this.changed(p);
    if (p.status === Status.Running) {
      if (p.reductions >= limit) {
        this._enqueue(p);
      } else {
        p.status = Status.Waiting;
        // A receive with a timeout gets its timer when the slice ends, if it still waits then:
        // most waits (a call's reply) are over within the slice, and a timer armed and
        // cancelled per call was a tenth of a call's cost. The deadline counts from the end of
        // the slice, a little later than the receive began: a timeout is a lower bound.
        if (p.wait!.after > 0 && p.waitTimer === null && (p.flags & Flag.ArmTimer) === 0) {
          p.flags |= Flag.ArmTimer;
          this.toArm.push(p);
        }
      }
    }
  }

  private armWaitTimers(): void {
    const list = this.toArm;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      p.flags &= ~Flag.ArmTimer;
      const w = p.wait;
      if (p.status === Status.Waiting && w !== null && w.after > 0 && p.waitTimer === null) this.armWaitTimer(p, w);
    }
    list.length = 0;
  }

  private armWaitTimer(p: Process, w: Wait): void {
    const entry = this.timers.addHandle(w.after, () => {
      if (p.waitTimer !== entry) return;
      p.waitTimer = null;
      if (p.wait !== w || p.status >= Status.Exiting) return;
      p.flags |= Flag.TimedOut;
      // An unmatched message may have woken the process already: it sees the flag when it
      // runs. Dropping the deadline here instead would leave it waiting for ever.
      if (p.status === Status.Waiting) this._enqueue(p);
    });
    p.waitTimer = entry;
  }

  private startBody(p: Process, start: () => unknown): void {
    const result = start();
    // A plain function that died, caught the unwind and returned a generator: never run it.
    if (p.status >= Status.Exiting) throw EXIT_UNWIND;
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
    if (p.status >= Status.Exiting) throw EXIT_UNWIND;
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

  // --- Signals from other schedulers (remote.ts) ---

  /**
   * Applies a signal that the node's transport brought from another scheduler. The transport
   * keeps per-pair order; from here on the signal acts exactly as a local one would.
   */
  accept(signal: RemoteSignal): void {
    accept(this, signal);
  }

  /**
   * Reserves `count` consecutive pid numbers for spawns that other schedulers make here, so
   * that their spawn returns a pid at once, as spawn does. Returns the first number.
   */
  reservePids(count: number): number {
    const first = this.nextPid;
    if (first + count > LOCAL_PID_LIMIT) throw this.outOfPids();
    this.nextPid += count;
    return first;
  }

  private outOfPids(): OrchardError {
    this.nextPid = LOCAL_PID_LIMIT;
    return new OrchardError('system_limit', `system_limit: scheduler ${this.id} has given out all its pid numbers`);
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
