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
  type ApplicationRow, type InspectorEvent, LIMITS, type NodeStats, type ProcessRow, type ProcessSortKey, type SchedulerRow,
  type SupervisorRow,
} from '../protocol/messages.ts';
import {
  type ChildInfo, applicationOf, estimateMemory, isSupervisor, processRow, reasonText, supervisorReport, supervisorRow,
  toInspectorEvent,
} from './rows.ts';
import type { SourceDelta, SourceSnapshot, SourceView, ViewOptions } from './source.ts';

interface Entry {
  reductions: number;
  /** Reductions in the last interval. */
  delta: number;
  memory: number;
  scheduler: number;
  shown: boolean;
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
  private readonly shown = new Set<Process>();
  private pending: Array<Set<Process>> = [];
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
  }

  /** The schedulers' changed set, handed over by the source; read-only here. */
  take(changed: Set<Process>): void {
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
        this.entries.set(p, { reductions: p.reductions, delta: 0, memory, scheduler: s.id, shown: false });
        this.memoryTotal += memory;
      }
    }
    const chosen = this.entries.size <= this.options.limit ? [...this.entries.keys()] : this.rank([...this.entries.keys()]);
    const processes: ProcessRow[] = [];
    for (const p of chosen) {
      const e = this.entries.get(p)!;
      e.shown = true;
      this.shown.add(p);
      processes.push(this.row(p, e));
    }
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

    let dirty: Set<Process>;
    if (chunks.length === 1 && extra.length === 0) dirty = chunks[0]!;
    else {
      dirty = new Set(extra);
      for (const chunk of chunks) for (const p of chunk) dirty.add(p);
    }

    const removed: Pid[] = [];
    const candidates: Process[] = [];
    const ran: Process[] = [];
    for (const p of dirty) {
      let e = this.entries.get(p);
      if (p.status >= Status.Exiting) {
        if (e === undefined) continue; // spawned and gone within one tick
        this.memoryTotal -= e.memory;
        if (e.shown) {
          removed.push(p.pid);
          this.shown.delete(p);
        }
        this.entries.delete(p);
        this.childInfo.delete(p.pid);
        if (this.supervisors.delete(p)) removedSupervisors.push(p.pid);
        this.applications.delete(p.pid);
        continue;
      }
      if (e === undefined) {
        e = { reductions: 0, delta: 0, memory: 0, scheduler: this.schedulerOf(p).id, shown: false };
        this.entries.set(p, e);
        if (p.ext !== null && isSupervisor(p) && !this.supervisors.has(p)) {
          const row = this.readSupervisor(p, this.schedulerOf(p), null);
          if (row !== null) supervisors.push(row);
        }
      }
      e.delta = p.reductions - e.reductions;
      e.reductions = p.reductions;
      const memory = estimateMemory(p);
      this.memoryTotal += memory - e.memory;
      e.memory = memory;
      if (e.delta > 0) ran.push(p);
      if (p.ext !== null && p.ext.dict !== null) this.noteApplication(p);
      candidates.push(p);
    }

    const quiet: Pid[] = [];
    for (const p of this.lastRan) {
      if (dirty.has(p)) continue;
      const e = this.entries.get(p);
      if (e === undefined || e.delta === 0) continue;
      e.delta = 0;
      if (e.shown) quiet.push(p.pid);
    }
    this.lastRan = ran;

    const processes = this.choose(candidates, removed);
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

  /** Updates the shown set with this tick's changed processes; returns the rows to send. */
  private choose(candidates: Process[], removed: Pid[]): ProcessRow[] {
    const rows: ProcessRow[] = [];
    const { limit } = this.options;
    if (this.entries.size <= limit) {
      for (const p of candidates) {
        const e = this.entries.get(p)!;
        if (!e.shown) {
          e.shown = true;
          this.shown.add(p);
        }
        rows.push(this.row(p, e));
      }
      // Everything fits again after shown processes exited: the hidden ones come back, once.
      if (this.shown.size < this.entries.size) {
        for (const [p, e] of this.entries) {
          if (e.shown) continue;
          e.shown = true;
          this.shown.add(p);
          rows.push(this.row(p, e));
        }
      }
      return rows;
    }
    const pool = new Set(this.shown);
    for (const p of candidates) pool.add(p);
    const top = new Set(this.rank([...pool]));
    const changed = new Set(candidates);
    for (const p of pool) {
      const e = this.entries.get(p)!;
      if (top.has(p)) {
        if (!e.shown || changed.has(p)) rows.push(this.row(p, e));
        if (!e.shown) {
          e.shown = true;
          this.shown.add(p);
        }
      } else if (e.shown) {
        e.shown = false;
        this.shown.delete(p);
        removed.push(p.pid);
      }
    }
    return rows;
  }

  /** The top `limit` of `pool` by the sort key, descending, with the included pids first. */
  private rank(pool: Process[]): Process[] {
    const { limit, sortBy } = this.options;
    const keyed = pool.map((p) => ({ p, k: this.include.has(p.pid) ? Infinity : this.key(p, sortBy) }));
    keyed.sort((a, b) => b.k - a.k);
    const n = Math.min(keyed.length, Math.max(limit, this.include.size));
    const out: Process[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = keyed[i]!.p;
    return out;
  }

  private key(p: Process, sortBy: ProcessSortKey): number {
    switch (sortBy) {
      case 'reductions':
        return p.reductions;
      case 'reductionsDelta':
        return this.entries.get(p)?.delta ?? 0;
      case 'mailbox':
        return p.mailboxLength;
      case 'memory':
        return this.entries.get(p)?.memory ?? 0;
      case 'startedAt':
        return p.startedAt;
      case 'pid': {
        const s = p.pid;
        return Number(s.slice(3, s.indexOf('.', 3)));
      }
    }
  }

  // --- Rows ---

  private row(p: Process, e: Entry): ProcessRow {
    return processRow(p, e.scheduler, e.delta, e.memory, this.childInfo.get(p.pid), this.host.epoch);
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
