/**
 * One subscription's view of schedulers in this thread: a full snapshot, then deltas built from
 * the processes the schedulers marked as changed (their `watch` sets), never from a scan of all
 * processes. With 100,000 processes and 1% of them changing, a tick touches 1,000 records.
 *
 * The top-N limit is kept the same way: each tick ranks the shown processes together with the
 * changed ones. Every key (reductions, mailbox, memory...) changes only when a process is marked
 * changed, so the rank stays exact, except that a hidden process left behind when shown ones
 * exit is picked up when it next changes, or at the next snapshot.
 *
 * No message does work in proportion to the whole runtime, so that a scheduler in a worker never
 * goes silent for long (its watchdog replaces one silent for a second) and an inspector's
 * thread never parses a giant message (VIEW_CHUNK): a snapshot reads at most 100,000 processes
 * and the following deltas read the rest; and at most 10,000 rows the inspector does not have
 * yet go in one message (rows it has go whenever they change), the rest in rank order in the
 * following deltas. Until then a snapshot lists fewer rows than `processTotal`, as a top-N one
 * does.
 */
import type { RuntimeEvent } from '../core/info.ts';
import type { Pid } from '../core/pid.ts';
import { type Process, Status } from '../core/Process.ts';
import type { Scheduler } from '../core/Scheduler.ts';
import {
  type ApplicationRow, type InspectorEvent, LIMITS, type NodeStats, type ProcessRow, type SchedulerRow,
  type SupervisorRow,
} from '../protocol/messages.ts';
import { ProcessSlots } from './ProcessSlots.ts';
import {
  type ChildInfo, applicationOf, estimateMemory, isSupervisor, processRow, reasonText, supervisorReport, supervisorRow,
  toInspectorEvent,
} from './rows.ts';
import type { SourceDelta, SourceSnapshot, SourceView, ViewOptions } from './source.ts';
import { NONE, NOT_TAKEN, TopN } from './TopN.ts';

/** How much one message may carry and read: see `ViewChunk`. */
export const VIEW_CHUNK: ViewChunk = { rows: 10_000, scan: 100_000 };

export interface ViewChunk {
  /** Rows the inspector does not have yet, at most, in one message (rows it has go whenever they change). */
  rows: number;
  /** Processes a snapshot or delta reads for the first time, at most. */
  scan: number;
}

/** Changed processes, with the scheduler they live on. */
interface Chunk {
  readonly procs: readonly Process[];
  readonly scheduler: Scheduler;
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
  private readonly slots = new ProcessSlots();
  private readonly shown: TopN;
  private tick = 0;
  private pending: Chunk[] = [];
  /** Processes that ran in the last interval (slot and record: a slot is reused after an exit). */
  private lastRan: number[] = [];
  private lastRanProcs: Process[] = [];
  private memoryTotal = 0;
  /** Shown slots whose rows are still to send, in rank order from `backfillAt`. */
  private backfill: number[] = [];
  private backfillAt = 0;
  /** Processes a snapshot has still to read, per scheduler. */
  private scan: Array<{ procs: Iterator<Process>; left: number; scheduler: Scheduler }> = [];
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
    private readonly chunk: ViewChunk = VIEW_CHUNK,
  ) {
    this.include = new Set(options.include);
    this.shown = new TopN(Math.max(options.limit, options.include.length));
  }

  /** A scheduler's changed processes, handed over by the source; read-only here. */
  take(changed: Process[], scheduler: Scheduler): void {
    this.pending.push({ procs: changed, scheduler });
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
    this.slots.clear();
    this.shown.clear();
    this.tick++;
    this.childInfo.clear();
    this.supervisors.clear();
    this.applications.clear();
    this.lastRan = [];
    this.lastRanProcs = [];
    this.memoryTotal = 0;
    this.backfill = [];
    this.backfillAt = 0;
    let count = 0;
    for (const s of this.host.schedulers) count += s.procs.size;
    this.slots.reserve(count);
    this.scan = this.host.schedulers.map((s) => ({ procs: s.procs.values(), left: s.procs.size, scheduler: s }));
    const supervisorRows: SupervisorRow[] = [];
    // Nothing was sent yet: nothing to remove, and a child's row, built when sent, reads what
    // its supervisor reported even when the supervisor was read after it.
    this.readMore(supervisorRows, [], []);
    const processes: ProcessRow[] = [];
    this.sendBackfill(processes, this.chunk.rows);
    const { node, schedulers: schedulerRows } = this.stats();
    return {
      at: this.now(),
      node,
      schedulers: schedulerRows,
      processes,
      processTotal: this.total(),
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
      for (const p of chunk.procs) {
        if (p.status < Status.Exiting && !readSupervisors.has(p) && isSupervisor(p)) {
          readSupervisors.add(p);
          const row = this.readSupervisor(p, chunk.scheduler, extra);
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
    const touched: number[] = [];
    const ran: number[] = [];
    const ranProcs: Process[] = [];
    const { slots } = this;
    // The rest of a snapshot's scan first: a process read there is new to the view, not changed.
    if (this.scan.length > 0) this.readMore(supervisors, extra, removed);
    if (extra.length > 0) chunks.push(...this.withSchedulers(extra));
    for (const chunk of chunks) for (const p of chunk.procs) {
      let slot = slots.find(p);
      // A process may come in several chunks (other views' ticks, a supervisor's report).
      if (slot >= 0 && slots.changedAt[slot] === this.tick) continue;
      if (p.status >= Status.Exiting) {
        if (slot < 0) continue; // spawned and gone within one tick
        this.forget(slot, removed);
        if (this.supervisors.delete(p)) removedSupervisors.push(p.pid);
        continue;
      }
      if (slot < 0) {
        slot = slots.add(p, chunk.scheduler.id);
        if (p.ext !== null && isSupervisor(p) && !this.supervisors.has(p)) {
          const row = this.readSupervisor(p, chunk.scheduler, null);
          if (row !== null) supervisors.push(row);
        }
      }
      slots.changedAt[slot] = this.tick;
      const delta = p.reductions - slots.reductions[slot]!;
      slots.delta[slot] = delta;
      slots.reductions[slot] = p.reductions;
      const memory = estimateMemory(p);
      this.memoryTotal += memory - slots.memory[slot]!;
      slots.memory[slot] = memory;
      if (delta > 0) {
        ran.push(slot);
        ranProcs.push(p);
      }
      if (p.ext !== null && p.ext.dict !== null) this.noteApplication(p);
      const key = this.key(p, slot);
      slots.key[slot] = key;
      if (this.shown.has(slot)) this.shown.update(slot, key);
      else this.offer(slot, removed);
      touched.push(slot);
    }

    const quiet: Pid[] = [];
    for (let i = 0; i < this.lastRan.length; i++) {
      const slot = this.lastRan[i]!;
      if (slots.procs[slot] !== this.lastRanProcs[i] || slots.changedAt[slot] === this.tick || slots.delta[slot] === 0) continue;
      slots.delta[slot] = 0;
      if (this.options.sortBy === 'reductionsDelta') {
        slots.key[slot] = this.key(this.lastRanProcs[i]!, slot);
        this.shown.update(slot, slots.key[slot]!);
      }
      if (slots.known[slot] === 1) quiet.push(this.lastRanProcs[i]!.pid);
    }
    this.lastRan = ran;
    this.lastRanProcs = ranProcs;

    // Everything fits again after shown processes exited: the hidden ones come back, once.
    if (this.scan.length === 0 && slots.size <= this.shown.limit && this.shown.size < slots.size) {
      const back: number[] = [];
      for (let slot = 0; slot < slots.procs.length; slot++) {
        if (slots.procs[slot] !== null && !this.shown.has(slot)) {
          this.offer(slot, removed);
          back.push(slot);
        }
      }
      this.queue(back);
    }
    // Rows the inspector has go whenever they change; new ones (a burst of spawns) within the
    // bound, the rest with the backfill.
    const processes: ProcessRow[] = [];
    const later: number[] = [];
    let fresh = 0;
    for (const slot of touched) {
      if (!this.shown.has(slot)) continue;
      if (slots.known[slot] === 0 && fresh++ >= this.chunk.rows) {
        later.push(slot);
        continue;
      }
      slots.known[slot] = 1;
      processes.push(this.row(slot));
    }
    this.queue(later);
    this.sendBackfill(processes, this.chunk.rows - Math.min(fresh, this.chunk.rows));
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
      processTotal: this.total(),
      supervisors,
      removedSupervisors,
      applications: [...this.applications.values()],
      events,
      dropped,
    };
    if (quiet.length > 0) delta.quiet = quiet;
    return delta;
  }

  // --- Reading the runtime ---

  /**
   * Reads up to `chunk.scan` processes of the snapshot's scan that the view does not know
   * yet: their slots, the supervisors and applications among them, and their place in the rank.
   * Those that are shown are queued for their rows, best first.
   */
  private readMore(supervisorRows: SupervisorRow[], extra: Process[], removed: Pid[]): void {
    const { slots } = this;
    const entered: number[] = [];
    let budget = this.chunk.scan;
    while (this.scan.length > 0 && budget > 0) {
      const part = this.scan[0]!;
      const s = part.scheduler;
      for (; budget > 0; budget--) {
        const next = part.procs.next();
        if (next.done === true) break;
        part.left--;
        const p = next.value;
        if (p.status >= Status.Exiting || slots.find(p) >= 0) continue;
        if (p.ext !== null) {
          if (isSupervisor(p) && !this.supervisors.has(p)) {
            const row = this.readSupervisor(p, s, extra);
            if (row !== null) supervisorRows.push(row);
          }
          this.noteApplication(p);
        }
        const slot = slots.add(p, s.id);
        const memory = estimateMemory(p);
        slots.reductions[slot] = p.reductions;
        slots.memory[slot] = memory;
        this.memoryTotal += memory;
        slots.key[slot] = this.key(p, slot);
        const out = this.shown.offer(slot, slots.key[slot]!);
        if (out !== NOT_TAKEN) {
          entered.push(slot);
          if (out !== NONE) this.evicted(out, removed);
        }
      }
      if (budget > 0) this.scan.shift();
    }
    this.queue(entered);
  }

  /** Appends shown slots to the rows still to send, highest key first. */
  private queue(entered: number[]): void {
    if (entered.length === 0) return;
    const { key } = this.slots;
    entered.sort((a, b) => key[b]! - key[a]!);
    if (this.backfillAt > 0) {
      this.backfill = this.backfill.slice(this.backfillAt);
      this.backfillAt = 0;
    }
    for (const slot of entered) this.backfill.push(slot);
    // Slots that left the shown set stay queued until reached: drop them before the queue
    // outgrows the set (20,000 processes a tick entering a list that sends 10,000 new rows).
    if (this.backfill.length > 2 * Math.max(this.shown.size, this.chunk.rows)) {
      const { slots } = this;
      this.backfill = this.backfill.filter((slot) => slots.procs[slot] !== null && slots.known[slot] === 0 && this.shown.has(slot));
    }
  }

  /** Up to `room` rows the inspector lacks, best first. */
  private sendBackfill(into: ProcessRow[], room: number): void {
    const { slots } = this;
    let sent = 0;
    while (this.backfillAt < this.backfill.length && sent < room) {
      const slot = this.backfill[this.backfillAt++]!;
      if (slots.procs[slot] === null || slots.known[slot] === 1 || !this.shown.has(slot)) continue;
      slots.known[slot] = 1;
      into.push(this.row(slot));
      sent++;
    }
    if (this.backfillAt === this.backfill.length) {
      this.backfill = [];
      this.backfillAt = 0;
    }
  }

  /**
   * Every process: while a snapshot's scan goes on, the schedulers' own counts (a process that
   * changed before the scan reached it is known already, and must not count twice).
   */
  private total(): number {
    if (this.scan.length === 0) return this.slots.size;
    let n = 0;
    for (const s of this.host.schedulers) n += s.procs.size;
    return n;
  }

  /** `extra` children with the schedulers they live on. */
  private withSchedulers(procs: Process[]): Chunk[] {
    const { schedulers } = this.host;
    if (schedulers.length === 1) return [{ procs, scheduler: schedulers[0]! }];
    return procs.map((p) => ({ procs: [p], scheduler: schedulers.find((s) => s.procs.get(p.pid) === p) ?? schedulers[0]! }));
  }

  /** A process that exited: out of the rank (and of the inspector's list if it had its row). */
  private forget(slot: number, removed: Pid[]): void {
    const { slots } = this;
    const p = slots.procs[slot]!;
    this.memoryTotal -= slots.memory[slot]!;
    if (this.shown.has(slot)) {
      if (slots.known[slot] === 1) removed.push(p.pid);
      this.shown.remove(slot);
    }
    slots.delete(slot);
    this.childInfo.delete(p.pid);
    this.applications.delete(p.pid);
  }

  // --- Ranking ---

  /** Offers a hidden slot to the shown set; whoever it displaces leaves the view. */
  private offer(slot: number, removed: Pid[]): void {
    const out = this.shown.offer(slot, this.slots.key[slot]!);
    if (out >= 0) this.evicted(out, removed);
  }

  /** A slot pushed out of the shown set: the inspector drops its row, if it had it. */
  private evicted(slot: number, removed: Pid[]): void {
    const { slots } = this;
    if (slots.known[slot] === 1) {
      slots.known[slot] = 0;
      removed.push(slots.procs[slot]!.pid);
    }
  }

  private key(p: Process, slot: number): number {
    if (this.include.size > 0 && this.include.has(p.pid)) return Infinity;
    switch (this.options.sortBy) {
      case 'reductions':
        return p.reductions;
      case 'reductionsDelta':
        return this.slots.delta[slot]!;
      case 'mailbox':
        return p.mailboxLength;
      case 'memory':
        return this.slots.memory[slot]!;
      case 'startedAt':
        return p.startedAt;
      case 'pid': {
        const s = p.pid;
        return Number(s.slice(3, s.indexOf('.', 3)));
      }
    }
  }

  // --- Rows ---

  private row(slot: number): ProcessRow {
    const { slots } = this;
    const p = slots.procs[slot]!;
    return processRow(p, slots.scheduler[slot]!, slots.delta[slot]!, slots.memory[slot]!, this.childInfo.get(p.pid), this.host.epoch);
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
