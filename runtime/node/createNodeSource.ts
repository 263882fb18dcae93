/**
 * The inspector source of a node (runtime/inspector/source.ts): what the Observer sees of a
 * runtime whose schedulers live in workers. Each worker inspects its own scheduler (see
 * InspectionHost); this source asks them and merges their answers, so that the endpoint, the
 * protocol and the app are the same as for a page's own runtime.
 *
 * A scheduler the watchdog replaces shows as such: its processes leave the views in the next
 * delta, an `orchard.scheduler.replaced` event says why, and the fresh scheduler's row says
 * `replaced` until a view has shown it once.
 *
 * @example
 * const node = await startNode({ workerEntry });
 * exposeInspector(createNodeSource(node), { allowedOrigins: [] });
 */
import { type Pid, schedulerOf } from '../core/index.ts';
import type {
  CommandResult, InspectorSource, MaybePromise, SourceDelta, SourceSnapshot, SourceView, ViewOptions,
} from '../inspector/index.ts';
import type { CallOutcome, InspectorEvent, NodeStats, ProcessDetail, ProcessRow, SchedulerRow, SupervisorRow, TableRow, ValuePreview } from '../protocol/messages.ts';
import type { InspectArgs, InspectOp, InspectResult } from '../transport/inspectCalls.ts';
import type { OrchardNode } from './startNode.ts';

/** Events kept for `recentEvents` (the workers' recorders answer only asynchronously). */
const RECENT_EVENTS = 2_000;

/** A node's source; `ready` settles once the application catalog has been read from a worker. */
export interface NodeInspectorSource extends InspectorSource {
  readonly ready: Promise<void>;
}

export function createNodeSource(node: OrchardNode): NodeInspectorSource {
  return new NodeSource(node);
}

class NodeSource implements NodeInspectorSource {
  readonly startedAt: number;
  readonly ready: Promise<void>;
  readonly views = new Set<NodeView>();
  /** Node-level events (schedulers replaced), for snapshots' backlogs. */
  readonly nodeEvents: InspectorEvent[] = [];
  private readonly recent: InspectorEvent[] = [];
  private catalog: Array<{ name: string; description: string }> = [];
  private nextView = 0;
  /** Application starts run one at a time, so two starts of one name cannot both succeed. */
  private starting: Promise<unknown> = Promise.resolve();
  /** Applications this source started on each scheduler: the tie-break when placing the next. */
  private readonly startedOn = new Map<number, number>();

  constructor(readonly node: OrchardNode) {
    this.startedAt = node.startedAt;
    node.subscribe((e) => {
      if (e.type === 'orchard.scheduler.down') {
        const event: InspectorEvent = { type: 'orchard.scheduler.replaced', at: e.at, scheduler: e.id, reason: `${e.cause}: ${e.detail}` };
        this.nodeEvents.push(event);
        if (this.nodeEvents.length > 100) this.nodeEvents.shift();
        this.remember([event]);
        for (const v of this.views) v.schedulerDown(e.id, event);
      } else if (e.type === 'orchard.scheduler.up') {
        for (const v of this.views) v.schedulerUp(e.id, e.replaces !== null);
      }
    });
    const first = node.schedulers[0];
    this.ready = first === undefined
      ? Promise.resolve()
      : this.ask(first, 'available').then((list) => {
          this.catalog = list;
        }, () => {});
  }

  /** A call of one worker's inspector source, typed by InspectCalls. */
  ask<K extends InspectOp>(scheduler: number, op: K, ...args: InspectArgs<K>): Promise<InspectResult<K>> {
    return this.node._inspect(scheduler, op, ...args);
  }

  schedulerCount(): number {
    return this.node.schedulers.length;
  }

  openView(options: ViewOptions): SourceView {
    const view = new NodeView(this, ++this.nextView, options);
    this.views.add(view);
    return view;
  }

  remember(events: readonly InspectorEvent[]): void {
    for (const e of events) this.recent.push(e);
    if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
  }

  recentEvents(pid: Pid, limit: number): InspectorEvent[] {
    const out: InspectorEvent[] = [];
    for (let i = this.recent.length - 1; i >= 0 && out.length < limit; i--) if (concerns(this.recent[i]!, pid)) out.push(this.recent[i]!);
    return out.reverse();
  }

  detail(pid: Pid, mailboxLimit: number): MaybePromise<Omit<ProcessDetail, 'events'> | null> {
    return this.onOwner(pid, null, (id) => this.ask(id, 'detail', pid, mailboxLimit));
  }

  exit(pid: Pid, reason: unknown): MaybePromise<CommandResult> {
    return this.onOwner(pid, 'noproc', (id) => this.ask(id, 'exit', pid, reason));
  }

  send(to: Pid | string, message: unknown): MaybePromise<CommandResult> {
    const pid = typeof to === 'string' && to.charCodeAt(0) !== 60 ? this.node.whereis(to) : (to as Pid);
    if (pid === undefined) return 'noproc';
    return this.onOwner(pid, 'noproc', (id) => this.ask(id, 'send', pid, message));
  }

  call(to: Pid | string, request: unknown, timeoutMs: number): MaybePromise<CallOutcome> {
    const pid = typeof to === 'string' && to.charCodeAt(0) !== 60 ? this.node.whereis(to) : (to as Pid);
    if (pid === undefined) return { exit: 'noproc' };
    return this.onOwner(pid, { exit: 'noproc' } as CallOutcome, (id) => this.ask(id, 'call', pid, request, timeoutMs));
  }

  cast(to: Pid | string, request: unknown): MaybePromise<CommandResult> {
    const pid = typeof to === 'string' && to.charCodeAt(0) !== 60 ? this.node.whereis(to) : (to as Pid);
    if (pid === undefined) return 'noproc';
    return this.onOwner(pid, 'noproc', (id) => this.ask(id, 'cast', pid, request));
  }

  async trace(pids: readonly Pid[], on: boolean): Promise<Pid[]> {
    const byScheduler = new Map<number, Pid[]>();
    const missing: Pid[] = [];
    for (const pid of pids) {
      const id = owner(pid);
      if (id === null || !this.node.schedulers.includes(id)) missing.push(pid);
      else byScheduler.set(id, [...(byScheduler.get(id) ?? []), pid]);
    }
    const answers = await Promise.all([...byScheduler].map(([id, list]) => this.ask(id, 'trace', list, on).catch(() => list)));
    return missing.concat(...answers);
  }

  available(): Array<{ name: string; description: string }> {
    return this.catalog;
  }

  async isRunning(name: string): Promise<boolean> {
    const answers = await Promise.all(this.node.schedulers.map((id) => this.ask(id, 'isRunning', name).catch(() => false)));
    return answers.some((a) => a === true);
  }

  /**
   * Starts an application on one scheduler, the one with the fewest processes (so the demos
   * spread over the workers), unless it already runs on any of them: an application runs once
   * per node, as in OTP.
   */
  startApplication(name: string): Promise<{ ok: { master: Pid; root: Pid | null } } | { error: string }> {
    const run = this.starting.then(() => this.startNow(name));
    this.starting = run.catch(() => {});
    return run;
  }

  private async startNow(name: string): Promise<{ ok: { master: Pid; root: Pid | null } } | { error: string }> {
    const ids = this.node.schedulers;
    if (ids.length === 0) return { error: 'the node has no live scheduler' };
    if (await this.isRunning(name)) return { error: 'already_started' };
    const target = this.placeApplication(ids);
    const result = await this.ask(target, 'startApplication', name).catch((e: Error) => ({ error: e.message }));
    if ('ok' in result) this.startedOn.set(target, (this.startedOn.get(target) ?? 0) + 1);
    return result;
  }

  private placeApplication(ids: readonly number[]): number {
    const processes = new Map(this.node.counters().map((c) => [c.id, c.processes]));
    let best = ids[0]!;
    for (const id of ids) {
      const a = processes.get(id) ?? 0;
      const b = processes.get(best) ?? 0;
      if (a < b || (a === b && (this.startedOn.get(id) ?? 0) < (this.startedOn.get(best) ?? 0))) best = id;
    }
    return best;
  }

  async stopApplication(name: string): Promise<'ok' | 'not_found'> {
    for (const id of this.node.schedulers) if ((await this.ask(id, 'stopApplication', name).catch(() => 'not_found')) === 'ok') return 'ok';
    return 'not_found';
  }

  async tables(): Promise<TableRow[]> {
    const lists = await Promise.all(this.node.schedulers.map((id) => this.ask(id, 'tables').catch((): TableRow[] => [])));
    return ([] as TableRow[]).concat(...lists);
  }

  async table(name: string, offset: number, limit: number): Promise<{ total: number; rows: ValuePreview[] } | null> {
    for (const id of this.node.schedulers) {
      const t = await this.ask(id, 'table', name, offset, limit).catch(() => null);
      if (t !== null) return t;
    }
    return null;
  }

  /** A call of the scheduler that owns `pid`, or `otherwise` when it is gone. */
  private async onOwner<T>(pid: Pid, otherwise: T, call: (scheduler: number) => Promise<T>): Promise<T> {
    const id = owner(pid);
    if (id === null || !this.node.schedulers.includes(id)) return otherwise;
    return call(id).catch(() => otherwise);
  }
}

/** One open view over every scheduler: a view on each, merged. */
class NodeView implements SourceView {
  /** Schedulers this view is open on. */
  private readonly open = new Set<number>();
  /** Opened since the last look: the next delta brings their snapshot. */
  private readonly fresh = new Set<number>();
  /** Gone since the last look: the next delta removes their processes. */
  private readonly gone: number[] = [];
  /** Fresh schedulers that replaced a dead one, flagged until this view has shown them. */
  private readonly replacements = new Set<number>();
  private readonly shown = new Map<number, { pids: Set<Pid>; supervisors: Set<Pid> }>();
  private pending: InspectorEvent[] = [];
  private closed = false;

  constructor(
    private readonly source: NodeSource,
    private readonly id: number,
    private readonly options: ViewOptions,
  ) {
    for (const s of source.node.schedulers) this.openOn(s);
    this.fresh.clear();
  }

  schedulerUp(id: number, replacement: boolean): void {
    if (this.closed) return;
    if (replacement) this.replacements.add(id);
    this.openOn(id);
  }

  schedulerDown(id: number, event: InspectorEvent): void {
    if (this.closed) return;
    this.open.delete(id);
    this.fresh.delete(id);
    this.gone.push(id);
    this.pending.push(event);
  }

  async snapshot(): Promise<SourceSnapshot> {
    this.fresh.clear();
    this.gone.length = 0;
    this.pending = [];
    this.shown.clear();
    const ids = [...this.open];
    const parts = await Promise.all(ids.map((id) => this.source.ask(id, 'snapshot', this.id).catch(() => null)));
    const out: SourceSnapshot = {
      at: Date.now(), node: this.nodeStats([]), schedulers: [], processes: [], processTotal: 0, supervisors: [], applications: [], backlog: [...this.source.nodeEvents],
    };
    const stats: NodeStats[] = [];
    for (const [i, part] of parts.entries()) {
      if (part === null) continue;
      this.take(ids[i]!, part.processes, part.supervisors);
      stats.push(part.node);
      out.schedulers.push(...this.flag(part.schedulers));
      out.processes.push(...part.processes);
      out.processTotal += part.processTotal;
      out.supervisors.push(...part.supervisors);
      out.applications.push(...part.applications);
      out.backlog.push(...part.backlog);
    }
    out.node = this.nodeStats(stats);
    out.backlog.sort((a, b) => a.at - b.at);
    this.source.remember(out.backlog);
    return out;
  }

  async delta(): Promise<SourceDelta> {
    const out: SourceDelta = {
      at: Date.now(), node: this.nodeStats([]), schedulers: [], processes: [], removed: [], quiet: [], processTotal: 0,
      supervisors: [], removedSupervisors: [], applications: [], events: this.pending, dropped: 0,
    };
    this.pending = [];
    for (const id of this.gone.splice(0)) {
      const was = this.shown.get(id);
      if (was === undefined) continue;
      out.removed.push(...was.pids);
      out.removedSupervisors.push(...was.supervisors);
      this.shown.delete(id);
    }
    const ids = [...this.open];
    const fresh = new Set(this.fresh);
    this.fresh.clear();
    const parts = await Promise.all(
      ids.map((id): Promise<SourceSnapshot | SourceDelta | null> =>
        (fresh.has(id) ? this.source.ask(id, 'snapshot', this.id) : this.source.ask(id, 'delta', this.id)).catch(() => null)),
    );
    const stats: NodeStats[] = [];
    for (const [i, part] of parts.entries()) {
      if (part === null) continue;
      const id = ids[i]!;
      stats.push(part.node);
      out.schedulers.push(...this.flag(part.schedulers));
      out.processes.push(...part.processes);
      out.processTotal += part.processTotal;
      out.supervisors.push(...part.supervisors);
      out.applications.push(...part.applications);
      if ('backlog' in part) {
        this.take(id, part.processes, part.supervisors);
        out.events.push(...part.backlog);
      } else {
        this.apply(id, part);
        out.removed.push(...part.removed);
        out.quiet!.push(...(part.quiet ?? []));
        out.removedSupervisors.push(...part.removedSupervisors);
        out.events.push(...part.events);
        out.dropped += part.dropped;
      }
    }
    out.node = this.nodeStats(stats);
    out.events.sort((a, b) => a.at - b.at);
    this.source.remember(out.events);
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.views.delete(this);
    for (const id of this.open) void this.source.ask(id, 'closeView', this.id).catch(() => {});
    this.open.clear();
  }

  private openOn(id: number): void {
    if (this.open.has(id)) return;
    this.open.add(id);
    this.fresh.add(id);
    // Each scheduler shows its share of the top N; the node's list is their union.
    const share = Math.max(1, Math.ceil(this.options.limit / Math.max(1, this.source.node.schedulers.length)));
    void this.source.ask(id, 'openView', this.id, { ...this.options, limit: share }).catch(() => {});
  }

  /** What a scheduler's snapshot shows, remembered for when it dies. */
  private take(id: number, processes: readonly ProcessRow[], supervisors: readonly SupervisorRow[]): void {
    this.shown.set(id, { pids: new Set(processes.map((p) => p.pid)), supervisors: new Set(supervisors.map((s) => s.pid)) });
  }

  private apply(id: number, delta: SourceDelta): void {
    const shown = this.shown.get(id) ?? { pids: new Set<Pid>(), supervisors: new Set<Pid>() };
    for (const p of delta.processes) shown.pids.add(p.pid);
    for (const pid of delta.removed) shown.pids.delete(pid);
    for (const s of delta.supervisors) shown.supervisors.add(s.pid);
    for (const pid of delta.removedSupervisors) shown.supervisors.delete(pid);
    this.shown.set(id, shown);
  }

  private flag(rows: readonly SchedulerRow[]): SchedulerRow[] {
    return rows.map((r) => {
      if (!this.replacements.delete(r.id)) return r;
      return { ...r, replaced: true };
    });
  }

  private nodeStats(parts: readonly NodeStats[]): NodeStats {
    const now = Date.now();
    const sum = (f: (s: NodeStats) => number): number => parts.reduce((n, s) => n + f(s), 0);
    return {
      uptimeMs: now - this.source.startedAt,
      startedAt: this.source.startedAt,
      schedulers: this.source.node.schedulers.length,
      processes: sum((s) => s.processes),
      reductions: sum((s) => s.reductions),
      reductionsPerSecond: sum((s) => s.reductionsPerSecond),
      messagesPerSecond: sum((s) => s.messagesPerSecond),
      memory: { processes: sum((s) => s.memory.processes), ...nodeHeap(parts) },
    };
  }
}

/**
 * The node's JS heap: this thread's (Chromium's performance.memory on a page, Node's
 * process.memoryUsage()) plus each worker's that reports one (Chromium reports none in a
 * worker). Absent when no thread can tell.
 */
function nodeHeap(parts: readonly NodeStats[]): { heap?: number } {
  const page = (globalThis as { performance?: { memory?: { usedJSHeapSize?: number } } }).performance?.memory?.usedJSHeapSize;
  const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
  const own = typeof page === 'number' ? page : typeof proc?.memoryUsage === 'function' ? proc.memoryUsage().heapUsed : undefined;
  const workers = parts.map((s) => s.memory.heap).filter((h): h is number => typeof h === 'number');
  if (own === undefined && workers.length === 0) return {};
  return { heap: (own ?? 0) + workers.reduce((a, b) => a + b, 0) };
}

function owner(pid: Pid): number | null {
  try {
    return schedulerOf(pid);
  } catch {
    return null;
  }
}

function concerns(e: InspectorEvent, pid: Pid): boolean {
  const x = e as Record<string, unknown>;
  return x.pid === pid || x.other === pid || x.target === pid || x.supervisor === pid || x.oldPid === pid || x.newPid === pid || x.from === pid || x.to === pid;
}

