/**
 * One inspector's connection to the endpoint: the handshake, then requests answered in order,
 * a subscription ticking at the rate it asked for, and the processes it watches. Every incoming
 * wire message is checked here, at the edge: size, batch length, rate, envelope, version, type,
 * fields, capability. A failure answers `error` with the code and the request id and changes
 * nothing else; a handler that throws answers `internal` and the runtime carries on.
 */
import type { Clock } from '../core/clock.ts';
import type { Pid } from '../core/pid.ts';
import { Bridge } from '../protocol/Bridge.ts';
import {
  type Capability, type ErrorCode, type InspectorMessage, type InspectorToRuntime, LIMITS, PROTOCOL_VERSION,
  PROTOCOL_VERSIONS, type RuntimeIdentity, type RuntimeToInspector, envelope,
} from '../protocol/messages.ts';
import { type Term, termToValue } from '../protocol/term.ts';
import { REQUIRES, validateMessage, withinSize } from '../protocol/validate.ts';
import type { Wall } from '../protocol/Wall.ts';
import { ChildIndex } from './ChildIndex.ts';
import { type InspectorSource, type SourceView, TypedTerm } from './source.ts';

export interface ConnectionSettings {
  source: InspectorSource;
  identity: () => RuntimeIdentity;
  /** What the host grants this connection at most. */
  capabilities: readonly Capability[];
  clock: Clock;
  /** The least silence (ms) that drops a connection with a heartbeat. */
  minSilenceMs: number;
  /** Answers to the hello go here when the handshake came over a window (with the port). */
  handshake?: (message: unknown) => void;
  onClose: (c: Connection) => void;
}

interface Subscription {
  view: SourceView;
  periodMs: number;
  timer: unknown;
  seq: number;
  busy: boolean;
  /** The source changed since the tick being built: the next one comes at once. */
  woken: boolean;
  /** Supervisor and child id of the children its rows reported, for the deaths it sends. */
  children: ChildIndex;
}

/** Past this many requests per second (LIMITS × FLOOD_FACTOR) the connection is dropped. */
const FLOOD_FACTOR = 10;
/** gen_server:call/2's default timeout. */
const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** Detail watches one connection may hold. */
const MAX_WATCHES = 32;

export class Connection {
  state: 'handshake' | 'open' | 'closed' = 'handshake';
  granted: Capability[] = [];
  readonly bridge: Bridge<RuntimeToInspector, InspectorToRuntime>;
  private version: number = PROTOCOL_VERSION;
  private subscription: Subscription | null = null;
  private readonly watches = new Map<Pid, { mailboxLimit: number; last: string }>();
  /** Pids this inspector turned tracing on for: turned off again when it leaves. */
  private readonly traced = new Set<Pid>();
  private windowStart = 0;
  private windowCount = 0;
  private heartbeatMs = 0;
  private lastHeard = 0;
  private silenceTimer: unknown = null;
  private readonly unlisten: () => void;
  /**
   * Ids of requests taken but not yet answered (an answer may wait on a worker). When the runtime
   * closes the connection (a flood, silence, the page going away) each still gets its one answer,
   * before the goodbye.
   */
  private readonly pending = new Set<number>();

  constructor(
    wall: Wall,
    private readonly settings: ConnectionSettings,
  ) {
    this.bridge = new Bridge(wall, { warn: () => {} });
    // Every answer goes out through here: whatever carries an id settles that request.
    const send = this.bridge.send.bind(this.bridge);
    this.bridge.send = (type, payload, id) => {
      if (id !== undefined) this.pending.delete(id);
      send(type, payload, id);
    };
    this.unlisten = wall.listen((raw) => this.receive(raw));
    this.lastHeard = settings.clock.now();
  }

  /** Takes one wire message: an envelope or a batch of them. */
  receive(raw: unknown): void {
    if (this.state === 'closed') return;
    this.lastHeard = this.settings.clock.now();
    try {
      if (Array.isArray(raw)) {
        if (raw.length > LIMITS.maxBatch) return this.error('too_large', `a batch holds at most ${LIMITS.maxBatch} messages`, undefined);
        for (const m of raw) {
          if ((this.state as Connection['state']) === 'closed') return; // a flood inside the batch closes it
          this.receiveOne(m);
        }
      } else {
        this.receiveOne(raw);
      }
    } catch {
      // Nothing an inspector sends may break the runtime; the checks above should make this unreachable.
      this.error('internal', 'the message could not be handled', undefined);
    }
  }

  private receiveOne(raw: unknown): void {
    if (!this.admit()) return;
    if (!withinSize(raw)) return this.error('too_large', `a message may be at most ${LIMITS.maxIncomingChars} characters`, idOf(raw));
    // Before the hello settles a version, any version this side speaks reads as well as another.
    const v = validateMessage(raw, this.state === 'handshake' ? knownVersion(raw) : this.version);
    if (!v.ok) {
      if (this.state === 'handshake' && isHello(raw)) return this.refuse(v.code, v.reason, v.id);
      return this.error(v.code, v.reason, v.id);
    }
    const m = v.message;
    if (this.state === 'handshake') {
      if (m.type !== 'hello') return this.error('not_connected', "the first message must be 'hello'", m.id);
      return this.hello(m as InspectorMessage<'hello'>);
    }
    if (m.type === 'hello') return this.error('bad_message', 'already connected', m.id);
    const needs = REQUIRES[m.type];
    if (needs !== null && !this.granted.includes(needs)) return this.error('not_permitted', `'${m.type}' needs the '${needs}' capability`, m.id);
    if (m.id !== undefined && m.type !== 'goodbye') this.pending.add(m.id);
    this.dispatch(m);
  }

  /** Counts a request against the rate limit; false when it must be refused (or the connection was dropped). */
  private admit(): boolean {
    const now = this.settings.clock.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount <= LIMITS.maxRequestsPerSecond) return true;
    if (this.windowCount > LIMITS.maxRequestsPerSecond * FLOOD_FACTOR) {
      this.close('flood: too many messages', true);
      return false;
    }
    // One error per second for the whole excess: answering each would be a flood of our own.
    if (this.windowCount === LIMITS.maxRequestsPerSecond + 1) this.error('rate_limited', `at most ${LIMITS.maxRequestsPerSecond} messages per second`, undefined);
    return false;
  }

  // --- Handshake ---

  private hello(m: InspectorMessage<'hello'>): void {
    // The intersection: a capability this runtime does not know (a newer client's) is simply not granted.
    const granted = this.settings.capabilities.filter((c) => (m.capabilities as readonly string[]).includes(c));
    if (granted.length === 0) return this.refuse('not_permitted', `none of the capabilities asked for (${m.capabilities.join(', ') || 'none'}) is granted here`, m.id);
    this.version = m.version;
    this.bridge.setVersion(m.version);
    this.granted = granted;
    this.state = 'open';
    if (m.heartbeatMs !== undefined) {
      this.heartbeatMs = m.heartbeatMs;
      this.armSilence();
    }
    const welcome = { runtime: this.settings.identity(), granted, versions: PROTOCOL_VERSIONS };
    if (this.settings.handshake !== undefined) {
      this.settings.handshake(envelope('welcome', welcome, m.id, this.version));
    } else {
      this.bridge.send('welcome', welcome, m.id);
    }
  }

  private refuse(code: ErrorCode, reason: string, id: number | undefined): void {
    const refused = { reason, code, versions: PROTOCOL_VERSIONS };
    if (this.settings.handshake !== undefined) this.settings.handshake(envelope('refused', refused, id));
    else this.bridge.send('refused', refused, id);
    this.close(null, false);
  }

  private armSilence(): void {
    // Never less than minSilenceMs: a hidden tab runs its ping timer once a minute.
    const limit = Math.max(this.heartbeatMs * 3, this.settings.minSilenceMs);
    const check = (): void => {
      if (this.state === 'closed') return;
      const quiet = this.settings.clock.now() - this.lastHeard;
      if (quiet >= limit) this.close('the inspector went silent', true);
      else this.silenceTimer = this.settings.clock.setTimeout(check, limit - quiet);
    };
    this.silenceTimer = this.settings.clock.setTimeout(check, limit);
  }

  // --- Requests ---

  private dispatch(m: InspectorMessage): void {
    const { source } = this.settings;
    const id = m.id;
    switch (m.type) {
      case 'ping':
        return this.bridge.send('pong', {}, id);
      case 'goodbye':
        return this.close(null, false);
      case 'subscribe':
        return this.subscribe(m as InspectorMessage<'subscribe'>);
      case 'unsubscribe':
        this.stopSubscription();
        return this.bridge.send('ok', {}, id);
      case 'resync':
        if (this.subscription === null) return this.error('bad_argument', "'resync' needs a subscription", id);
        return void this.sendSnapshot(this.subscription, id, false);
      case 'inspect': {
        const { pid, mailboxLimit = LIMITS.defaultMailboxPreview, watch = false } = m as InspectorMessage<'inspect'>;
        if (watch && !this.watches.has(pid) && this.watches.size >= MAX_WATCHES) return this.error('bad_argument', `at most ${MAX_WATCHES} processes may be watched`, id);
        return this.answer(id, () => this.readDetail(pid, mailboxLimit), (detail) => {
          if (watch && detail !== null) this.watches.set(pid, { mailboxLimit, last: JSON.stringify(detail) });
          this.bridge.send('process_detail', { pid, detail }, id);
        });
      }
      case 'unwatch':
        this.watches.delete((m as InspectorMessage<'unwatch'>).pid);
        return this.bridge.send('ok', {}, id);
      case 'tables':
        return this.answer(id, () => source.tables(), (tables) => this.bridge.send('tables', { tables }, id));
      case 'table': {
        const { table, offset = 0, limit = 100 } = m as InspectorMessage<'table'>;
        return this.answer(id, () => source.table(table, offset, limit), (r) => {
          if (r === null) this.error('not_found', `no table '${table}'`, id);
          else this.bridge.send('table', { table, total: r.total, offset, rows: r.rows }, id);
        });
      }
      case 'kill': {
        const { pid } = m as InspectorMessage<'kill'>;
        return this.answer(id, () => source.exit(pid, 'kill'), (r) => this.commandDone(r, pid, id));
      }
      case 'exit': {
        const { pid, reason, typed } = m as InspectorMessage<'exit'>;
        return this.answer(id, () => source.exit(pid, typed === true ? this.term(reason as Term) : reason), (r) => this.commandDone(r, pid, id));
      }
      case 'send': {
        const { to, message, typed } = m as InspectorMessage<'send'>;
        return this.answer(id, () => source.send(to, typed === true ? this.term(message as Term) : message), (r) => this.commandDone(r, to, id));
      }
      case 'call': {
        const { to, request, timeout = DEFAULT_CALL_TIMEOUT_MS } = m as InspectorMessage<'call'>;
        if (source.call === undefined) return this.error('bad_argument', 'this runtime cannot make calls', id);
        return this.answer(id, () => source.call!(to, termToValue(request), timeout), (outcome) => this.bridge.send('ok', { result: outcome }, id));
      }
      case 'cast': {
        const { to, request } = m as InspectorMessage<'cast'>;
        if (source.cast === undefined) return this.error('bad_argument', 'this runtime cannot cast', id);
        return this.answer(id, () => source.cast!(to, termToValue(request)), (r) => this.commandDone(r, to, id));
      }
      case 'trace': {
        const { pids, on } = m as InspectorMessage<'trace'>;
        return this.answer(id, () => source.trace(pids, on), (missing) => {
          for (const pid of pids) if (on && !missing.includes(pid)) this.traced.add(pid);
          else this.traced.delete(pid);
          if (missing.length === pids.length) this.error('noproc', `no live process: ${missing.join(', ')}`, id);
          else this.bridge.send('ok', { result: { traced: pids.filter((p) => !missing.includes(p)), noproc: missing } }, id);
        });
      }
      case 'startApplication': {
        const { name } = m as InspectorMessage<'startApplication'>;
        return this.answer(id, () => source.startApplication(name), (r) => {
          if ('ok' in r) this.bridge.send('ok', { result: r.ok }, id);
          else if (r.error === 'not_found') this.error('not_found', `no application '${name}' can be started here`, id);
          else if (r.error === 'already_started') this.error('bad_argument', `application '${name}' is already started`, id);
          else this.error('internal', r.error, id);
        });
      }
      case 'suspend':
      case 'resume': {
        // sys:suspend/1 speaks to a process that runs sys (a GenServer); to any other the system
        // message would be a stray message in its mailbox, so it is refused instead.
        const { pid } = m as InspectorMessage<'suspend'>;
        const request = m.type;
        return this.answer(id, () => source.detail(pid, 0), (d) => {
          if (d === null) this.error('noproc', `no live process ${pid}`, id);
          else if (d.sys === undefined) this.error('not_found', `${pid} runs no GenServer: only a process that answers sys can be suspended`, id);
          else this.answer(id, () => source.send(pid, { type: '$system', request }), (r) => this.commandDone(r, pid, id));
        });
      }
      case 'stopApplication': {
        const { name } = m as InspectorMessage<'stopApplication'>;
        return this.answer(id, () => source.stopApplication(name), (r) => {
          if (r === 'ok') this.bridge.send('ok', {}, id);
          else this.error('not_found', `no running application '${name}'`, id);
        });
      }
    }
  }

  /** A typed term as the source takes it: as it is (the BEAM bridge), or as a JavaScript value. */
  private term(t: Term): unknown {
    return this.settings.source.typedTerms === true ? new TypedTerm(t) : termToValue(t);
  }

  private commandDone(r: 'ok' | 'noproc', who: string, id: number | undefined): void {
    if (r === 'ok') this.bridge.send('ok', {}, id);
    else this.error('noproc', `no live process ${who.slice(0, 64)}`, id);
  }

  /** Runs a source call (maybe async) and hands its value on; a throw becomes `internal`. */
  private answer<T>(id: number | undefined, run: () => T | Promise<T>, then: (value: T) => void): void {
    let r: T | Promise<T>;
    try {
      r = run();
    } catch (e) {
      return this.error('internal', describeError(e), id);
    }
    if (r instanceof Promise) {
      r.then(
        (value) => {
          if (this.state === 'open') then(value);
        },
        (e: unknown) => this.error('internal', describeError(e), id),
      );
    } else {
      then(r);
    }
  }

  private async readDetail(pid: Pid, mailboxLimit: number) {
    const { source } = this.settings;
    const d = await source.detail(pid, mailboxLimit);
    return d === null ? null : { ...d, events: source.recentEvents(pid, 50) };
  }

  // --- Subscription ---

  private subscribe(m: InspectorMessage<'subscribe'>): void {
    this.stopSubscription();
    const rate = m.rate ?? LIMITS.defaultRate;
    const view = this.settings.source.openView({
      limit: m.processes?.limit ?? LIMITS.defaultProcessLimit,
      sortBy: m.processes?.sortBy ?? 'reductions',
      include: m.processes?.include ?? [],
    });
    const sub: Subscription = { view, periodMs: Math.max(1000 / rate, view.minPeriodMs ?? 0), timer: null, seq: 0, busy: false, woken: false, children: new ChildIndex() };
    this.subscription = sub;
    view.onChange?.(() => this.wake(sub));
    void this.sendSnapshot(sub, m.id, true);
  }

  private async sendSnapshot(sub: Subscription, id: number | undefined, first: boolean): Promise<void> {
    if (sub.busy) {
      // A tick is being built: take the snapshot right after it.
      this.settings.clock.setTimeout(() => void this.sendSnapshot(sub, id, first), 0);
      return;
    }
    sub.busy = true;
    try {
      const snap = await sub.view.snapshot();
      if (this.subscription !== sub) return;
      const { backlog, ...rest } = snap;
      sub.children.clear();
      sub.children.note(rest.supervisors, rest.processes);
      this.bridge.send('snapshot', { ...rest, seq: ++sub.seq, available: this.settings.source.available() }, id);
      if (first && backlog.length > 0) this.bridge.send('events', { events: backlog, backlog: true });
    } catch (e) {
      this.error('internal', describeError(e), id);
    } finally {
      sub.busy = false;
    }
    if (first) this.schedule(sub);
  }

  private schedule(sub: Subscription): void {
    sub.timer = this.settings.clock.setTimeout(() => void this.tick(sub), sub.woken ? 0 : sub.periodMs);
    sub.woken = false;
  }

  /** The source changed between ticks (SourceView.onChange): the next tick comes now, once for any number of changes. */
  private wake(sub: Subscription): void {
    if (this.subscription !== sub || this.state !== 'open' || sub.woken) return;
    sub.woken = true;
    // Before the first snapshot, or while a tick is being built, it is scheduled when that is done.
    if (sub.busy || sub.timer === null) return;
    this.settings.clock.clearTimeout(sub.timer);
    this.schedule(sub);
  }

  private async tick(sub: Subscription): Promise<void> {
    if (this.subscription !== sub || this.state !== 'open') return;
    if (!sub.busy) {
      sub.busy = true;
      try {
        const { events: raw, dropped, ...delta } = await sub.view.delta();
        if (this.subscription !== sub) return;
        sub.children.note(delta.supervisors, delta.processes);
        const events = sub.children.complete(raw);
        if (this.version >= 2) {
          // v2: the tick's facts ride in the delta whose rows they explain.
          this.bridge.send('delta', { ...delta, seq: ++sub.seq, events, ...(dropped > 0 ? { dropped } : {}) });
        } else {
          this.bridge.send('delta', { ...delta, seq: ++sub.seq });
          if (events.length > 0 || dropped > 0) this.bridge.send('events', dropped > 0 ? { events, dropped } : { events });
        }
        await this.sendWatched();
      } catch (e) {
        this.error('internal', describeError(e), undefined);
      } finally {
        sub.busy = false;
      }
    }
    if (this.subscription === sub) this.schedule(sub);
  }

  /** Watched processes' details, each only when it changed since it was last sent. */
  private async sendWatched(): Promise<void> {
    for (const [pid, w] of this.watches) {
      const detail = await this.readDetail(pid, w.mailboxLimit);
      const text = JSON.stringify(detail);
      if (text === w.last) continue;
      w.last = text;
      this.bridge.send('process_detail', { pid, detail });
      if (detail === null) this.watches.delete(pid);
    }
  }

  private stopSubscription(): void {
    const sub = this.subscription;
    if (sub === null) return;
    this.subscription = null;
    if (sub.timer !== null) this.settings.clock.clearTimeout(sub.timer);
    sub.view.close();
  }

  // --- Errors and closing ---

  private error(code: ErrorCode, message: string, id: number | undefined): void {
    if (this.state === 'closed') return;
    this.bridge.send('error', { code, message }, id);
  }

  /** Ends the connection; with a reason, tells the inspector first. */
  close(reason: string | null, tell: boolean): void {
    if (this.state === 'closed') return;
    if (tell && reason !== null && this.state === 'open') {
      for (const id of [...this.pending]) this.error('not_connected', `the runtime closed the connection before answering (${reason})`, id);
      this.bridge.send('goodbye', { reason });
    }
    this.state = 'closed';
    this.stopSubscription();
    this.watches.clear();
    if (this.traced.size > 0) {
      try {
        void Promise.resolve(this.settings.source.trace([...this.traced], false)).catch(() => {});
      } catch {
        // The source is going away too; nothing to undo.
      }
      this.traced.clear();
    }
    if (this.silenceTimer !== null) this.settings.clock.clearTimeout(this.silenceTimer);
    this.unlisten();
    this.bridge.shutdown();
    this.settings.onClose(this);
  }
}

function idOf(raw: unknown): number | undefined {
  try {
    const id = (raw as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

function knownVersion(raw: unknown): number {
  try {
    const v = (raw as { version?: unknown } | null)?.version;
    return (PROTOCOL_VERSIONS as readonly unknown[]).includes(v) ? (v as number) : PROTOCOL_VERSION;
  } catch {
    return PROTOCOL_VERSION;
  }
}

function isHello(raw: unknown): boolean {
  try {
    return (raw as { type?: unknown } | null)?.type === 'hello';
  } catch {
    return false;
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
