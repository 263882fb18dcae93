/**
 * The page's own runtime: the side an embedding page would write, not the Observer. It starts
 * a node with one scheduler per core, each in a Web Worker (DESIGN: schedulers live in
 * workers), offers the demo applications, and exposes the runtime to inspectors; the Observer
 * then attaches to it through the protocol client like to any other page (DESIGN: one code
 * path). Other origins may attach only as the caller lists them (`allowedOrigins`), never by
 * default; an origin that comes from a URL parameter must be listed as `{ origin, capabilities:
 * ['observe'] }`, since whoever opens the page chooses its URL (see app/main.tsx).
 *
 * `runtime: 'page'` (the URL's `?runtime=page`) runs one scheduler on the page's own thread
 * instead, as a page without workers must; if the workers cannot start, the host says why on
 * the console and falls back to it.
 */
import { Scheduler, setDefaultScheduler } from '../../runtime/core/index.ts';
import { type AllowedOrigin, exposeInspector, type ExposedInspector } from '../../runtime/inspector/index.ts';
import { type OrchardNode, createNodeSource, startNode, wrapWebWorker } from '../../runtime/node/index.ts';
import { HOST_APPLICATIONS } from './applications.ts';

export interface RuntimeHostOptions {
  /** What the Observer shows as the running application. */
  application?: string;
  /** Who may attach from other windows: a bare origin is granted control, `{ origin, capabilities }` what it lists. */
  allowedOrigins?: readonly AllowedOrigin[];
  /**
   * false (`?window=off`): no `message` listener on this page's window; inspectors in its
   * parent or opener attach through the port it offers them (exposeInspector's `window: null`).
   */
  listenOnWindow?: boolean;
  /** Applications to start at once, by name. */
  autostart?: readonly string[];
  /** 'workers' (default): a node of Web Workers; 'page': one scheduler on this thread. */
  runtime?: 'workers' | 'page';
  /** Schedulers (workers) in the node; default one per core. */
  schedulers?: number;
  /** 'warn' (`?watchdog=off`): a silent worker is only warned of, never replaced (debugging in DevTools). */
  watchdog?: 'replace' | 'warn';
}

export type RuntimeHost =
  | { kind: 'workers'; node: OrchardNode; inspector: ExposedInspector }
  | { kind: 'page'; scheduler: Scheduler; inspector: ExposedInspector; fallbackReason?: string };

const LABEL = 'Orchard demos';

export async function startRuntimeHost(options: RuntimeHostOptions = {}): Promise<RuntimeHost> {
  if ((options.runtime ?? 'workers') === 'workers') {
    if (typeof Worker !== 'function') return startOnPage(options, 'this browser has no Web Workers');
    let node: OrchardNode;
    try {
      node = await startNode({
        workerEntry: 'app/host/schedulerWorker.ts',
        ...(options.schedulers === undefined ? {} : { schedulers: options.schedulers }),
        ...(options.watchdog === 'warn' ? { watchdog: { warnOnly: true } } : {}),
        // Written out so that the bundler finds the worker and builds it with the page.
        createWorker: (_entry, o) => wrapWebWorker(new Worker(new URL('./schedulerWorker.ts', import.meta.url), { type: 'module' }), o.name),
        startTimeoutMs: 15_000,
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      console.warn(`Orchard: the schedulers could not start in Web Workers (${why}); running one scheduler on the page instead.`);
      return startOnPage(options, why);
    }
    const source = createNodeSource(node);
    await source.ready;
    const inspector = exposeInspector(source, {
      allowedOrigins: options.allowedOrigins ?? [],
      capabilities: ['observe', 'control'],
      application: options.application ?? `${LABEL} (${node.schedulers.length} schedulers in Web Workers)`,
      name: 'orchard',
      ...(options.listenOnWindow === false ? { window: null } : {}),
    });
    void autostart(inspector, options.autostart);
    return { kind: 'workers', node, inspector };
  }
  return startOnPage(options);
}

async function startOnPage(options: RuntimeHostOptions, fallbackReason?: string): Promise<RuntimeHost> {
  const scheduler = new Scheduler();
  setDefaultScheduler(scheduler);
  const inspector = exposeInspector(scheduler, {
    allowedOrigins: options.allowedOrigins ?? [],
    capabilities: ['observe', 'control'],
    applications: HOST_APPLICATIONS,
    application: options.application ?? `${LABEL} (one scheduler on the page)`,
    name: 'orchard',
    ...(options.listenOnWindow === false ? { window: null } : {}),
  });
  void autostart(inspector, options.autostart);
  return { kind: 'page', scheduler, inspector, ...(fallbackReason === undefined ? {} : { fallbackReason }) };
}

/** Starts the named applications one after another, in the background; one that fails is reported and skipped. */
async function autostart(inspector: ExposedInspector, names: readonly string[] = []): Promise<void> {
  for (const name of names) {
    const r = await inspector.endpoint.source.startApplication(name);
    if ('error' in r) console.warn(`Orchard: could not start ${name}: ${r.error}`);
  }
}
