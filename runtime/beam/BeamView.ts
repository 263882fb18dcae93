/**
 * One subscription's view of a BEAM node: what changed in the NodeModel since this view last
 * sent it. The model is read at the bridge's rate (`--rate`, default 1 per second) whatever rate
 * the inspector ticks at; ticks in between send only what the lifecycle changed (an exit, a
 * restart's new pid), so a restart shows within a tick, and cost the target nothing. A tick
 * never waits for a poll: it starts one when one is due and sends what the model holds. The
 * endpoint ticks at the bridge's rate (`minPeriodMs`), and at once when the model changes
 * (`onChange`): an exit, a restart or a finished poll goes out when it is known.
 */
import type { Pid } from '../core/pid.ts';
import type { ProcessRow, SupervisorRow } from '../protocol/messages.ts';
import type { SourceDelta, SourceSnapshot, SourceView, ViewOptions } from '../inspector/source.ts';
import type { NodeModel } from './NodeModel.ts';

export class BeamView implements SourceView {
  private sentRows = new Map<Pid, ProcessRow>();
  private sentSupervisors = new Map<Pid, SupervisorRow>();
  private seenEvents = 0;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly model: NodeModel,
    options: ViewOptions,
    private readonly periodMs: number,
    private readonly pollRate: number,
    private readonly onClose: (v: BeamView) => void,
  ) {
    model.wants.set(this, { limit: options.limit, sortBy: options.sortBy, include: options.include });
  }

  async snapshot(): Promise<SourceSnapshot> {
    await this.pollNow();
    const m = this.model;
    const shown = this.shown();
    this.sentRows = new Map(shown.map((r) => [r.pid, r]));
    this.sentSupervisors = new Map([...m.supervisors].map(([pid, s]) => [pid, s.row]));
    const backlog = m.eventsSince(Math.max(0, m.eventCount - m.events.size)).events;
    this.seenEvents = m.eventCount;
    return {
      // When the figures were read: a tick between reads repeats them, and must not read as a second with no work.
      at: this.model.statsAt || Date.now(),
      node: this.node(),
      schedulers: m.schedulers,
      processes: shown,
      processTotal: m.processTotal,
      supervisors: [...this.sentSupervisors.values()],
      applications: m.applications,
      backlog,
    };
  }

  delta(): SourceDelta {
    const m = this.model;
    m.pollIfDue(this.periodMs);
    const processes: ProcessRow[] = [];
    const next = new Map<Pid, ProcessRow>();
    for (const row of this.shown()) {
      next.set(row.pid, row);
      if (this.sentRows.get(row.pid) !== row) processes.push(row);
    }
    const removed: Pid[] = [];
    for (const pid of this.sentRows.keys()) if (!next.has(pid)) removed.push(pid);
    this.sentRows = next;
    const supervisors: SupervisorRow[] = [];
    const nextSups = new Map<Pid, SupervisorRow>();
    for (const [pid, s] of m.supervisors) {
      nextSups.set(pid, s.row);
      if (this.sentSupervisors.get(pid) !== s.row) supervisors.push(s.row);
    }
    const removedSupervisors: Pid[] = [];
    for (const pid of this.sentSupervisors.keys()) if (!nextSups.has(pid)) removedSupervisors.push(pid);
    this.sentSupervisors = nextSups;
    const { events, dropped } = m.eventsSince(this.seenEvents);
    this.seenEvents = m.eventCount;
    return {
      // When the figures were read: a tick between reads repeats them, and must not read as a second with no work.
      at: this.model.statsAt || Date.now(),
      node: this.node(),
      schedulers: m.schedulers,
      processes,
      removed,
      processTotal: m.processTotal,
      supervisors,
      removedSupervisors,
      applications: m.applications,
      events,
      dropped,
    };
  }

  /** Ticks come at the bridge's rate, and at once when the model changed in between. */
  get minPeriodMs(): number {
    return this.periodMs;
  }

  onChange(wake: () => void): void {
    this.unlisten?.();
    this.unlisten = this.model.onChange(wake);
  }

  close(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.model.wants.delete(this);
    this.model.shownBy.delete(this);
    this.onClose(this);
  }

  /** A poll that has this view's selection in it: one in flight may have started before the view opened. */
  private async pollNow(): Promise<void> {
    if (this.model.down !== null) return;
    try {
      await this.model.poll();
      if (!this.model.shownBy.has(this) && this.model.down === null) await this.model.poll();
    } catch (e) {
      // The node went down during the poll: the nodedown event that follows tells the story.
      if (this.model.down === null && !/noconnection/.test(String(e))) throw e;
    }
  }

  private shown(): ProcessRow[] {
    const rows: ProcessRow[] = [];
    const pids = this.model.shownBy.get(this);
    if (pids === undefined) return rows;
    for (const pid of pids) {
      const r = this.model.rows.get(pid);
      if (r !== undefined) rows.push(r);
    }
    return rows;
  }

  private node() {
    const m = this.model;
    const stats = m.stats ?? {
      uptimeMs: 0, startedAt: m.info.startedAt, schedulers: m.info.schedulers, processes: 0, reductions: 0, reductionsPerSecond: 0,
      messagesPerSecond: 0, memory: { processes: 0 },
    };
    return stats.beam === undefined ? stats : { ...stats, beam: { ...stats.beam, pollRate: this.pollRate, down: m.down } };
  }
}
