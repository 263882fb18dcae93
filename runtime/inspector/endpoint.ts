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
  type Capability, type ErrorCode, PROTOCOL, PROTOCOL_VERSION, PROTOCOL_VERSIONS, type RuntimeIdentity, envelope,
} from '../protocol/messages.ts';
import { validateMessage, withinSize } from '../protocol/validate.ts';
import { type Wall, type WindowLike, localWallPair, portWall } from '../protocol/Wall.ts';
import { Connection } from './Connection.ts';
import type { InspectorSource } from './source.ts';

export const RUNTIME_VERSION = '0.1.0';

export interface EndpointOptions {
  /** Origins whose windows may attach, exactly as `location.origin` spells them. Never '*'. */
  allowedOrigins: readonly string[];
  /** What an attached inspector may be granted (default: observe only). */
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

/** Hellos from windows that are not allowed, answered per second at most (the rest are ignored). */
const REFUSALS_PER_SECOND = 10;

export class InspectorEndpoint {
  readonly connections = new Set<Connection>();
  private readonly allowed: ReadonlySet<string>;
  private readonly capabilities: readonly Capability[];
  private readonly localCapabilities: readonly Capability[];
  private readonly clock: Clock;
  private readonly identity: () => RuntimeIdentity;
  private readonly maxConnections: number;
  private readonly minSilenceMs: number;
  private refusals = { at: 0, count: 0 };
  private closed = false;

  constructor(
    readonly source: InspectorSource,
    options: EndpointOptions,
  ) {
    this.allowed = new Set(checkOrigins(options.allowedOrigins));
    this.capabilities = checkCapabilities(options.capabilities ?? ['observe']);
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
    return this.open(wall, origin === 'local' ? this.localCapabilities : this.capabilities);
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

  private windowMessage(event: MessageEvent): void {
    if (this.closed) return;
    const data: unknown = event.data;
    // The window carries everybody's messages: only hellos of this protocol concern us.
    if (typeof data !== 'object' || data === null || (data as { protocol?: unknown }).protocol !== PROTOCOL || (data as { type?: unknown }).type !== 'hello') return;
    const source = event.source as { postMessage?: (m: unknown, o: string, t?: Transferable[]) => void } | null;
    if (source === null || typeof source.postMessage !== 'function' || event.origin === 'null' || event.origin === '') return;
    const reply = (m: unknown, transfer?: Transferable[]): void => {
      try {
        source.postMessage!(m, event.origin, transfer ?? []);
      } catch {
        // The other window is gone or navigated: nobody to answer.
      }
    };
    const id = typeof (data as { id?: unknown }).id === 'number' ? ((data as { id: number }).id) : undefined;
    if (!this.allowed.has(event.origin)) {
      if (this.allowRefusal()) reply(refusal('origin_not_allowed', `origin ${event.origin} may not inspect this runtime`, id));
      return;
    }
    if (!withinSize(data)) return reply(refusal('too_large', 'the hello is too large', id));
    const v = validateMessage(data, PROTOCOL_VERSION);
    if (!v.ok) return reply(refusal(v.code, v.reason, v.id));
    if (this.connections.size >= this.maxConnections) return reply(refusal('rate_limited', `at most ${this.maxConnections} inspectors at once`, id));
    const channel = new MessageChannel();
    const c = this.open(portWall(channel.port1), this.capabilities, (m) => {
      const welcome = (m as { type?: string }).type === 'welcome';
      reply(m, welcome ? [channel.port2] : []);
      if (!welcome) channel.port1.close();
    });
    c.receive(data);
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

function refusal(code: ErrorCode, reason: string, id: number | undefined): object {
  return envelope('refused', { code, reason, versions: PROTOCOL_VERSIONS }, id);
}

function checkOrigins(origins: readonly string[]): string[] {
  if (!Array.isArray(origins)) throw new OrchardError('badarg', 'exposeInspector: allowedOrigins must be an array of origins (use [] for this page only)');
  for (const o of origins) {
    if (o === '*') throw new OrchardError('badarg', "exposeInspector: '*' is not allowed in allowedOrigins; list each origin");
    let parsed: string;
    try {
      parsed = new URL(o).origin;
    } catch {
      parsed = '';
    }
    if (typeof o !== 'string' || parsed !== o) {
      throw new OrchardError('badarg', `exposeInspector: ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path or trailing slash)`);
    }
  }
  return [...origins];
}

function checkCapabilities(caps: readonly Capability[]): Capability[] {
  for (const c of caps) if (c !== 'observe' && c !== 'control') throw new OrchardError('badarg', `exposeInspector: unknown capability ${JSON.stringify(c)}`);
  return [...caps];
}

