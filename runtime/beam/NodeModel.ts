/**
 * What the bridge knows of the target node, refreshed by polls at the served rate and, between
 * polls, by the lifecycle the probe reports: a monitored process's DOWN re-reads its supervisor's
 * children at once, so a restart (same child id, new pid) is seen within milliseconds, not at the
 * next poll. Views (BeamView.ts) send what changed here since they last looked.
 *
 * Polls run on their own, at the served rate while a view is open; views never wait for one
 * (BeamView.ts), so what the lifecycle brings between polls goes out at the next tick.
 *
 * Cost on the target per poll (DESIGN decision 7): one pass over all processes reading only
 * reductions (ranking needs it; the probe ranks it and keeps the previous pass, so the bridge
 * gets only the rows it shows), then process_info for the rows shown only, with the dictionary
 * (proc_lib's `$initial_call`) read once per process; node figures; and which_children for each
 * supervisor of the running applications, each bounded by a timeout on the target.
 */
import type { Pid } from '../core/pid.ts';
import { pidNumber } from '../core/pid.ts';
import type { ApplicationRow, InspectorEvent, NodeStats, ProcessRow, ProcessSortKey, SchedulerRow, SupervisorRow } from '../protocol/messages.ts';
import { LIMITS } from '../protocol/messages.ts';
import { Ring } from '../inspector/FlightRecorder.ts';
import { RemotePid, atom, type Encodable, Tuple, tuple } from './etf.ts';
import { APPLICATIONS, INFO, PASS, STATS } from './expressions.ts';
import type { Probe } from './Probe.ts';
import {
  type ChildFacts, FIXED_ITEMS, type FixedFacts, ROW_ITEMS, type RestartRecord, type SupervisorFacts, type WhichChild,
  type PassRow, type RankedPass, applicationRows, behaviourOf, fixedFacts, isPidText, memoryByType, pidNumbers, processRow, props, rankedPass,
  restartKey, schedulerRows, supervisorFacts, supervisorRow, whichChildren,
} from './translate.ts';

export interface NodeInfo {
  node: string;
  otpRelease: string;
  ertsVersion: string;
  systemVersion: string;
  creation: number;
  schedulers: number;
  processLimit: number;
  startedAt: number;
  osPid: string;
}

/** What one view wants shown: the top `limit` by `sortBy`, plus `include`. */
export interface Wanted {
  limit: number;
  sortBy: ProcessSortKey;
  include: readonly Pid[];
}

interface Supervised {
  children: WhichChild[];
  facts: SupervisorFacts | null;
  row: SupervisorRow;
}

/** How long a call to a supervisor may take on the target (which_children, sys:get_state). */
const SUP_CALL_MS = 1000;
/** Rows whose reductions did not move are re-read one poll in this many (mailbox and memory move without them). */
const ROTATION = 5;
/**
 * Reductions a poll itself may add to a process: process_info/2 with a list of items is served
 * by the process, as a signal, and counts a reduction to it (the pass's single item does not).
 * A process that gained no more than this did nothing of its own.
 */
const OWN_REDUCTIONS = 2;
/** A supervisor that still lists the dead pid is asked again after this many ms, this many times. */
const REREAD_MS = 15;
const REREADS = 20;
/** How long the all-process pass may take on the target. */
const PASS_MS = 10_000;
/** The scheduler utilization window sampled inside the stats call. */
const SAMPLE_MS = 100;

export class NodeModel {
  info: NodeInfo;
  /** Bumped on each change; views compare it to what they sent. */
  version = 0;
  stats: NodeStats | null = null;
  /** When the node's figures were read (0 before the first read). */
  statsAt = 0;
  schedulers: SchedulerRow[] = [];
  applications: ApplicationRow[] = [];
  readonly rows = new Map<Pid, ProcessRow>();
  readonly supervisors = new Map<Pid, Supervised>();
  processTotal = 0;
  /** Every event in order; views keep their own read position. */
  readonly events = new Ring<InspectorEvent>(LIMITS.eventBacklog);
  eventCount = 0;
  down: { since: number; reason: string } | null = null;
  /** The per-view selections, set by the views. */
  readonly wants = new Map<object, Wanted>();
  readonly shownBy = new Map<object, Set<Pid>>();

  private readonly fixed = new Map<Pid, FixedFacts>();
  private readonly childOf = new Map<Pid, { supervisor: Pid; id: string }>();
  private readonly restarts = new Map<string, RestartRecord>();
  private readonly verified = new Map<Pid, boolean>();
  private prevStats: { at: number; reductions: number } | null = null;
  private polls = 0;
  private rereading = new Map<Pid, Array<{ id: string; oldPid: Pid; reason: string }>>();
  private polling: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  private lastPollAt = -Infinity;
  private lastPollEnd = -Infinity;

  constructor(
    private readonly probe: Probe,
    info: NodeInfo,
    private readonly now: () => number = Date.now,
  ) {
    this.info = info;
  }

  // --- Polls ---

  /** One poll; concurrent callers share the one in flight. */
  poll(): Promise<void> {
    if (this.polling === null) {
      this.lastPollAt = this.now();
      this.polling = this.pollOnce().finally(() => {
        this.polling = null;
        this.lastPollEnd = this.now();
      });
    }
    return this.polling;
  }

  /**
   * Starts a poll when the period has passed since the last one started, and does not wait for
   * it: views send what the model holds, so a slow poll never holds up a tick (nor the exit or
   * restart that the lifecycle brought in between). Polls never follow each other back to back:
   * a target slower to read than the period is read less often.
   */
  pollIfDue(periodMs: number): void {
    const now = this.now();
    if (this.polling !== null || this.down !== null || now - this.lastPollAt < periodMs * 0.9 || now - this.lastPollEnd < periodMs / 4) return;
    this.poll().catch(() => {
      // The node went down during the poll (the nodedown event tells it), or a read failed: the next poll tries again.
    });
  }

  private async pollOnce(): Promise<void> {
    if (this.down !== null) return;
    const sortKey = this.passKey();
    const views = [...this.wants];
    const tree = [...this.supervisors.keys(), ...this.childOf.keys()];
    const item = sortKey === 'reductions' ? atom('reductions') : [atom('reductions'), atom(sortKey)];
    const wanted = views.map(([, w]) => tuple(w.limit, atom(w.sortBy), w.include.filter(isPidText).map(pidNumbers)));
    const [pass, stats, apps] = await Promise.all([
      this.probe.request(tuple(atom('pass'), PASS, [tuple(atom('Item'), item)], PASS_MS, wanted, tree.map(pidNumbers)), PASS_MS + 5000),
      this.eval(STATS, [['SampleMs', SAMPLE_MS]]),
      this.eval(APPLICATIONS, []),
    ]);
    const at = this.now();
    this.polls++;
    const ranked = rankedPass(pass, views.length);
    this.processTotal = ranked.total;
    this.readStats(stats, at);
    const appsTuple = apps instanceof Tuple ? apps : Tuple.make(null, []);
    this.applications = applicationRows(appsTuple[1], appsTuple[0]);
    await this.walkTrees(this.applications.map((a) => a.root).filter((r): r is Pid => r !== null));
    await this.readRows(views, ranked);
    this.changed();
  }

  private passKey(): 'reductions' | 'message_queue_len' | 'memory' {
    let key: 'reductions' | 'message_queue_len' | 'memory' = 'reductions';
    for (const w of this.wants.values()) {
      if (w.sortBy === 'mailbox') key = 'message_queue_len';
      else if (w.sortBy === 'memory') key = 'memory';
    }
    return key;
  }

  private readStats(v: unknown, at: number): void {
    if (!(v instanceof Tuple)) return;
    this.statsAt = at;
    const [uptime, reductions, processes, memory, runQueues, w0, w1, io] = v as unknown as [number, number, number, unknown, unknown, unknown, unknown, number];
    const prev = this.prevStats;
    const seconds = prev === null ? 0 : (at - prev.at) / 1000;
    const memoryTypes = memoryByType(memory);
    this.stats = {
      uptimeMs: uptime,
      startedAt: this.info.startedAt,
      schedulers: this.info.schedulers,
      processes,
      reductions,
      reductionsPerSecond: seconds > 0 ? Math.max(0, (reductions - prev!.reductions) / seconds) : 0,
      // The BEAM keeps no count of messages sent; the mailboxes' total is in the process rows.
      messagesPerSecond: 0,
      memory: { processes: memoryTypes.processes ?? 0, total: memoryTypes.total ?? 0 },
      beam: {
        node: this.info.node,
        otpRelease: this.info.otpRelease,
        ertsVersion: this.info.ertsVersion,
        processLimit: this.info.processLimit,
        memoryByType: memoryTypes,
        ioBytes: typeof io === 'number' ? io : 0,
        pollRate: 0,
        restartsSince: this.info.startedAt,
        down: this.down,
      },
    };
    this.prevStats = { at, reductions };
    this.schedulers = schedulerRows(w0, w1, this.info.schedulers, runQueues);
  }

  // --- Supervision trees ---

  /** Walks every tree from its root, level by level, each level's supervisors asked at once. */
  private async walkTrees(roots: Pid[]): Promise<void> {
    const seen = new Set<Pid>();
    let level = await this.onlySupervisors(roots);
    while (level.length > 0) {
      const children = await this.probe.request(tuple(atom('children'), level.map(this.pidTerm), SUP_CALL_MS), 10_000) as unknown[];
      const fresh: Pid[] = [];
      for (const [sup, result] of pairs(children)) {
        seen.add(sup);
        if (!(result instanceof Tuple) || result[0] !== 'ok') continue;
        const list = whichChildren(result[1]);
        const old = this.supervisors.get(sup);
        if (old === undefined || !sameChildren(old.children, list)) fresh.push(sup);
        this.setChildren(sup, list, old?.facts ?? null);
      }
      await this.readFacts(fresh);
      const next: Pid[] = [];
      for (const sup of level) for (const c of this.supervisors.get(sup)?.children ?? []) if (c.type === 'supervisor' && c.pid !== null && !seen.has(c.pid)) next.push(c.pid);
      level = await this.onlySupervisors(next);
    }
    // Supervisors no longer in any tree.
    for (const sup of [...this.supervisors.keys()]) {
      if (!seen.has(sup)) this.dropSupervisor(sup);
    }
    await this.monitorTree();
  }

  /**
   * Only processes that run the supervisor behaviour are asked which_children: another
   * gen_server would take the call as an unexpected request (and may crash on it). Known from
   * proc_lib's `$initial_call` ({supervisor, Module, 1}), read once per pid.
   */
  private async onlySupervisors(pids: Pid[]): Promise<Pid[]> {
    const unknown = pids.filter((p) => !this.verified.has(p));
    if (unknown.length > 0) {
      const infos = await this.eval(INFO, [['Pids', unknown.map(this.pidTerm)], ['Items', [atom('dictionary'), atom('current_function')]]]) as unknown[];
      unknown.forEach((p, i) => {
        const m = props(infos[i]);
        this.verified.set(p, behaviourOf(props(m.get('dictionary')).get('$initial_call'), m.get('current_function')) === 'supervisor');
      });
    }
    return pids.filter((p) => this.verified.get(p) === true);
  }

  private async readFacts(sups: Pid[]): Promise<void> {
    if (sups.length === 0) return;
    const states = await this.probe.request(tuple(atom('sup_states'), sups.map(this.pidTerm), SUP_CALL_MS), 10_000) as unknown[];
    for (const [sup, r] of pairs(states)) {
      const s = this.supervisors.get(sup);
      if (s === undefined || !(r instanceof Tuple) || r[0] !== 'ok') continue;
      this.setChildren(sup, s.children, supervisorFacts(r[1]));
    }
  }

  private setChildren(sup: Pid, children: WhichChild[], facts: SupervisorFacts | null): void {
    const old = this.supervisors.get(sup);
    for (const c of old?.children ?? []) if (c.pid !== null && this.childOf.get(c.pid)?.supervisor === sup) this.childOf.delete(c.pid);
    for (const c of children) if (c.pid !== null) this.childOf.set(c.pid, { supervisor: sup, id: c.id });
    const row = supervisorRow(sup, children, facts, this.restarts);
    const same = old !== undefined && JSON.stringify(old.row) === JSON.stringify(row);
    this.supervisors.set(sup, { children, facts, row: same ? old.row : row });
  }

  private dropSupervisor(sup: Pid): void {
    const s = this.supervisors.get(sup);
    if (s === undefined) return;
    for (const c of s.children) if (c.pid !== null && this.childOf.get(c.pid)?.supervisor === sup) this.childOf.delete(c.pid);
    this.supervisors.delete(sup);
  }

  /** Every process in a tree is monitored, so its exit arrives with its real reason. */
  private async monitorTree(): Promise<void> {
    const pids: Pid[] = [...this.supervisors.keys(), ...this.childOf.keys()];
    if (pids.length > 0) await this.probe.request(tuple(atom('monitor'), pids.map(this.pidTerm)));
  }

  // --- Lifecycle between polls ---

  /** A monitored process exited: say so, and re-read its supervisor at once. */
  processDown(pid: Pid, reason: string): void {
    const at = this.now();
    const parent = this.childOf.get(pid);
    this.record({ type: 'orchard.process.exited', at, pid, reason, ...(parent === undefined ? {} : { supervisor: parent.supervisor, childId: parent.id }) });
    this.rows.delete(pid);
    this.fixed.delete(pid);
    this.verified.delete(pid);
    if (this.supervisors.has(pid)) this.dropSupervisor(pid);
    this.changed();
    if (parent === undefined) return;
    const pending = this.rereading.get(parent.supervisor);
    const item = { id: parent.id, oldPid: pid, reason };
    if (pending !== undefined) {
      pending.push(item);
      return;
    }
    this.rereading.set(parent.supervisor, [item]);
    void this.reread(parent.supervisor, 0);
  }

  private async reread(sup: Pid, attempt: number): Promise<void> {
    let list: WhichChild[] | null = null;
    try {
      const r = (await this.probe.request(tuple(atom('children'), [this.pidTerm(sup)], SUP_CALL_MS), 10_000)) as unknown[];
      const result = pairs(r)[0]?.[1];
      if (result instanceof Tuple && result[0] === 'ok') list = whichChildren(result[1]);
    } catch {
      list = null;
    }
    const pending = this.rereading.get(sup) ?? [];
    if (list === null) {
      // The supervisor is gone too (one_for_all above it, or it gave up): its parent's re-read finds the new one.
      this.rereading.delete(sup);
      return;
    }
    const waiting = pending.filter((p) => {
      const c = list!.find((x) => x.id === p.id);
      return c !== undefined && (c.pid === p.oldPid || c.state === 'restarting');
    });
    if (waiting.length > 0 && attempt < REREADS) {
      setTimeout(() => void this.reread(sup, attempt + 1), REREAD_MS);
      return;
    }
    this.rereading.delete(sup);
    const at = this.now();
    for (const p of pending) {
      const c = list.find((x) => x.id === p.id);
      if (c === undefined || c.pid === null || c.pid === p.oldPid) continue;
      const key = restartKey(sup, p.id);
      const r = this.restarts.get(key) ?? { count: 0, lastExitReason: null, lastRestartAt: null };
      this.restarts.set(key, { count: r.count + 1, lastExitReason: p.reason, lastRestartAt: at });
      this.record({ type: 'orchard.supervisor.restarted', at, supervisor: sup, childId: p.id, oldPid: p.oldPid, newPid: c.pid, reason: p.reason, count: r.count + 1 });
    }
    const facts = this.supervisors.get(sup)?.facts ?? null;
    this.setChildren(sup, list, facts);
    // New supervisors below (a restarted subtree) are walked now, not at the next poll.
    const newSups = list.filter((c) => c.type === 'supervisor' && c.pid !== null && !this.supervisors.has(c.pid)).map((c) => c.pid!);
    try {
      if (newSups.length > 0) await this.walkSubtrees(newSups);
      else await this.monitorTree();
      await this.readNewRows(list.map((c) => c.pid).filter((p): p is Pid => p !== null && !this.rows.has(p)));
    } catch {
      // The node went away meanwhile; the next poll or nodedown says so.
    }
    this.changed();
  }

  private async walkSubtrees(roots: Pid[]): Promise<void> {
    let level = await this.onlySupervisors(roots);
    while (level.length > 0) {
      const children = (await this.probe.request(tuple(atom('children'), level.map(this.pidTerm), SUP_CALL_MS), 10_000)) as unknown[];
      const next: Pid[] = [];
      for (const [sup, result] of pairs(children)) {
        if (!(result instanceof Tuple) || result[0] !== 'ok') continue;
        const list = whichChildren(result[1]);
        this.setChildren(sup, list, null);
        for (const c of list) if (c.type === 'supervisor' && c.pid !== null) next.push(c.pid);
      }
      await this.readFacts(level);
      level = await this.onlySupervisors(next);
    }
    await this.monitorTree();
  }

  // --- Rows ---

  /**
   * Each view's rows as the probe ranked them, with every process of the trees; then reads the
   * rows that are new or may have changed (their reductions moved, or their turn came round).
   */
  private async readRows(views: Array<[object, Wanted]>, ranked: RankedPass): Promise<void> {
    const seen = new Map<Pid, PassRow>();
    for (const list of [...ranked.views, ranked.tree]) for (const r of list) seen.set(r.pid, r);
    const tree = new Set<Pid>([...this.supervisors.keys(), ...this.childOf.keys()]);
    const union = new Set<Pid>();
    views.forEach(([view], i) => {
      if (!this.wants.has(view)) return; // closed during the poll
      const shown = new Set<Pid>(ranked.views[i]!.map((r) => r.pid));
      for (const p of tree) shown.add(p);
      this.shownBy.set(view, shown);
      for (const p of shown) union.add(p);
    });
    for (const pid of [...this.rows.keys()]) if (!union.has(pid)) this.rows.delete(pid);
    const deltas = new Map<Pid, number>();
    for (const [pid, r] of seen) deltas.set(pid, r.delta <= OWN_REDUCTIONS ? 0 : r.delta);
    const fresh: Pid[] = [];
    const refresh: Pid[] = [];
    for (const pid of union) {
      const row = this.rows.get(pid);
      const r = seen.get(pid);
      if (row === undefined || !this.fixed.has(pid)) fresh.push(pid);
      // Not in the pass: a process of a tree found in this poll's walk, or one that exited.
      else if (r === undefined || r.reductions - row.reductions > OWN_REDUCTIONS || pidNumber(pid) % ROTATION === this.polls % ROTATION) refresh.push(pid);
      else if (row.reductionsDelta !== deltas.get(pid)) this.rows.set(pid, { ...row, reductionsDelta: deltas.get(pid)! });
    }
    await this.readNewRows(fresh, deltas);
    if (refresh.length > 0) {
      const infos = (await this.eval(INFO, [['Pids', refresh.map(this.pidTerm)], ['Items', ROW_ITEMS.map(atom)]])) as unknown[];
      refresh.forEach((pid, i) => this.setRow(pid, infos[i], deltas.get(pid) ?? 0));
    }
  }

  /** Reads rows in full (fixed facts included) for these pids. */
  async readNewRows(pids: Pid[], deltas?: Map<Pid, number>): Promise<void> {
    if (pids.length === 0) return;
    const items = [...new Set<string>([...FIXED_ITEMS, ...ROW_ITEMS])].map(atom);
    const infos = (await this.eval(INFO, [['Pids', pids.map(this.pidTerm)], ['Items', items]])) as unknown[];
    const at = this.now();
    pids.forEach((pid, i) => {
      const m = props(infos[i]);
      if (m.size === 0) return;
      this.fixed.set(pid, fixedFacts(m, this.fixed.get(pid)?.firstSeen ?? at));
      this.setRow(pid, infos[i], deltas?.get(pid) ?? 0);
    });
  }

  private setRow(pid: Pid, info: unknown, delta: number): void {
    const m = props(info);
    const fixed = this.fixed.get(pid);
    if (m.size === 0 || fixed === undefined) {
      this.rows.delete(pid);
      return;
    }
    this.rows.set(pid, processRow(pid, m, fixed, delta, this.childFacts(pid)));
  }

  private childFacts(pid: Pid): ChildFacts | undefined {
    const c = this.childOf.get(pid);
    if (c === undefined) return undefined;
    const r = this.restarts.get(restartKey(c.supervisor, c.id));
    return { supervisor: c.supervisor, childId: c.id, restarts: r?.count ?? 0, lastExitReason: r?.lastExitReason ?? null };
  }

  // --- Events and node state ---

  /** Tells the views (each wakes its connection's next tick). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  record(e: InspectorEvent): void {
    this.events.push(e);
    this.eventCount++;
  }

  /** The events after the `seen`-th, oldest first (what a view has not sent yet). */
  eventsSince(seen: number): { events: InspectorEvent[]; dropped: number } {
    const missed = this.eventCount - seen;
    const all = this.events.toArray();
    const take = Math.min(missed, all.length);
    return { events: all.slice(all.length - take), dropped: missed - take };
  }

  /** The target went down: nothing of it is shown until it is back. */
  nodeDown(reason: string): void {
    this.down = { since: this.now(), reason };
    this.rows.clear();
    this.supervisors.clear();
    this.childOf.clear();
    this.fixed.clear();
    this.verified.clear();
    this.prevStats = null;
    this.applications = [];
    this.processTotal = 0;
    this.schedulers = [];
    if (this.stats !== null) this.stats = { ...this.stats, processes: 0, beam: { ...this.stats.beam!, down: this.down } };
    this.changed();
  }

  /** The target is back (a new incarnation: new pids, restarts counted afresh). */
  nodeUp(info: NodeInfo): void {
    this.info = info;
    this.down = null;
    this.restarts.clear();
    if (this.stats !== null) this.stats = { ...this.stats, startedAt: info.startedAt, beam: { ...this.stats.beam!, down: null } };
    this.changed();
  }

  /** A pid of the target, as the target's own pid on the wire (its node and creation). */
  readonly pidTerm = (pid: Pid): RemotePid => {
    const m = /^<0\.(\d+)\.(\d+)>$/.exec(pid);
    if (m === null) throw new TypeError(`not a pid: ${pid}`);
    return new RemotePid(this.info.node, Number(m[1]), Number(m[2]), this.info.creation);
  };

  eval(expr: string, bindings: Array<[string, Encodable]>, format: 'raw' | 'whole' | 'each' | 'pair_each' = 'raw', timeoutMs = 5000): Promise<unknown> {
    return this.probe.request(tuple(atom('eval'), expr, bindings.map(([k, v]) => tuple(atom(k), v)), timeoutMs, atom(format)), timeoutMs + 2000);
  }
}

function pairs(list: unknown[]): Array<[Pid, unknown]> {
  const out: Array<[Pid, unknown]> = [];
  for (const x of list) if (x instanceof Tuple && isPidText(x[0])) out.push([x[0], x[1]]);
  return out;
}

function sameChildren(a: WhichChild[], b: WhichChild[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id || a[i]!.pid !== b[i]!.pid) return false;
  return true;
}
