/**
 * `exposeInspector`: the one call a page makes to let inspectors see its runtime (DESIGN
 * decision 8: the host consents, lists origins, grants capabilities).
 */
import { Scheduler } from '../core/Scheduler.ts';
import type { Pid } from '../core/pid.ts';
import { createNodeSource } from '../node/createNodeSource.ts';
import type { OrchardNode } from '../node/startNode.ts';
import type { Capability } from '../protocol/messages.ts';
import type { PostTarget, Wall, WindowLike } from '../protocol/Wall.ts';
import { type AllowedOrigin, type EndpointOptions, InspectorEndpoint } from './endpoint.ts';
import { type ApplicationEntry, createSchedulerSource } from './schedulerSource.ts';
import type { InspectorSource } from './source.ts';

export interface ExposeOptions extends Omit<EndpointOptions, 'allowedOrigins' | 'capabilities'> {
  /**
   * Origins of the windows that may attach: `['https://observer.example']`. No '*' default: `[]`
   * means this page only. `{ origin, capabilities: ['observe'] }` grants one origin less.
   */
  allowedOrigins: readonly AllowedOrigin[];
  /** Granted to attached inspectors at most (default `['observe']`). */
  capabilities?: readonly Capability[];
  /** Applications an inspector with `control` may start by name (e.g. the demos). */
  applications?: readonly ApplicationEntry[];
  /** Keep the last lifecycle events before anyone attaches, to replay them (default true). */
  flightRecorder?: boolean;
  /**
   * The window to listen on for inspectors' hellos (default: this page's window, if any; null:
   * none). Any `message` listener on a window makes the browser take in every message posted to
   * it, read or not, so a page of another site can flood it; with null, inspectors attach
   * through the offers below only, and such a flood costs the page nothing.
   */
  window?: WindowLike | null;
  /**
   * Offer a connection to this page's parent and opener windows, each at every listed origin (the
   * browser delivers it only to a window at that origin): at once, and every 2 s to a window
   * whose origin the page can tell is listed (default true; see PROTOCOL.md, "Offers").
   */
  offers?: boolean;
}

/** What exposeInspector returns: the endpoint, a port for this page's own inspector, and the off switch. */
export interface ExposedInspector {
  readonly endpoint: InspectorEndpoint;
  /** A MessagePort connected to the runtime: hand it to `attachPort` (or use `attachLocal`). */
  connectLocal(): MessagePort;
  /** A same-thread Wall connected to the runtime, copying nothing outbound: `attachLocal` uses it. */
  connectDirect(): Wall;
  /**
   * Starts an application the runtime offers (`applications` here, or, for a node, the
   * `applications` its workers pass to `startSchedulerWorker`), as an inspector with `control`
   * could: under an application master, so that the Observer draws its tree.
   */
  startApplication(name: string): Promise<{ master: Pid; root: Pid | null }>;
  /** Says goodbye to every inspector and stops listening. */
  close(): void;
}

const LOCAL_KEY = Symbol.for('orchard.inspector.local');

/**
 * Lets inspectors attach to this runtime: over a MessageChannel from this page, and over
 * `postMessage` from the listed origins' windows (frames, openers, popups). The runtime is a
 * node (its schedulers in workers), one scheduler or several on this thread, or any
 * InspectorSource.
 *
 * An origin that is not one (a path, a trailing slash, '*') is left out and reported on the
 * console: the page and its runtime go on, and nobody is let in by mistake.
 *
 * @example
 * const node = await startNode({ workerEntry });
 * exposeInspector(node, {
 *   allowedOrigins: ['https://observer.example'],
 *   capabilities: ['observe', 'control'],
 *   application: 'My app',
 * });
 */
export function exposeInspector(runtime: OrchardNode | Scheduler | readonly Scheduler[] | InspectorSource, options: ExposeOptions): ExposedInspector {
  if (options === undefined || options === null || !('allowedOrigins' in options)) {
    throw new TypeError("exposeInspector: options.allowedOrigins is required (there is no '*' default; [] means this page only)");
  }
  const source = isSource(runtime)
    ? runtime
    : isNode(runtime)
      ? createNodeSource(runtime)
      : createSchedulerSource(runtime as Scheduler | readonly Scheduler[], {
        ...(options.applications === undefined ? {} : { applications: options.applications }),
        ...(options.flightRecorder === undefined ? {} : { flightRecorder: options.flightRecorder }),
      });
  const endpoint = new InspectorEndpoint(source, options);
  const win = options.window === undefined ? defaultWindow() : options.window;
  const unlisten = win === null ? () => {} : endpoint.listenOn(win);
  const stopOffers = options.offers === false ? () => {} : offerToRelatives(endpoint);
  // The page unloading ends every connection cleanly, so inspectors see `goodbye`, not silence.
  const onHide = (): void => endpoint.close('the page is unloading');
  const page = globalThis as { addEventListener?: (t: string, f: () => void) => void; removeEventListener?: (t: string, f: () => void) => void };
  page.addEventListener?.('pagehide', onHide);
  const exposed: ExposedInspector = {
    endpoint,
    connectLocal: () => endpoint.connectLocal(),
    connectDirect: () => endpoint.connectDirect(),
    async startApplication(name) {
      const r = await source.startApplication(name);
      if ('error' in r) throw new Error(`exposeInspector: application '${name}' did not start: ${r.error}`);
      return r.ok;
    },
    close() {
      unlisten();
      stopOffers();
      page.removeEventListener?.('pagehide', onHide);
      endpoint.close();
      const g = globalThis as Record<symbol, unknown>;
      if (g[LOCAL_KEY] === exposed) delete g[LOCAL_KEY];
    },
  };
  (globalThis as Record<symbol, unknown>)[LOCAL_KEY] = exposed;
  return exposed;
}

/** The runtime this page exposed last, for `attachLocal()`; null when none. */
export function localInspector(): ExposedInspector | null {
  return ((globalThis as Record<symbol, unknown>)[LOCAL_KEY] as ExposedInspector | undefined) ?? null;
}

function isSource(x: unknown): x is InspectorSource {
  return !(x instanceof Scheduler) && !Array.isArray(x) && typeof (x as InspectorSource).openView === 'function';
}

/** A node, told by its shape: importing startNode here would bundle the node into every page that exposes one scheduler. */
function isNode(x: unknown): x is OrchardNode {
  const n = x as Partial<OrchardNode>;
  return !(x instanceof Scheduler) && !Array.isArray(x) && typeof n._inspect === 'function' && typeof n.subscribe === 'function' && Array.isArray(n.schedulers);
}

const OFFER_EVERY_MS = 2_000;

/**
 * Offers connections to the windows that may hold an inspector of this page: its parent (the
 * page is framed) and its opener (it was opened), at every listed origin, every OFFER_EVERY_MS
 * where the window's origin is known to be listed. Returns the stop function.
 */
function offerToRelatives(endpoint: InspectorEndpoint): () => void {
  const w = (globalThis as { window?: Relatives }).window;
  if (w === undefined) return () => {};
  const listed = endpoint.origins();
  // Where a relative's origin can be known (the parent's in Chromium and Safari, a same-origin
  // opener's), offers go only to it, and are repeated; elsewhere once to each listed origin
  // (the browser drops those at another origin, and says so on this page's console).
  const pairs: Array<{ target: PostTarget; origin: string; repeat: boolean }> = [];
  const add = (target: PostTarget | null | undefined, known: string | null): void => {
    if (target === null || target === undefined) return;
    if (known !== null) {
      if (listed.includes(known)) pairs.push({ target, origin: known, repeat: true });
    } else {
      for (const origin of listed) pairs.push({ target, origin, repeat: false });
    }
  };
  if (w.parent !== undefined && w.parent !== w) add(w.parent, w.location?.ancestorOrigins?.[0] ?? null);
  add(w.opener, originOf(w.opener));
  if (pairs.length === 0) return () => {};
  let offers = pairs.map((p) => endpoint.offer(p.target, p.origin));
  // A fresh offer every round, whatever became of the last: an inspector that came after it (its
  // page reloaded, or it attached again) takes the next one. An offer not taken is withdrawn.
  const again = pairs.filter((p) => p.repeat);
  const timer = again.length === 0 ? null : setInterval(() => {
    for (const o of offers) o.withdraw();
    offers = again.map((p) => endpoint.offer(p.target, p.origin));
  }, OFFER_EVERY_MS);
  return () => {
    if (timer !== null) clearInterval(timer);
    for (const o of offers) o.withdraw();
  };
}

interface Relatives {
  parent?: PostTarget;
  opener?: PostTarget | null;
  location?: { ancestorOrigins?: ArrayLike<string> };
}

/** A window's origin if this page may read it (same origin), else null. */
function originOf(win: PostTarget | null | undefined): string | null {
  try {
    const o = (win as { location?: { origin?: unknown } } | null | undefined)?.location?.origin;
    return typeof o === 'string' && o !== 'null' ? o : null;
  } catch {
    return null;
  }
}

function defaultWindow(): WindowLike | null {
  const w = (globalThis as { window?: WindowLike }).window;
  return w !== undefined && typeof w.addEventListener === 'function' ? w : null;
}
