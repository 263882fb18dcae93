/**
 * The inspector endpoint: the runtime's side of the protocol (the "agent"). It owns the
 * connections, decides who may connect (origins) and what they may do (capabilities), and
 * answers the window handshake:
 *
 *   inspector window                         runtime window (this endpoint)
 *   ── postMessage(hello, runtimeOrigin) ──▶  origin listed? hello valid?
 *   ◀── postMessage(welcome, inspectorOrigin, [port]) ──   or `refused` with a code
 *   ═════════ everything else over the transferred MessagePort ═════════
 *
 * A connection over a MessagePort made on this page (`connectLocal`) skips the window step: the
 * hello goes straight over the port. Either way the same Connection checks every message.
 */
import { type Clock, realClock } from '../core/clock.ts';
import { OrchardError } from '../core/errors.ts';
import {
  type Capability, type ErrorCode, LIMITS, type OfferMessage, PROTOCOL, PROTOCOL_VERSION, PROTOCOL_VERSIONS, type RuntimeIdentity, envelope,
} from '../protocol/messages.ts';
import { REQUIRES, validateMessage, withinSize } from '../protocol/validate.ts';
import { type PostTarget, type Wall, type WindowLike, localWallPair, portWall } from '../protocol/Wall.ts';
import { Connection } from './Connection.ts';
import type { InspectorSource } from './source.ts';

export const RUNTIME_VERSION = '0.1.0';

export interface EndpointOptions {
  /**
   * Origins whose windows may attach, exactly as `location.origin` spells them. Never '*'. An
   * entry `{ origin, capabilities }` grants that origin less than `capabilities` (never more).
   */
  allowedOrigins: readonly AllowedOrigin[];
  /** What an attached inspector may be granted at most (default: observe only). */
  capabilities?: readonly Capability[];
  /** What connections made on this page itself may be granted (default: `capabilities`). */
  localCapabilities?: readonly Capability[];
  /** The runtime's name in the welcome (default 'orchard'). */
  name?: string;
  /** What the page runs, for the inspector's title. */
  application?: string;
  /** This page's origin, for the identity (default location.origin where there is one). */
  origin?: string;
  /** Connections open at once at most (default 8). */
  maxConnections?: number;
  /**
   * An inspector that promised a heartbeat is dropped after 3 silent intervals, but never before
   * this many ms (default 120,000: hidden tabs run their timers once a minute).
   */
  minSilenceMs?: number;
  clock?: Clock;
}

/** An origin that may attach, alone (granted `capabilities`) or with what it may be granted at most. */
export type AllowedOrigin = string | { readonly origin: string; readonly capabilities: readonly Capability[] };

/** Hellos from windows that are not allowed, answered per second at most (the rest are ignored). */
const REFUSALS_PER_SECOND = 10;

export class InspectorEndpoint {
  readonly connections = new Set<Connection>();
  /** Each allowed origin and what it may be granted at most. */
  private readonly allowed: ReadonlyMap<string, readonly Capability[]>;
  private readonly capabilities: readonly Capability[];
  private readonly localCapabilities: readonly Capability[];
  private readonly clock: Clock;
  private readonly identity: () => RuntimeIdentity;
  private readonly maxConnections: number;
  private readonly minSilenceMs: number;
  private refusals = { at: 0, count: 0 };
  private windowErrors = { at: 0, count: 0 };
  private closed = false;

  constructor(
    readonly source: InspectorSource,
    options: EndpointOptions,
  ) {
    this.capabilities = checkCapabilities(options.capabilities ?? ['observe']);
    this.allowed = checkOrigins(options.allowedOrigins, this.capabilities);
    this.localCapabilities = checkCapabilities(options.localCapabilities ?? this.capabilities);
    this.clock = options.clock ?? realClock;
    this.maxConnections = options.maxConnections ?? 8;
    this.minSilenceMs = options.minSilenceMs ?? 120_000;
    const origin = options.origin ?? (globalThis as { location?: { origin?: string } }).location?.origin;
    this.identity = () => ({
      name: options.name ?? 'orchard',
      version: RUNTIME_VERSION,
      startedAt: source.startedAt,
      schedulers: source.schedulerCount(),
      ...(options.application === undefined ? {} : { application: options.application }),
      ...(origin === undefined ? {} : { origin }),
    });
  }

  /**
   * Serves a connection over `wall` whose first message must be a hello. `origin` is who is at
   * the other end: a local connection (this page) is trusted with `localCapabilities`, any
   * other origin must be listed.
   */
  connect(wall: Wall, origin: string | 'local'): Connection | null {
    if (this.closed) {
      wall.send(refusal('not_permitted', 'this runtime is no longer exposed', undefined));
      return null;
    }
    if (origin !== 'local' && !this.allowed.has(origin)) {
      wall.send(refusal('origin_not_allowed', `origin ${origin} may not inspect this runtime`, undefined));
      return null;
    }
    if (this.connections.size >= this.maxConnections) {
      wall.send(refusal('rate_limited', `at most ${this.maxConnections} inspectors at once`, undefined));
      return null;
    }
    return this.open(wall, origin === 'local' ? this.localCapabilities : this.allowed.get(origin)!);
  }

  /** The listed origins (what offers go to). */
  origins(): string[] {
    return [...this.allowed.keys()];
  }

  /** Whether `connection` is still open. */
  isOpen(connection: Connection): boolean {
    return this.connections.has(connection);
  }

  /**
   * Offers a connection to window `target`, if its origin is `origin` (a listed one): a
   * MessagePort posted to exactly that origin (the browser hands it to no other), on which the
   * inspector there says `hello`. The page need not listen on its own window for this, so a
   * page of another site that floods it costs it nothing (see PROTOCOL.md, "Offers"). The
   * connection opens with the inspector's first message: an offer nobody takes holds no slot.
   * Returns the offered connection once it opens (or null), and a function that withdraws the
   * offer if it has not been taken.
   */
  offer(target: PostTarget, origin: string): { connection(): Connection | null; withdraw(): void } {
    let connection: Connection | null = null;
    if (this.closed || !this.allowed.has(origin)) return { connection: () => null, withdraw: () => {} };
    const channel = new MessageChannel();
    const port = channel.port1;
    const first = (event: MessageEvent): void => {
      port.removeEventListener('message', first);
      const wall = portWall(port);
      // The first message is the connection's first: handed to it once it listens.
      connection = this.connect({
        listen(fn) {
          queueMicrotask(() => fn(event.data, { ports: event.ports }));
          return wall.listen(fn);
        },
        send: wall.send,
      }, origin);
    };
    port.addEventListener('message', first);
    port.start();
    try {
      target.postMessage({ protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'offer' } satisfies OfferMessage, origin, [channel.port2]);
    } catch {
      // The window is gone.
      port.close();
    }
    return {
      connection: () => connection,
      withdraw: () => {
        if (connection === null) {
          port.removeEventListener('message', first);
          port.close();
        }
      },
    };
  }

  /**
   * A Wall on this page for a local inspector that copies nothing on the way out (see
   * localWallPair): the Observer of this page's own runtime.
   */
  connectDirect(): Wall {
    const pair = localWallPair();
    this.connect(pair.runtime, 'local');
    return pair.inspector;
  }

  /** A MessagePort on this page for a local inspector (the Observer of this page's runtime). */
  connectLocal(): MessagePort {
    const channel = new MessageChannel();
    this.connect(portWall(channel.port1), 'local');
    return channel.port2;
  }

  /**
   * Listens on a window for hellos from other windows (frames, openers, popups). Returns the
   * unlisten function.
   */
  listenOn(win: WindowLike): () => void {
    const handler = (event: MessageEvent): void => this.windowMessage(event);
    win.addEventListener('message', handler);
    return () => win.removeEventListener('message', handler);
  }

  /**
   * One message on the window. The origin is checked before the payload is read: reading
   * `event.data` deserializes it, so a page flooding us with large messages from an origin that
   * is not listed would otherwise hold this thread for as long as it likes. An unlisted origin's
   * data is read only to answer its hello, at most REFUSALS_PER_SECOND times a second.
   */
  private windowMessage(event: MessageEvent): void {
    if (this.closed) return;
    const origin = event.origin;
    if (origin === 'null' || origin === '') return;
    if (!this.allowed.has(origin)) {
      if (!this.allowRefusal()) return;
      const hello = ourHellos(event.data)[0];
      if (hello !== undefined) replyTo(event)(refusal('origin_not_allowed', `origin ${origin} may not inspect this runtime`, idOf(hello)));
      return;
    }
    const data: unknown = event.data;
    // The window carries everybody's messages: only inspector requests of this protocol concern
    // us, alone or in a batch (taken in order, as on a port).
    const messages = Array.isArray(data) ? data : [data];
    if (messages.length > LIMITS.maxBatch) return;
    const reply = replyTo(event);
    for (const m of messages) {
      if (!isRequest(m)) continue;
      if ((m as { type: string }).type === 'hello') this.windowHello(m, this.allowed.get(origin)!, reply);
      else if ((m as { type: string }).type !== 'goodbye' && this.allowWindowError()) {
        // Before the handshake only `hello` is understood here; the rest goes over the port a welcome brings.
        reply(windowError('not_connected', "send 'hello' first: requests go over the port its welcome brings", idOf(m)));
      }
    }
  }

  private windowHello(data: object, capabilities: readonly Capability[], reply: (m: unknown, transfer?: Transferable[]) => void): void {
    const id = idOf(data);
    if (!withinSize(data)) return reply(refusal('too_large', 'the hello is too large', id));
    const v = validateMessage(data, PROTOCOL_VERSION);
    if (!v.ok) return reply(refusal(v.code, v.reason, v.id));
    if (this.connections.size >= this.maxConnections) return reply(refusal('rate_limited', `at most ${this.maxConnections} inspectors at once`, id));
    const channel = new MessageChannel();
    const c = this.open(portWall(channel.port1), capabilities, (m) => {
      const welcome = (m as { type?: string }).type === 'welcome';
      reply(m, welcome ? [channel.port2] : []);
      if (!welcome) channel.port1.close();
    });
    c.receive(data);
  }

  /** Errors answered on the window (requests before hello), per second at most. */
  private allowWindowError(): boolean {
    const now = this.clock.now();
    if (now - this.windowErrors.at >= 1000) this.windowErrors = { at: now, count: 0 };
    return ++this.windowErrors.count <= LIMITS.maxRequestsPerSecond;
  }

  private allowRefusal(): boolean {
    const now = this.clock.now();
    if (now - this.refusals.at >= 1000) this.refusals = { at: now, count: 0 };
    return ++this.refusals.count <= REFUSALS_PER_SECOND;
  }

  private open(wall: Wall, capabilities: readonly Capability[], handshake?: (m: unknown) => void): Connection {
    const c = new Connection(wall, {
      source: this.source,
      identity: this.identity,
      capabilities,
      clock: this.clock,
      minSilenceMs: this.minSilenceMs,
      ...(handshake === undefined ? {} : { handshake }),
      onClose: (x) => this.connections.delete(x),
    });
    this.connections.add(c);
    return c;
  }

  /** Says goodbye to every inspector and stops answering. */
  close(reason = 'the runtime is going away'): void {
    this.closed = true;
    for (const c of [...this.connections]) c.close(reason, true);
  }
}

/** Answers the window a message came from, at its origin; a window that is gone gets nothing. */
function replyTo(event: MessageEvent): (m: unknown, transfer?: Transferable[]) => void {
  const source = event.source as { postMessage?: (m: unknown, o: string, t?: Transferable[]) => void } | null;
  return (m, transfer) => {
    if (source === null || typeof source?.postMessage !== 'function') return;
    try {
      source.postMessage(m, event.origin, transfer ?? []);
    } catch {
      // The other window is gone or navigated: nobody to answer.
    }
  };
}

/** An inspector-to-runtime envelope of this protocol (a runtime's own messages are not requests). */
function isRequest(m: unknown): m is object {
  if (typeof m !== 'object' || m === null) return false;
  const { protocol, type } = m as { protocol?: unknown; type?: unknown };
  return protocol === PROTOCOL && typeof type === 'string' && Object.hasOwn(REQUIRES, type);
}

function ourHellos(data: unknown): object[] {
  const all = Array.isArray(data) ? data.slice(0, LIMITS.maxBatch) : [data];
  return all.filter((m) => isRequest(m) && (m as { type: string }).type === 'hello');
}

function idOf(m: object): number | undefined {
  const id = (m as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function windowError(code: ErrorCode, message: string, id: number | undefined): object {
  return envelope('error', { code, message }, id);
}

function refusal(code: ErrorCode, reason: string, id: number | undefined): object {
  return envelope('refused', { code, reason, versions: PROTOCOL_VERSIONS }, id);
}

/**
 * The listed origins that are origins. One that is not (a path, a trailing slash, '*') is left
 * out and reported on the console instead of thrown: a typo in a host's list must not stop the
 * page's runtime, and leaving it out never lets anyone in.
 */
function checkOrigins(origins: readonly AllowedOrigin[], most: readonly Capability[]): Map<string, Capability[]> {
  if (!Array.isArray(origins)) throw new OrchardError('badarg', 'exposeInspector: allowedOrigins must be an array of origins (use [] for this page only)');
  const out = new Map<string, Capability[]>();
  for (const entry of origins) {
    const o = typeof entry === 'object' && entry !== null ? entry.origin : entry;
    const problem = originProblem(o);
    if (problem !== null) {
      console.error(`Orchard: exposeInspector leaves ${JSON.stringify(o)} out of allowedOrigins: ${problem}`);
      continue;
    }
    const asked = typeof entry === 'object' && entry !== null ? checkCapabilities(entry.capabilities) : most;
    // Listed twice: the grants add up, and stay within `capabilities`.
    const caps = new Set([...(out.get(o) ?? []), ...asked.filter((c) => most.includes(c))]);
    out.set(o, [...caps]);
  }
  return out;
}

/** Why `o` is not an origin as `location.origin` spells one, or null when it is. */
export function originProblem(o: unknown): string | null {
  if (o === '*') return "'*' is not allowed; list each origin";
  if (typeof o !== 'string') return 'not a string';
  let parsed: string;
  try {
    parsed = new URL(o).origin;
  } catch {
    parsed = '';
  }
  return parsed === o && parsed !== 'null' ? null : 'not an origin (scheme://host[:port], no path or trailing slash)';
}

function checkCapabilities(caps: readonly Capability[]): Capability[] {
  for (const c of caps) if (c !== 'observe' && c !== 'control') throw new OrchardError('badarg', `exposeInspector: unknown capability ${JSON.stringify(c)}`);
  return [...caps];
}

