/**
 * A Wall is the transport under the inspector protocol: two methods, as React DevTools' bridge
 * has it (STYLE G11). Three implementations: a MessagePort (the page's own runtime, and every
 * connection after the handshake), `window.postMessage` with an origin check (another window or
 * frame, for the handshake), and an in-memory pair for tests.
 */

/** What a Wall knows about where a message came from. */
export interface WallMeta {
  /** The sender's origin, where the transport tells it (window messages). */
  origin?: string;
  /** Ports transferred with the message (the handshake's dedicated port). */
  ports?: readonly MessagePort[];
}

export interface Wall {
  /** Calls `fn` for every incoming wire message; returns the unlisten function. */
  listen(fn: (message: unknown, meta: WallMeta) => void): () => void;
  send(message: unknown, transfer?: Transferable[]): void;
}

/** A Wall over a MessagePort (or anything with postMessage and message events). */
export function portWall(port: MessagePort): Wall {
  return {
    listen(fn) {
      const handler = (event: MessageEvent): void => fn(event.data, { ports: event.ports });
      port.addEventListener('message', handler);
      // addEventListener does not start a port's queue; onmessage would, start() does.
      port.start();
      return () => port.removeEventListener('message', handler);
    },
    send(message, transfer) {
      port.postMessage(message, transfer ?? []);
    },
  };
}

/** The parts of a window a window Wall uses (tests pass fakes). */
export interface WindowLike {
  addEventListener(type: 'message', fn: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', fn: (event: MessageEvent) => void): void;
}

export interface PostTarget {
  postMessage(message: unknown, targetOrigin: string, transfer?: Transferable[]): void;
}

export interface WindowWallOptions {
  /** Where this side listens: its own window. */
  self: WindowLike;
  /** The other window (a frame's contentWindow, window.opener, a popup). */
  target: PostTarget;
  /** The other window's exact origin: messages go only there and are taken only from there. */
  targetOrigin: string;
}

/**
 * A Wall between two windows. Sends to exactly `targetOrigin`, never '*', and takes only
 * messages whose origin is `targetOrigin` and whose source is `target`, so neither another
 * origin nor another frame of the same origin can talk or listen in.
 */
export function windowWall({ self, target, targetOrigin }: WindowWallOptions): Wall {
  if (targetOrigin === '*' || targetOrigin === '') throw new TypeError(`windowWall: an exact target origin is needed, got ${JSON.stringify(targetOrigin)}`);
  return {
    listen(fn) {
      const handler = (event: MessageEvent): void => {
        if (event.origin !== targetOrigin || event.source !== (target as unknown)) return;
        fn(event.data, { origin: event.origin, ports: event.ports });
      };
      self.addEventListener('message', handler);
      return () => self.removeEventListener('message', handler);
    },
    send(message, transfer) {
      target.postMessage(message, targetOrigin, transfer ?? []);
    },
  };
}

/**
 * Two connected in-memory Walls. Like postMessage, each message is copied (structured clone)
 * and arrives in a later task, never during `send`; `origin` is what the other side sees.
 */
export function memoryWallPair(options: { originA?: string; originB?: string } = {}): [Wall, Wall] {
  const listeners: [Array<(m: unknown, meta: WallMeta) => void>, Array<(m: unknown, meta: WallMeta) => void>] = [[], []];
  const origins = [options.originA ?? 'memory://a', options.originB ?? 'memory://b'];
  const make = (side: 0 | 1): Wall => ({
    listen(fn) {
      listeners[side].push(fn);
      return () => {
        const i = listeners[side].indexOf(fn);
        if (i >= 0) listeners[side].splice(i, 1);
      };
    },
    send(message) {
      const copy = structuredClone(message);
      const other = listeners[side === 0 ? 1 : 0];
      const meta = { origin: origins[side]! };
      later(() => {
        for (const fn of other.slice()) fn(copy, meta);
      });
    },
  });
  return [make(0), make(1)];
}

/**
 * Two Walls on one thread, for a page's Observer of the page's own runtime: like a MessagePort,
 * each message arrives in a task of its own, in order, never during `send`. Unlike one, what the
 * runtime side sends is handed over as it is, not copied twice on the same thread: the endpoint
 * builds every message fresh and keeps no reference to it, and the inspector only reads. What
 * the inspector side sends is still copied (structured clone), so a value that could not cross a
 * real port fails at `send` here too, and the runtime never holds the inspector's objects.
 */
export function localWallPair(): { runtime: Wall; inspector: Wall } {
  const toRuntime: Array<(m: unknown, meta: WallMeta) => void> = [];
  const toInspector: Array<(m: unknown, meta: WallMeta) => void> = [];
  const meta: WallMeta = {};
  const wall = (listeners: typeof toRuntime, others: typeof toRuntime, copy: boolean): Wall => ({
    listen(fn) {
      listeners.push(fn);
      return () => {
        const i = listeners.indexOf(fn);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
    send(message) {
      const m = copy ? structuredClone(message) : message;
      inTask(() => {
        for (const fn of others.slice()) fn(m, meta);
      });
    },
  });
  return { runtime: wall(toRuntime, toInspector, false), inspector: wall(toInspector, toRuntime, true) };
}

/** Runs each function in a task of its own, in order (a MessageChannel is the fastest task source). */
const inTask: (fn: () => void) => void = (() => {
  if (typeof MessageChannel !== 'function') return (fn: () => void) => setTimeout(fn, 0);
  const queue: Array<() => void> = [];
  let channel: MessageChannel | null = null;
  return (fn: () => void) => {
    if (channel === null) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => queue.shift()?.();
      // Node: an idle channel must not keep the process alive.
      (channel.port1 as { unref?: () => void }).unref?.();
      (channel.port2 as { unref?: () => void }).unref?.();
    }
    queue.push(fn);
    channel.port2.postMessage(null);
  };
})();

const later: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (fn) => (globalThis as unknown as { setImmediate: (fn: () => void) => void }).setImmediate(fn)
    : (fn) => setTimeout(fn, 0);
