/**
 * The inspector's side of the protocol: attach to a runtime and get an object that hands every
 * envelope the runtime sends to `onMessage`, in order, and answers each request with a value
 * (never a rejection). The Observer app uses exactly this, whatever it inspects, and passes the
 * envelopes to its store in one hop:
 *
 * - `attachLocal()`: this page's runtime (exposed with `exposeInspector`), over a MessageChannel;
 * - `attachFrame(iframe, origin)`, `attachOpener(origin)`, `attachWindow(win, origin)`,
 *   `openAndAttach(url)`: a runtime in another window, over `postMessage` to that exact origin;
 * - `attachPort(port)` / `attachWall(wall)`: any transport (tests use an in-memory pair).
 *
 * @example
 * const client = attachLocal();
 * client.onMessage((m) => store.getState().ingest(m));
 * const subscribed = await client.subscribe({ rate: 10 });
 * if (!subscribed.ok) console.warn(subscribed.code, subscribed.message);
 * const killed = await client.kill('<0.42.0>'); // { ok: false, code: 'noproc', ... } when it is gone
 */
import { Bridge, type MessageOf } from './Bridge.ts';
import {
  type AnyRuntimeMessage, type Capability, type ErrorCode, type InspectorMessage, type InspectorToRuntime, LIMITS, type ProcessDetail,
  type RuntimeIdentity, type RuntimeToInspector, type TableRow, type ValuePreview, envelope, isEnvelope, isOffer,
} from './messages.ts';
import type { Pid } from '../core/pid.ts';
import type { Term } from './term.ts';
import { type PostTarget, type Wall, type WindowLike, portWall } from './Wall.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'refused' | 'disconnected';

/** Why a request failed: a wire error code, or `timeout` / `disconnected` on this side. */
export type ClientErrorCode = ErrorCode | 'timeout' | 'disconnected';

/** A request's outcome, as a value: what it answered, or why it failed. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ClientErrorCode; message: string };

export type Snapshot = RuntimeToInspector['snapshot'];
export type Delta = RuntimeToInspector['delta'];
export type Welcome = RuntimeToInspector['welcome'];
export type SubscribeOptions = InspectorToRuntime['subscribe'];

export interface ClientOptions {
  /** Asked for in the hello (default both; the runtime grants what it allows). */
  capabilities?: Capability[];
  client?: { name: string; version: string };
  /** A request not answered within this many ms fails with `timeout` (default 10 s). */
  timeoutMs?: number;
  /** The handshake gives up after this many ms (default 10 s). */
  handshakeTimeoutMs?: number;
  /** Ping interval; the runtime is called gone after 3 silent intervals. false: no heartbeat. */
  heartbeatMs?: number | false;
}

export interface InspectorClient {
  readonly status: ConnectionStatus;
  readonly runtime: RuntimeIdentity | null;
  readonly granted: readonly Capability[];
  /** The protocol version the handshake settled (null before). */
  readonly version: number | null;
  /** Why the status is `refused` or `disconnected`. */
  readonly reason: { code: ClientErrorCode; message: string } | null;
  /** Settles once: the welcome, or why there is none (refused, timed out). */
  readonly ready: Promise<Result<Welcome>>;
  onStatus(fn: (status: ConnectionStatus) => void): () => void;
  /**
   * Every envelope the runtime sends after the welcome, in the order sent: snapshots, deltas
   * (with their events, v2), events, details, answers, goodbye. Returns the unsubscribe.
   */
  onMessage(fn: (message: AnyRuntimeMessage) => void): () => void;
  /** Starts streaming; the first snapshot is the answer (and also goes to onMessage). */
  subscribe(options?: SubscribeOptions): Promise<Result<Snapshot>>;
  unsubscribe(): Promise<Result<void>>;
  resync(): Promise<Result<Snapshot>>;
  /** One process's details; with `watch`, later changes arrive at onMessage each tick. */
  inspect(pid: Pid, options?: { mailboxLimit?: number; watch?: boolean }): Promise<Result<ProcessDetail | null>>;
  unwatch(pid: Pid): Promise<Result<void>>;
  tables(): Promise<Result<TableRow[]>>;
  table(table: string, options?: { offset?: number; limit?: number }): Promise<Result<{ total: number; offset: number; rows: ValuePreview[] }>>;
  kill(pid: Pid): Promise<Result<void>>;
  /** With `typed`, the reason is a Term (term.ts; protocol v2). */
  exit(pid: Pid, reason: unknown, options?: { typed?: boolean }): Promise<Result<void>>;
  /** With `typed`, the message is a Term (term.ts; protocol v2). */
  send(to: Pid | string, message: unknown | Term, options?: { typed?: boolean }): Promise<Result<void>>;
  trace(pids: Pid[], on: boolean): Promise<Result<{ traced: Pid[]; noproc: Pid[] }>>;
  startApplication(name: string): Promise<Result<{ master: Pid; root: Pid | null }>>;
  stopApplication(name: string): Promise<Result<void>>;
  /** Any request: the message carrying its id (`error` answers come back as `ok: false`). */
  request<K extends keyof InspectorToRuntime>(type: K, payload: InspectorToRuntime[K], options?: { timeoutMs?: number }): Promise<Result<AnyRuntimeMessage>>;
  /** Says goodbye and closes; status becomes `disconnected`. */
  disconnect(): void;
}

type In = MessageOf<RuntimeToInspector>;

interface Pending {
  resolve: (r: Result<AnyRuntimeMessage>) => void;
  timer: ReturnType<typeof setTimeout>;
}

const CLIENT = { name: 'orchard-observer', version: '0.1.0' };

/**
 * The client over an established Wall. `handshake` says how the hello goes out and the welcome
 * comes back: directly over the wall (ports), or through a window (see attachWindow).
 */
class Client implements InspectorClient {
  status: ConnectionStatus = 'connecting';
  runtime: RuntimeIdentity | null = null;
  granted: readonly Capability[] = [];
  version: number | null = null;
  reason: { code: ClientErrorCode; message: string } | null = null;
  readonly ready: Promise<Result<Welcome>>;
  private bridge: Bridge<InspectorToRuntime, RuntimeToInspector> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = {
    status: new Set<(s: ConnectionStatus) => void>(),
    message: new Set<(m: AnyRuntimeMessage) => void>(),
  };
  private readonly timeoutMs: number;
  private readonly heartbeatMs: number | false;
  /** A ping is out and nothing has come back since it left. */
  private pingOutSince: number | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly cleanups: Array<() => void> = [];
  private settle!: (r: Result<Welcome>) => void;

  constructor(readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.heartbeatMs = options.heartbeatMs ?? LIMITS.heartbeatMs;
    this.ready = new Promise<Result<Welcome>>((resolve) => {
      this.settle = resolve;
    });
    const handshakeMs = options.handshakeTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      if (this.status === 'connecting') this.fail('refused', 'timeout', `no answer from the runtime within ${handshakeMs} ms`);
    }, handshakeMs);
    this.cleanups.push(() => clearTimeout(timer));
    // Leaving the page ends the connection with a goodbye, not with silence.
    const page = globalThis as { addEventListener?: (t: string, f: () => void) => void; removeEventListener?: (t: string, f: () => void) => void };
    const onHide = (): void => this.disconnect();
    page.addEventListener?.('pagehide', onHide);
    this.cleanups.push(() => page.removeEventListener?.('pagehide', onHide));
  }

  hello(): InspectorMessage<'hello'> {
    return envelope('hello', {
      capabilities: this.options.capabilities ?? ['observe', 'control'],
      client: this.options.client ?? CLIENT,
      ...(this.heartbeatMs === false ? {} : { heartbeatMs: this.heartbeatMs }),
    }, 0);
  }

  /** The handshake answer arrived (over the window or the port). */
  answered(m: unknown, wall: Wall | null): void {
    if (this.status !== 'connecting' || !isEnvelope(m)) return;
    const e = m as In;
    if (e.type === 'refused') {
      this.fail('refused', e.code, e.reason);
    } else if (e.type === 'welcome' && wall !== null) {
      this.open(wall, e as MessageOf<RuntimeToInspector, 'welcome'>);
    }
  }

  /** Registers teardown work (window listeners, pollers) run on disconnect. */
  onCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  private open(wall: Wall, welcome: MessageOf<RuntimeToInspector, 'welcome'>): void {
    const bridge = new Bridge<InspectorToRuntime, RuntimeToInspector>(wall, { version: welcome.version, warn: () => {} });
    this.bridge = bridge;
    bridge.listen((m) => this.receive(m));
    this.runtime = welcome.runtime;
    this.granted = welcome.granted;
    this.version = welcome.version;
    if (this.heartbeatMs !== false) {
      const every = this.heartbeatMs;
      // Judged by unanswered pings, not by the clock since the last message: a hidden tab runs
      // this timer only once a minute, and that must not look like a dead runtime.
      this.heartbeat = setInterval(() => {
        const out = this.pingOutSince;
        if (out !== null && Date.now() - out >= every * 2) return this.fail('disconnected', 'disconnected', 'the runtime stopped answering');
        if (out === null) this.pingOutSince = Date.now();
        bridge.send('ping', {}, this.nextId++);
      }, every);
    }
    this.setStatus('connected');
    this.settle({ ok: true, value: { runtime: welcome.runtime, granted: welcome.granted, versions: welcome.versions } });
  }

  private receive(m: In): void {
    this.pingOutSince = null;
    if (m.type === 'pong') return;
    const message = m as AnyRuntimeMessage;
    for (const fn of this.listeners.message) call(fn, message);
    if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      if (p !== undefined) {
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        p.resolve(m.type === 'error' ? { ok: false, code: m.code, message: m.message } : { ok: true, value: message });
      }
    }
    if (m.type === 'goodbye') this.fail('disconnected', 'disconnected', m.reason);
  }

  private setStatus(s: ConnectionStatus): void {
    this.status = s;
    for (const fn of this.listeners.status) call(fn, s);
  }

  fail(status: 'refused' | 'disconnected', code: ClientErrorCode, message: string): void {
    if (this.status === 'refused' || this.status === 'disconnected') return;
    this.reason = { code, message };
    this.teardown();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, code: 'disconnected', message: `disconnected: ${message}` });
      this.pending.delete(id);
    }
    this.settle({ ok: false, code, message });
    this.setStatus(status);
  }

  private teardown(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const fn of this.cleanups.splice(0)) fn();
    this.bridge?.shutdown();
  }

  onStatus(fn: (s: ConnectionStatus) => void) {
    return add(this.listeners.status, fn);
  }
  onMessage(fn: (m: AnyRuntimeMessage) => void) {
    return add(this.listeners.message, fn);
  }

  // --- Requests ---

  async request<K extends keyof InspectorToRuntime>(type: K, payload: InspectorToRuntime[K], options?: { timeoutMs?: number }): Promise<Result<AnyRuntimeMessage>> {
    if (this.status === 'connecting') await this.ready;
    const bridge = this.bridge;
    if (this.status !== 'connected' || bridge === null) return { ok: false, code: 'disconnected', message: `'${type}': not connected (${this.status})` };
    const id = this.nextId++;
    return new Promise<Result<AnyRuntimeMessage>>((resolve) => {
      const ms = options?.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, code: 'timeout', message: `'${type}' got no answer within ${ms} ms` });
      }, ms);
      this.pending.set(id, { resolve, timer });
      bridge.send(type, payload, id);
    });
  }

  subscribe(options: SubscribeOptions = {}) {
    return this.ask('subscribe', options, (m) => m as Snapshot);
  }
  unsubscribe() {
    return this.ask('unsubscribe', {}, none);
  }
  resync() {
    return this.ask('resync', {}, (m) => m as Snapshot);
  }
  inspect(pid: Pid, options: { mailboxLimit?: number; watch?: boolean } = {}) {
    return this.ask('inspect', { pid, ...options }, (m) => (m as RuntimeToInspector['process_detail']).detail);
  }
  unwatch(pid: Pid) {
    return this.ask('unwatch', { pid }, none);
  }
  tables() {
    return this.ask('tables', {}, (m) => (m as RuntimeToInspector['tables']).tables);
  }
  table(table: string, options: { offset?: number; limit?: number } = {}) {
    return this.ask('table', { table, ...options }, (m) => {
      const r = m as RuntimeToInspector['table'];
      return { total: r.total, offset: r.offset, rows: r.rows };
    });
  }
  kill(pid: Pid) {
    return this.ask('kill', { pid }, none);
  }
  exit(pid: Pid, reason: unknown, options: { typed?: boolean } = {}) {
    return this.ask('exit', { pid, reason, ...(options.typed === true ? { typed: true } : {}) }, none);
  }
  send(to: Pid | string, message: unknown, options: { typed?: boolean } = {}) {
    return this.ask('send', { to, message, ...(options.typed === true ? { typed: true } : {}) }, none);
  }
  trace(pids: Pid[], on: boolean) {
    return this.ask('trace', { pids, on }, (m) => (m as RuntimeToInspector['ok']).result as { traced: Pid[]; noproc: Pid[] });
  }
  startApplication(name: string) {
    return this.ask('startApplication', { name }, (m) => (m as RuntimeToInspector['ok']).result as { master: Pid; root: Pid | null }, 30_000);
  }
  stopApplication(name: string) {
    return this.ask('stopApplication', { name }, none);
  }

  private async ask<K extends keyof InspectorToRuntime, T>(type: K, payload: InspectorToRuntime[K], read: (m: AnyRuntimeMessage) => T, timeoutMs?: number): Promise<Result<T>> {
    const r = await this.request(type, payload, timeoutMs === undefined ? undefined : { timeoutMs });
    return r.ok ? { ok: true, value: read(r.value) } : r;
  }

  disconnect(): void {
    if (this.status === 'connected') {
      this.bridge?.send('goodbye', {});
      this.bridge?.flush();
    }
    this.fail('disconnected', 'disconnected', 'disconnected by the inspector');
  }
}

const none = (): void => undefined;

// --- Attaching ---

/** Attaches over a Wall on which the runtime's endpoint listens (a port, an in-memory pair). */
export function attachWall(wall: Wall, options: ClientOptions = {}): InspectorClient {
  const c = new Client(options);
  handshake(c, wall);
  return c;
}

/** Says hello over `wall` and hands the answer to `c`. */
function handshake(c: Client, wall: Wall): void {
  const off = wall.listen((raw) => {
    const items = Array.isArray(raw) ? raw : [raw];
    for (const m of items) {
      if (c.status !== 'connecting') break;
      // The answer to our hello (id 0), or a refusal sent before the hello was read (no id).
      const id = (m as { id?: number } | null)?.id;
      if (isEnvelope(m) && (id === 0 || (id === undefined && m.type === 'refused'))) c.answered(m, wall);
    }
  });
  c.onCleanup(off);
  wall.send(c.hello());
  // The handshake listener must not see later traffic; the bridge listens from here on.
  void c.ready.then(off);
}

export function attachPort(port: MessagePort, options: ClientOptions = {}): InspectorClient {
  const c = attachWall(portWall(port), options);
  (c as Client).onCleanup(() => port.close());
  return c;
}

/** This page's own runtime, as exposed by `exposeInspector` (the last one, if several). */
export function attachLocal(options: ClientOptions & { inspector?: LocalInspector } = {}): InspectorClient {
  const exposed = options.inspector ?? (globalThis as Record<symbol, LocalInspector | undefined>)[Symbol.for('orchard.inspector.local')];
  if (exposed === undefined) {
    const c = new Client(options);
    c.fail('refused', 'not_found', 'no runtime on this page called exposeInspector');
    return c;
  }
  // Same thread: the direct Wall spares copying every snapshot and delta twice.
  if (exposed.connectDirect !== undefined) return attachWall(exposed.connectDirect(), options);
  return attachPort(exposed.connectLocal(), options);
}

interface LocalInspector {
  connectLocal(): MessagePort;
  connectDirect?(): Wall;
}

export interface WindowAttachOptions extends ClientOptions {
  /** This side's window, where answers arrive (default: globalThis.window). */
  self?: WindowLike;
  /** How often the hello is repeated until the other page answers (it may still be loading); default 250 ms. */
  retryMs?: number;
}

/**
 * Attaches to the runtime in another window. The hello goes to exactly `origin` (never '*') and
 * only an answer from that window and origin counts; the welcome brings the MessagePort that
 * carries everything afterwards.
 */
export function attachWindow(target: PostTarget & { closed?: boolean }, origin: string, options: WindowAttachOptions = {}): InspectorClient {
  if (origin === '*' || origin === '' || typeof origin !== 'string') throw new TypeError(`attachWindow: an exact origin is needed, got ${JSON.stringify(origin)}`);
  const self = options.self ?? (globalThis as unknown as { window: WindowLike }).window;
  const c = new Client(options);
  const hello = c.hello();
  let offered = false;
  const onMessage = (event: MessageEvent): void => {
    if (event.origin !== origin || event.source !== (target as unknown)) return;
    const m = event.data as { id?: unknown; type?: unknown };
    if (isOffer(m)) {
      // The runtime offers a port (it may not listen on its window at all): the first offer
      // while connecting is taken, and the hello goes over it.
      const port = event.ports[0];
      if (port === undefined) return;
      // Offers keep coming while the runtime's page lives: one is taken, the others closed.
      if (offered || c.status !== 'connecting') return port.close();
      offered = true;
      clearInterval(retry);
      handshake(c, portWall(port));
      c.onCleanup(() => port.close());
      return;
    }
    if (!isEnvelope(m) || m.id !== 0) return;
    if (c.status !== 'connecting' || offered) {
      // A late answer to a repeated hello (or one the offer overtook): close it politely.
      const extra = event.ports[0];
      if (extra !== undefined && m.type === 'welcome') {
        extra.postMessage(envelope('goodbye', {}));
        extra.close();
      }
      return;
    }
    const port = event.ports[0];
    c.answered(m, port === undefined ? null : portWall(port));
    if (port !== undefined && m.type === 'welcome') c.onCleanup(() => port.close());
  };
  self.addEventListener('message', onMessage);
  c.onCleanup(() => self.removeEventListener('message', onMessage));
  const post = (): void => {
    try {
      target.postMessage(hello, origin);
    } catch {
      // The window is not there yet (or any more); the next try or the timeout decides.
    }
  };
  post();
  const retry: ReturnType<typeof setInterval> = setInterval(() => {
    if (c.status !== 'connecting' || offered) return clearInterval(retry);
    post();
  }, options.retryMs ?? 250);
  c.onCleanup(() => clearInterval(retry));
  // A window that closes says nothing: look.
  if ('closed' in target) {
    const poll = setInterval(() => {
      if (target.closed === true) c.fail(c.status === 'connecting' ? 'refused' : 'disconnected', 'disconnected', 'the window was closed');
    }, 500);
    c.onCleanup(() => clearInterval(poll));
  }
  return c;
}

/** The runtime in an iframe of this page. */
export function attachFrame(frame: { contentWindow: (PostTarget & object) | null }, origin: string, options: WindowAttachOptions = {}): InspectorClient {
  if (frame.contentWindow === null) throw new TypeError('attachFrame: the frame has no window (not in the document yet?)');
  return attachWindow(frame.contentWindow, origin, options);
}

/** The runtime of the window that opened this one. */
export function attachOpener(origin: string, options: WindowAttachOptions = {}): InspectorClient {
  const opener = (globalThis as unknown as { window: { opener: PostTarget | null } }).window.opener;
  if (opener === null) {
    const c = new Client(options);
    c.fail('refused', 'not_found', 'this window has no opener');
    return c;
  }
  return attachWindow(opener, origin, options);
}

/** Opens `url` in a new window and attaches to the runtime it exposes. */
export function openAndAttach(url: string, options: WindowAttachOptions & { name?: string; features?: string } = {}): { window: Window | null; client: InspectorClient } {
  const base = (globalThis as unknown as { location?: { href: string } }).location?.href;
  const origin = new URL(url, base).origin;
  const win = (globalThis as unknown as { window: Window }).window.open(url, options.name ?? '_blank', options.features);
  if (win === null) {
    const c = new Client(options);
    c.fail('refused', 'not_found', 'the window could not be opened (blocked?)');
    return { window: null, client: c };
  }
  return { window: win, client: attachWindow(win, origin, options) };
}

function add<F>(set: Set<F>, fn: F): () => void {
  set.add(fn);
  return () => set.delete(fn);
}

/** A listener that throws must not break the client: rethrown from a timer (STYLE G7). */
function call<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void {
  try {
    fn(...args);
  } catch (e) {
    setTimeout(() => {
      throw e;
    }, 0);
  }
}
