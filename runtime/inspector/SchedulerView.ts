/**
 * One subscription's view of schedulers in this thread: a full snapshot, then deltas built from
 * the processes the schedulers marked as changed (their `watch` sets), never from a scan of all
 * processes. With 100,000 processes and 1% of them changing, a tick touches 1,000 records.
 *
 * The top-N limit is kept the same way: each tick ranks the shown processes together with the
 * changed ones. Every key (reductions, mailbox, memory...) changes only when a process is marked
 * changed, so the rank stays exact, except that a hidden process left behind when shown ones
 * exit is picked up when it next changes, or at the next snapshot.
 */
import type { RuntimeEvent } from '../core/info.ts';
import type { Pid } from '../core/pid.ts';
import { type Process, Status } from '../core/Process.ts';
import type { Scheduler } from '../core/Scheduler.ts';
import {
  type ApplicationRow, type InspectorEvent, LIMITS, type NodeStats, type ProcessRow, type SchedulerRow,
  type SupervisorRow,
} from '../protocol/messages.ts';
import {
  type ChildInfo, applicationOf, estimateMemory, isSupervisor, processRow, reasonText, supervisorReport, supervisorRow,
  toInspectorEvent,
} from './rows.ts';
import type { SourceDelta, SourceSnapshot, SourceView, ViewOptions } from './source.ts';
import { type Ranked, TopN } from './TopN.ts';

interface Entry extends Ranked {
  readonly p: Process;
  reductions: number;
  /** Reductions in the last interval. */
  delta: number;
  memory: number;
  scheduler: number;
  /** The tick in which it was last taken into the shown set. */
  shownAt: number;
  /** The tick in which it last changed. */
  changedAt: number;
}

/** What the view needs from its source. */
export interface ViewHost {
  readonly schedulers: readonly Scheduler[];
  readonly epoch: number;
  readonly startedAt: number;
  /** Moves the schedulers' changed sets into every open view (`take`). */
  drain(): void;
  backlog(): InspectorEvent[];
  closeView(view: SchedulerView): void;
}

export class SchedulerView implements SourceView {
  private readonly entries = new Map<Process, Entry>();
  private readonly shown: TopN<Entry>;
  private tick = 0;
  private pending: Process[][] = [];
  private lastRan: Process[] = [];
  private memoryTotal = 0;
  private readonly childInfo = new Map<Pid, ChildInfo>();
  /** Supervisors seen, with the restartsInWindow last sent: a window that is not empty is re-read each tick as it drains. */
  private readonly supervisors = new Map<Process, { scheduler: Scheduler; restartsInWindow: number }>();
  private readonly applications = new Map<Pid, ApplicationRow>();
  private events: RuntimeEvent[] = [];
  private dropped = 0;
  private last = { at: 0, reductions: 0, sent: 0, busy: [] as number[] };
  private readonly include: Set<Pid>;
  private closed = false;

  constructor(
    private readonly host: ViewHost,
    private readonly options: ViewOptions,
  ) {
    this.include = new Set(options.include);
    this.shown = new TopN(Math.max(options.limit, options.include.length));
  }

  /** A scheduler's changed processes, handed over by the source; read-only here. */
  take(changed: Process[]): void {
    this.pending.push(changed);
  }

  event(e: RuntimeEvent): void {
    if (this.events.length < LIMITS.maxEventsPerTick) this.events.push(e);
    else this.dropped++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.closeView(this);
  }

  snapshot(): SourceSnapshot {
    this.host.drain();
    this.pending = [];
    this.events = [];
    this.dropped = 0;
    this.entries.clear();
    this.shown.clear();
    this.tick++;
    this.childInfo.clear();
    this.supervisors.clear();
    this.applications.clear();
    this.lastRan = [];
    this.memoryTotal = 0;
    const { schedulers } = this.host;
    const supervisorRows: SupervisorRow[] = [];
    for (const s of schedulers) {
      for (const p of s.procs.values()) {
        if (p.ext === null) continue;
        if (isSupervisor(p)) {
          const row = this.readSupervisor(p, s, null);
          if (row !== null) supervisorRows.push(row);
        }
        this.noteApplication(p);
      }
    }
    for (const s of schedulers) {
      for (const p of s.procs.values()) {
        if (p.status >= Status.Exiting) continue;
        const memory = estimateMemory(p);
        const e: Entry = { p, reductions: p.reductions, delta: 0, memory, scheduler: s.id, shownAt: 0, changedAt: 0, key: 0, index: -1 };
        e.key = this.key(e);
        this.entries.set(p, e);
        this.memoryTotal += memory;
      }
    }
    if (this.entries.size <= this.shown.limit) this.shown.build([...this.entries.values()]);
    else for (const e of this.entries.values()) this.shown.offer(e);
    // Rank order, highest first: a limited list reads as "the top N".
    const shown = [...this.entries.values()].filter((e) => e.index >= 0).sort((a, b) => b.key - a.key);
    const processes = shown.map((e) => this.row(e));
    const { node, schedulers: schedulerRows } = this.stats();
    return {
      at: this.now(),
      node,
      schedulers: schedulerRows,
      processes,
      processTotal: this.entries.size,
      supervisors: supervisorRows,
      applications: [...this.applications.values()],
      backlog: this.host.backlog(),
    };
  }

  delta(): SourceDelta {
    this.host.drain();
    const chunks = this.pending;
    this.pending = [];
    const extra: Process[] = [];
    const supervisors: SupervisorRow[] = [];
    const removedSupervisors: Pid[] = [];

    // Supervisors first: what they report about their children goes into the children's rows.
    const readSupervisors = new Set<Process>();
    for (const chunk of chunks) {
      for (const p of chunk) {
        if (p.status < Status.Exiting && !readSupervisors.has(p) && isSupervisor(p)) {
          readSupervisors.add(p);
          const row = this.readSupervisor(p, this.schedulerOf(p), extra);
          if (row !== null) supervisors.push(row);
        }
      }
    }
    for (const [p, known] of this.supervisors) {
      if (known.restartsInWindow === 0 || readSupervisors.has(p) || p.status >= Status.Exiting) continue;
      const row = this.readSupervisor(p, known.scheduler, extra);
      if (row !== null && row.restartsInWindow !== known.restartsInWindow) supervisors.push(row);
    }

    this.tick++;
    const removed: Pid[] = [];
    const touched: Entry[] = [];
    const ran: Process[] = [];
    chunks.push(extra);
    for (const chunk of chunks) for (const p of chunk) {
      let e = this.entries.get(p);
      // A process may come in several chunks (other views' ticks, a supervisor's report).
      if (e !== undefined && e.changedAt === this.tick) continue;
      if (p.status >= Status.Exiting) {
        if (e === undefined) continue; // spawned and gone within one tick
        this.memoryTotal -= e.memory;
        if (e.index >= 0) {
          if (e.shownAt !== this.tick) removed.push(p.pid);
          this.shown.remove(e);
        }
        this.entries.delete(p);
        this.childInfo.delete(p.pid);
        if (this.supervisors.delete(p)) removedSupervisors.push(p.pid);
        this.applications.delete(p.pid);
        continue;
      }
      if (e === undefined) {
        e = { p, reductions: 0, delta: 0, memory: 0, scheduler: this.schedulerOf(p).id, shownAt: 0, changedAt: 0, key: 0, index: -1 };
        this.entries.set(p, e);
        if (p.ext !== null && isSupervisor(p) && !this.supervisors.has(p)) {
          const row = this.readSupervisor(p, this.schedulerOf(p), null);
          if (row !== null) supervisors.push(row);
        }
      }
      e.changedAt = this.tick;
      e.delta = p.reductions - e.reductions;
      e.reductions = p.reductions;
      const memory = estimateMemory(p);
      this.memoryTotal += memory - e.memory;
      e.memory = memory;
      if (e.delta > 0) ran.push(p);
      if (p.ext !== null && p.ext.dict !== null) this.noteApplication(p);
      e.key = this.key(e);
      if (e.index >= 0) this.shown.update(e);
      else this.offer(e, removed);
      touched.push(e);
    }

    const quiet: Pid[] = [];
    for (const p of this.lastRan) {
      const e = this.entries.get(p);
      if (e === undefined || e.changedAt === this.tick || e.delta === 0) continue;
      e.delta = 0;
      if (this.options.sortBy === 'reductionsDelta') {
        e.key = this.key(e);
        this.shown.update(e);
      }
      if (e.index >= 0) quiet.push(p.pid);
    }
    this.lastRan = ran;

    // Everything fits again after shown processes exited: the hidden ones come back, once.
    if (this.entries.size <= this.shown.limit && this.shown.size < this.entries.size) {
      for (const e of this.entries.values()) {
        if (e.index < 0) {
          this.offer(e, removed);
          touched.push(e);
        }
      }
    }
    const processes: ProcessRow[] = [];
    for (const e of touched) if (e.index >= 0) processes.push(this.row(e));
    const { node, schedulers } = this.stats();
    const events = this.events.map((x) => toInspectorEvent(x, this.host.epoch));
    const dropped = this.dropped;
    this.events = [];
    this.dropped = 0;
    const delta: SourceDelta = {
      at: this.now(),
      node,
      schedulers,
      processes,
      removed,
      processTotal: this.entries.size,
      supervisors,
      removedSupervisors,
      applications: [...this.applications.values()],
      events,
      dropped,
    };
    if (quiet.length > 0) delta.quiet = quiet;
    return delta;
  }

  // --- Ranking ---

  /** Offers a hidden entry to the shown set; whoever it displaces leaves the view. */
  private offer(e: Entry, removed: Pid[]): void {
    const out = this.shown.offer(e);
    if (out === e) return;
    e.shownAt = this.tick;
    // One shown before this tick leaves the view; one taken in this same tick was never sent.
    if (out !== null && out.shownAt !== this.tick) removed.push(out.p.pid);
  }

  private key(e: Entry): number {
    const p = e.p;
    if (this.include.size > 0 && this.include.has(p.pid)) return Infinity;
    switch (this.options.sortBy) {
      case 'reductions':
        return p.reductions;
      case 'reductionsDelta':
        return e.delta;
      case 'mailbox':
        return p.mailboxLength;
      case 'memory':
        return e.memory;
      case 'startedAt':
        return p.startedAt;
      case 'pid': {
        const s = p.pid;
        return Number(s.slice(3, s.indexOf('.', 3)));
      }
    }
  }

  // --- Rows ---

  private row(e: Entry): ProcessRow {
    return processRow(e.p, e.scheduler, e.delta, e.memory, this.childInfo.get(e.p.pid), this.host.epoch);
  }

  /**
   * Reads a supervisor's report into its row and its children's info. With `changedChildren`,
   * children whose info changed are pushed there so that their rows go out too.
   */
  private readSupervisor(p: Process, s: Scheduler, changedChildren: Process[] | null): SupervisorRow | null {
    const report = supervisorReport(p, s);
    if (report === null) return null;
    const row = supervisorRow(p.pid, report, this.host.epoch);
    this.supervisors.set(p, { scheduler: s, restartsInWindow: row.restartsInWindow });
    for (const c of report.children) {
      if (c.pid === null) continue;
      const info: ChildInfo = { supervisor: p.pid, childId: c.id, restarts: c.restarts, lastExitReason: reasonText(c.lastExitReason) };
      const old = this.childInfo.get(c.pid);
      if (old !== undefined && old.childId === info.childId && old.restarts === info.restarts && old.lastExitReason === info.lastExitReason && old.supervisor === info.supervisor) continue;
      this.childInfo.set(c.pid, info);
      if (changedChildren !== null) {
        const child = this.findProcess(c.pid);
        if (child !== undefined) changedChildren.push(child);
      }
    }
    return row;
  }

  /** Records an application master; true when the list changed. */
  private noteApplication(p: Process): boolean {
    const app = applicationOf(p);
    if (app === null) return false;
    const old = this.applications.get(p.pid);
    if (old !== undefined && old.name === app.name && old.root === app.root) return false;
    this.applications.set(p.pid, { name: app.name, master: p.pid, root: app.root });
    return true;
  }

  // --- Stats ---

  private stats(): { node: NodeStats; schedulers: SchedulerRow[] } {
    const { schedulers } = this.host;
    const now = this.now();
    const dt = this.last.at === 0 ? 0 : (now - this.last.at) / 1000;
    let reductions = 0;
    let sent = 0;
    let processes = 0;
    const rows: SchedulerRow[] = [];
    for (let i = 0; i < schedulers.length; i++) {
      const s = schedulers[i]!;
      reductions += s.reductions;
      sent += s.sent;
      processes += s.procs.size;
      const busy = s.busyMs - (this.last.busy[i] ?? s.busyMs);
      this.last.busy[i] = s.busyMs;
      rows.push({
        id: s.id,
        utilization: dt > 0 ? Math.min(1, busy / (dt * 1000)) : 0,
        runQueue: s.runQueueLength,
        messagesIn: s.received,
        messagesOut: s.sent,
        processes: s.procs.size,
      });
    }
    const node: NodeStats = {
      uptimeMs: Math.max(0, Math.round(now - this.host.startedAt)),
      startedAt: this.host.startedAt,
      schedulers: schedulers.length,
      processes,
      reductions,
      reductionsPerSecond: dt > 0 ? Math.round((reductions - this.last.reductions) / dt) : 0,
      messagesPerSecond: dt > 0 ? Math.round((sent - this.last.sent) / dt) : 0,
      memory: { processes: this.memoryTotal, ...heap() },
    };
    this.last.at = now;
    this.last.reductions = reductions;
    this.last.sent = sent;
    return { node, schedulers: rows };
  }

  private now(): number {
    return Math.round(this.host.schedulers[0]!.clock.now() + this.host.epoch);
  }

  private schedulerOf(p: Process): Scheduler {
    const { schedulers } = this.host;
    if (schedulers.length === 1) return schedulers[0]!;
    for (const s of schedulers) if (s.procs.get(p.pid) === p) return s;
    return schedulers[0]!;
  }

  private findProcess(pid: Pid): Process | undefined {
    for (const s of this.host.schedulers) {
      const p = s.procs.get(pid);
      if (p !== undefined) return p;
    }
    return undefined;
  }
}

/** The JS heap where the host tells it (Chromium's performance.memory). */
function heap(): { heap?: number; total?: number } {
  const m = (globalThis as { performance?: { memory?: { usedJSHeapSize?: number; totalJSHeapSize?: number } } }).performance?.memory;
  if (m === undefined || typeof m.usedJSHeapSize !== 'number') return {};
  return { heap: m.usedJSHeapSize, ...(typeof m.totalJSHeapSize === 'number' ? { total: m.totalJSHeapSize } : {}) };
}
