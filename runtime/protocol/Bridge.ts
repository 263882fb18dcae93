/**
 * The Bridge speaks the protocol over a Wall, in one direction out and one in (STYLE G11):
 * `Bridge<RuntimeToInspector, InspectorToRuntime>` on the runtime's side, the reverse on the
 * inspector's. Sends are queued and flushed once per microtask, as one wire message (a batch),
 * so a tick's snapshot, events and answers cost one postMessage (DESIGN decision 6).
 */
import { type Envelope, PROTOCOL_VERSION, envelope, isEnvelope } from './messages.ts';
import type { Wall, WallMeta } from './Wall.ts';

export type MessageOf<M, K extends keyof M = keyof M> = K extends keyof M ? Envelope<K & string> & M[K] : never;

export interface BridgeOptions {
  /** The protocol version to stamp on outgoing envelopes (the one the handshake settled). */
  version?: number;
  /** Called instead of console.warn when something is sent after shutdown. */
  warn?: (text: string) => void;
}

export class Bridge<Out extends object, In extends object> {
  private queue: Envelope[] = [];
  private scheduled = false;
  private closed = false;
  private readonly unlisten: Array<() => void> = [];
  private version: number;
  private readonly warn: (text: string) => void;

  constructor(
    readonly wall: Wall,
    options: BridgeOptions = {},
  ) {
    this.version = options.version ?? PROTOCOL_VERSION;
    this.warn = options.warn ?? ((text) => console.warn(text));
  }

  /** Queues one envelope; it leaves with the others at the end of this microtask. */
  send<K extends keyof Out & string>(type: K, payload: Out[K], id?: number): void {
    if (this.closed) {
      this.warn(`inspector bridge: '${type}' sent after shutdown; dropped`);
      return;
    }
    this.queue.push(envelope(type as never, payload as never, id, this.version));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Sends what is queued now: one envelope alone, several as a batch (an array). */
  flush(): void {
    this.scheduled = false;
    const q = this.queue;
    if (q.length === 0) return;
    this.queue = [];
    try {
      this.wall.send(q.length === 1 ? q[0] : q);
    } catch (e) {
      // A closed port or a navigated window: the other side is gone, there is no one to tell.
      this.warn(`inspector bridge: send failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /**
   * Calls `fn` for each incoming envelope (a batch is taken apart in order). Anything that is not
   * an envelope of this protocol goes to `onOther`, if given, and is otherwise ignored.
   */
  listen(fn: (message: MessageOf<In>, meta: WallMeta) => void, onOther?: (raw: unknown, meta: WallMeta) => void): () => void {
    const off = this.wall.listen((raw, meta) => {
      if (this.closed) return;
      const items = Array.isArray(raw) ? raw : [raw];
      for (const m of items) {
        if (isEnvelope(m)) fn(m as MessageOf<In>, meta);
        else onOther?.(m, meta);
      }
    });
    this.unlisten.push(off);
    return off;
  }

  /** Envelopes sent from now on carry `version` (the one the handshake settled). */
  setVersion(version: number): void {
    this.version = version;
  }

  get isShutdown(): boolean {
    return this.closed;
  }

  /** Flushes what is queued, stops listening, and turns later sends into a warning. */
  shutdown(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const off of this.unlisten.splice(0)) off();
  }
}
