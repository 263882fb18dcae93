/**
 * The inspector source for schedulers living in this thread (the page's own runtime, or a test's
 * scheduler). While no view is open the schedulers' `watch` is null and nothing is collected;
 * only the flight recorder, if on, keeps the last lifecycle events in a ring.
 */
import { type ApplicationSpec, startApplication, stopApplication } from '../application/application.ts';
import { badarg } from '../core/errors.ts';
import { sendExit } from '../core/exit.ts';
import { processInfo, type RuntimeEvent, estimateMemory } from '../core/info.ts';
import { type Pid, isPid, schedulerOf } from '../core/pid.ts';
import type { Process } from '../core/Process.ts';
import type { Scheduler } from '../core/Scheduler.ts';
import { type CallOutcome, type InspectorEvent, LIMITS, type MailboxEntry, type ProcessDetail, type TableRow, type ValuePreview } from '../protocol/messages.ts';
import { estimateMemory as estimateTableMemory, existingStore, find as findTable, objects as tableObjects } from '../behaviours/tableStore.ts';
import { preview } from '../protocol/preview.ts';
import * as GenServer from '../behaviours/genServer.ts';
import { ProcessExit } from '../core/signals.ts';
import { errorReason, formatReason } from '../core/exitReason.ts';
import { acceptsOf } from './accepts.ts';
import { FlightRecorder } from './FlightRecorder.ts';
import { type ChildInfo, applicationOf, concerns, inContext, isLifecycle, processRow, reasonText, supervisorReport, toInspectorEvent } from './rows.ts';
import { SchedulerView, VIEW_CHUNK, type ViewChunk, type ViewHost } from './SchedulerView.ts';
import { sysDetail, applicationSpecOf } from './sysDetail.ts';
import { locateReceives, waitingOf } from './waiting.ts';
import type { CommandResult, InspectorSource, ViewOptions } from './source.ts';

/** An application the inspector may start by name (the demos' DemoSpec fits). */
export interface ApplicationEntry extends ApplicationSpec {
  description: string;
}

export interface SchedulerSourceOptions {
  /** Applications that `startApplication` may start, by name. */
  applications?: readonly ApplicationEntry[];
  /** Keep the last lifecycle events before anyone attaches (default true). */
  flightRecorder?: boolean;
  /** ms to add to a scheduler clock reading to get ms since the epoch (default: measured now). */
  epoch?: number;
  /** How many new rows a message carries and how many processes it reads at most (default VIEW_CHUNK). */
  chunk?: ViewChunk;
}

/**
 * The open views of every source, per scheduler. A scheduler has one list of changed processes,
 * so whoever takes it hands it to all the views on that scheduler, whichever source opened them.
 */
const viewsOf = new WeakMap<Scheduler, Set<SchedulerView>>();

/** Mailbox arrival times are remembered for this many inspected processes at most. */
const ARRIVALS_KEPT = 64;

export function createSchedulerSource(schedulers: Scheduler | readonly Scheduler[], options: SchedulerSourceOptions = {}): InspectorSource {
  return new SchedulerSource(Array.isArray(schedulers) ? schedulers : [schedulers as Scheduler], options);
}

class SchedulerSource implements InspectorSource, ViewHost {
  readonly schedulers: readonly Scheduler[];
  readonly epoch: number;
  readonly startedAt: number;
  private readonly byId = new Map<number, Scheduler>();
  private readonly views = new Set<SchedulerView>();
  private readonly recorder: FlightRecorder<RuntimeEvent> | null;
  private readonly catalog: readonly ApplicationEntry[];
  private readonly chunk: ViewChunk;
  private unlisten: Array<() => void> = [];
  /** Per inspected pid: the mailbox messages seen at the last look and when each was first seen. */
  private readonly arrivals = new Map<Pid, { messages: unknown[]; at: Array<number | null> }>();

  constructor(schedulers: readonly Scheduler[], options: SchedulerSourceOptions) {
    if (schedulers.length === 0) throw badarg('createSchedulerSource: at least one scheduler is needed');
    this.schedulers = schedulers;
    for (const s of schedulers) this.byId.set(s.id, s);
    const clock = schedulers[0]!.clock;
    this.epoch = options.epoch ?? Date.now() - clock.now();
    this.startedAt = Math.round(clock.now() + this.epoch);
    this.catalog = options.applications ?? [];
    this.chunk = options.chunk ?? VIEW_CHUNK;
    this.recorder = options.flightRecorder === false ? null : new FlightRecorder((e) => toInspectorEvent(e, this.epoch), isLifecycle, LIMITS.eventBacklog);
    this.updateListening();
  }

  schedulerCount(): number {
    return this.schedulers.length;
  }

  // --- Views ---

  openView(options: ViewOptions): SchedulerView {
    const view = new SchedulerView(this, options, this.chunk);
    for (const s of this.schedulers) {
      let views = viewsOf.get(s);
      if (views === undefined) viewsOf.set(s, (views = new Set()));
      if (views.size === 0) s.setWatching(true);
      views.add(view);
    }
    this.views.add(view);
    this.updateListening();
    return view;
  }

  closeView(view: SchedulerView): void {
    if (!this.views.delete(view)) return;
    for (const s of this.schedulers) {
      const views = viewsOf.get(s);
      views?.delete(view);
      if (views === undefined || views.size === 0) s.setWatching(false);
    }
    this.updateListening();
  }

  drain(): void {
    for (const s of this.schedulers) {
      // The list handed to the views is the scheduler's own, never written again.
      const changed = s.takeChanged();
      if (changed.length > 0) for (const v of viewsOf.get(s) ?? []) v.take(changed, s);
    }
  }

  backlog(): InspectorEvent[] {
    return this.recorder === null ? [] : this.recorder.backlog(LIMITS.eventBacklog);
  }

  recentEvents(pid: Pid, limit: number): InspectorEvent[] {
    if (this.recorder === null) return [];
    return this.recorder.backlog(limit, (e) => concerns(e, pid));
  }

  /** Listens to the schedulers' events while a view is open or the recorder is on. */
  private updateListening(): void {
    const want = this.views.size > 0 || this.recorder !== null;
    if (want && this.unlisten.length === 0) {
      const onEvent = (e: RuntimeEvent): void => {
        this.recorder?.record(e);
        for (const v of this.views) v.event(e);
      };
      this.unlisten = this.schedulers.map((s) => s.listen(onEvent));
    } else if (!want && this.unlisten.length > 0) {
      for (const off of this.unlisten) off();
      this.unlisten = [];
    }
  }

  // --- Details ---

  detail(pid: Pid, mailboxLimit: number): Omit<ProcessDetail, 'events'> | null {
    const s = this.schedulerFor(pid);
    const p = s?.procs.get(pid);
    if (s === undefined || p === undefined || !p.alive) return null;
    const info = processInfo(p, s);
    const total = p.mailboxLength;
    const messages: unknown[] = [];
    const q = p.mbox;
    if (q !== null) for (let i = p.mhead; i < q.length && messages.length < mailboxLimit; i++) messages.push(q[i]);
    const at = this.arrivalTimes(pid, messages, s);
    const mailbox: MailboxEntry[] = messages.map((m, index) => ({ index, arrivedAt: at[index] ?? null, value: preview(m) }));
    const reporter = p.ext?.reportState ?? null;
    const state = reporter === null ? null : inContext(s, () => preview(reporter()), { preview: '⟨state report failed⟩', truncated: false });
    const detail: Omit<ProcessDetail, 'events'> = {
      row: processRow(p, s.id, 0, estimateMemory(p), this.childInfo(p, s), this.epoch, LIMITS.detailPids),
      monitoredBy: info.monitoredBy,
      ancestors: info.ancestors,
      mailbox,
      mailboxTotal: total,
      state,
    };
    const accepts = acceptsOf(p);
    if (accepts !== undefined) detail.accepts = accepts;
    locateReceives(p, s);
    const waiting = waitingOf(p, s);
    if (waiting !== undefined) detail.waiting = waiting;
    const sys = inContext(s, () => sysDetail(p), undefined);
    if (sys !== undefined) detail.sys = sys;
    const application = applicationSpecOf(p);
    if (application !== null) detail.application = application;
    return detail;
  }

  /**
   * When each message was first seen here: messages kept from the last look keep their time,
   * new ones get now, and all are unknown (null) at the first look. Matching is by identity in
   * order, which selective receive (taking from the middle) does not disturb.
   */
  private arrivalTimes(pid: Pid, messages: unknown[], s: Scheduler): Array<number | null> {
    const prev = this.arrivals.get(pid);
    const now = Math.round(s.clock.now() + this.epoch);
    const at: Array<number | null> = [];
    let j = 0;
    for (const m of messages) {
      if (prev === undefined) {
        at.push(null);
        continue;
      }
      let k = j;
      while (k < prev.messages.length && prev.messages[k] !== m) k++;
      if (k < prev.messages.length) {
        at.push(prev.at[k] ?? null);
        j = k + 1;
      } else {
        at.push(now);
      }
    }
    this.arrivals.delete(pid);
    this.arrivals.set(pid, { messages, at });
    if (this.arrivals.size > ARRIVALS_KEPT) this.arrivals.delete(this.arrivals.keys().next().value!);
    return at;
  }

  private childInfo(p: Process, s: Scheduler): ChildInfo | undefined {
    if (p.parent === null) return undefined;
    const parent = this.schedulerFor(p.parent)?.procs.get(p.parent);
    if (parent === undefined) return undefined;
    const report = supervisorReport(parent, s);
    const c = report?.children.find((x) => x.pid === p.pid);
    if (c === undefined) return undefined;
    return { supervisor: parent.pid, childId: c.id, restarts: c.restarts, lastExitReason: reasonText(c.lastExitReason) };
  }

  // --- Commands ---

  exit(pid: Pid, reason: unknown): CommandResult {
    const s = this.schedulerFor(pid);
    const p = s?.procs.get(pid);
    if (s === undefined || p === undefined || !p.alive) return 'noproc';
    sendExit(s, pid, reason, s.hostPid);
    return 'ok';
  }

  send(to: Pid | string, message: unknown): CommandResult {
    let pid: Pid | undefined;
    if (isPid(to)) pid = to;
    else for (const s of this.schedulers) if ((pid = s.whereis(to)) !== undefined) break;
    if (pid === undefined) return 'noproc';
    const s = this.schedulerFor(pid);
    const p = s?.procs.get(pid);
    if (s === undefined || p === undefined || !p.alive) return 'noproc';
    s.send(pid, message, s.hostPid);
    return 'ok';
  }

  /**
   * A call made by a short-lived process on the server's scheduler, as gen_server:call would
   * from a shell: it monitors the server, waits for the reply or the DOWN, and exits. Its exit
   * reason is the outcome when there is no reply (noproc, timeout, the server's reason).
   */
  call(to: Pid | string, request: unknown, timeoutMs: number): CallOutcome | Promise<CallOutcome> {
    const pid = this.resolve(to);
    if (pid === undefined) return { exit: 'noproc' };
    const s = this.schedulerFor(pid)!;
    return new Promise<CallOutcome>((resolve) => {
      // Killed while waiting (chaos, a kill from the Observer), the process resolves nothing.
      s.clock.setTimeout(() => resolve({ exit: 'killed' }), timeoutMs + 1000);
      s.spawn(
        function* () {
          try {
            resolve({ reply: preview(yield* GenServer.call(pid, request, timeoutMs)) });
          } catch (e) {
            resolve({ exit: formatReason(e instanceof ProcessExit ? e.reason : errorReason(e)) });
          }
        },
        [],
        { label: `Observer call to ${typeof to === 'string' ? to : pid}` },
        null,
      );
    });
  }

  cast(to: Pid | string, request: unknown): CommandResult {
    const pid = this.resolve(to);
    if (pid === undefined) return 'noproc';
    const s = this.schedulerFor(pid)!;
    // The message GenServer.cast sends; a cast never fails in OTP, but the Observer says so when nobody is there.
    s.send(pid, { type: '$gen_cast', request }, s.hostPid);
    return 'ok';
  }

  /** A live pid for a pid or a registered name. */
  private resolve(to: Pid | string): Pid | undefined {
    let pid: Pid | undefined;
    if (isPid(to)) pid = to;
    else for (const s of this.schedulers) if ((pid = s.whereis(to)) !== undefined) break;
    if (pid === undefined) return undefined;
    const p = this.schedulerFor(pid)?.procs.get(pid);
    return p !== undefined && p.alive ? pid : undefined;
  }

  trace(pids: readonly Pid[], on: boolean): Pid[] {
    const missing: Pid[] = [];
    for (const pid of pids) if (this.schedulerFor(pid)?.setTrace(pid, on) !== true) missing.push(pid);
    return missing;
  }

  // --- Applications and tables ---

  available(): Array<{ name: string; description: string }> {
    return this.catalog.map((a) => ({ name: a.name, description: a.description }));
  }

  async startApplication(name: string): Promise<{ ok: { master: Pid; root: Pid | null } } | { error: string }> {
    const spec = this.catalog.find((a) => a.name === name);
    if (spec === undefined) return { error: 'not_found' };
    if (this.findApplication(name) !== null) return { error: 'already_started' };
    try {
      const app = await startApplication(this.schedulers[0]!, spec);
      return { ok: { master: app.master, root: app.root } };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  isRunning(name: string): boolean {
    return this.findApplication(name) !== null;
  }

  stopApplication(name: string): 'ok' | 'not_found' {
    const found = this.findApplication(name);
    if (found === null) return 'not_found';
    stopApplication(found.s, { name, master: found.master, root: found.root });
    return 'ok';
  }

  /** A scan of all processes, but only on a command, never per tick. */
  private findApplication(name: string): { s: Scheduler; master: Pid; root: Pid | null } | null {
    for (const s of this.schedulers) {
      for (const p of s.procs.values()) {
        if (p.ext?.dict == null || !p.alive) continue;
        const app = applicationOf(p);
        if (app !== null && app.name === name) return { s, master: p.pid, root: app.root };
      }
    }
    return null;
  }

  /** Every table of every scheduler here (the Observer's Table Viewer list). */
  tables(): TableRow[] {
    const rows: TableRow[] = [];
    for (const s of this.schedulers) {
      const st = existingStore(s);
      if (st === undefined) continue;
      for (const tab of st.tables.values()) {
        rows.push({
          id: tab.tid, name: tab.named ? tab.name : tab.name || null, owner: tab.owner, heir: tab.heir,
          type: tab.type, access: tab.access, size: tab.size, memory: estimateTableMemory(tab),
        });
      }
    }
    return rows;
  }

  /**
   * A page of a table's objects, as previews. A private table's objects stay private, as in
   * OTP's observer, which cannot read them either: its size shows, its rows do not.
   */
  table(name: string, offset: number, limit: number): { total: number; rows: ValuePreview[] } | null {
    for (const s of this.schedulers) {
      const st = existingStore(s);
      const tab = st === undefined ? undefined : findTable(st, name);
      if (tab === undefined) continue;
      if (tab.access === 'private') return { total: tab.size, rows: [] };
      const all = tableObjects(tab);
      return { total: all.length, rows: all.slice(offset, offset + limit).map((o) => preview(o)) };
    }
    return null;
  }

  private schedulerFor(pid: Pid): Scheduler | undefined {
    if (this.schedulers.length === 1) return this.schedulers[0];
    try {
      return this.byId.get(schedulerOf(pid));
    } catch {
      return undefined;
    }
  }
}
