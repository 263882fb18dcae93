/**
 * The node side of the host adapter: starts one worker for a scheduler, a Web Worker in a
 * page or a worker thread in Node, behind one small handle.
 */
import type { MessagePortLike } from '../transport/wire.ts';

export interface WorkerHandle extends MessagePortLike {
  /** Called when the worker fails to load or throws outside any process, or exits by itself. */
  onerror: ((error: unknown) => void) | null;
  terminate(): void;
}

export interface CreateWorkerOptions {
  name?: string;
  /**
   * Node only: a module each worker imports before the entry, to load TypeScript (it may export
   * a `register()` to call). By default, for a `.ts` entry, the process's own `--import` loader,
   * or else tsx.
   */
  nodeLoader?: string;
}

export function createWorker(entry: string | URL, options: CreateWorkerOptions = {}): WorkerHandle {
  const g = globalThis as { Worker?: typeof Worker; process?: NodeJS.Process };
  const threads = g.process?.getBuiltinModule?.('node:worker_threads');
  if (threads !== undefined && g.process?.versions?.node !== undefined) return nodeWorker(threads, entry, options);
  if (typeof g.Worker === 'function') return webWorker(g.Worker, entry, options);
  throw new Error('createWorker: this host has neither Web Workers nor Node worker threads');
}

function webWorker(W: typeof Worker, entry: string | URL, options: CreateWorkerOptions): WorkerHandle {
  return wrapWebWorker(new W(entry, { type: 'module', ...(options.name === undefined ? {} : { name: options.name }) }), options.name);
}

/**
 * The handle of a Web Worker the page made itself. A bundler (Vite, webpack) bundles a worker's
 * code only where it sees `new Worker(new URL('./entry.ts', import.meta.url), { type: 'module' })`
 * written out, so a page that is built passes `startNode` a `createWorker` that makes it so:
 *
 * @example
 * startNode({
 *   workerEntry: 'scheduler',
 *   createWorker: () => wrapWebWorker(new Worker(new URL('./schedulerWorker.ts', import.meta.url), { type: 'module' })),
 * });
 */
export function wrapWebWorker(w: Worker, name?: string): WorkerHandle {
  const options = { name };
  const handle: WorkerHandle = {
    onmessage: null,
    onerror: null,
    postMessage: (data, transfer) => w.postMessage(data, transfer ?? []),
    terminate: () => w.terminate(),
  };
  w.onmessage = (event) => handle.onmessage?.(event);
  w.onerror = (event) => {
    event.preventDefault();
    handle.onerror?.(new Error(`${options.name ?? 'worker'}: ${event.message || 'failed to load or threw'} (${event.filename}:${event.lineno})`));
  };
  w.onmessageerror = () => handle.onerror?.(new Error(`${options.name ?? 'worker'}: a message could not be deserialized`));
  return handle;
}

type Threads = typeof import('node:worker_threads');

/** Loads the TypeScript loader, then the entry; the worker's own `--import` hooks miss its entry in Node 20. */
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) {
    const m = await import(workerData.loader);
    const register = m.register ?? (m.default && m.default.register);
    if (typeof register === 'function') register();
  }
  await import(workerData.entry);
})().catch((e) => { setTimeout(() => { throw e; }); });
`;

function nodeWorker(threads: Threads, entry: string | URL, options: CreateWorkerOptions): WorkerHandle {
  const proc = (globalThis as { process: NodeJS.Process }).process;
  const url = entry instanceof URL ? entry.href : toFileUrl(proc, entry);
  const loader = /\.(c|m)?tsx?$/.test(url) ? (options.nodeLoader !== undefined ? toFileUrl(proc, options.nodeLoader) : defaultLoader(proc)) : null;
  let terminated = false;
  const w = new threads.Worker(BOOT, {
    eval: true,
    workerData: { entry: url, loader },
    // Not the process's flags: its loaders are imported by BOOT instead, and V8 flags
    // (--expose-gc) are refused in workers.
    execArgv: [],
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  const handle: WorkerHandle = {
    onmessage: null,
    onerror: null,
    postMessage: (data, transfer) => w.postMessage(data, transfer as never),
    terminate: () => {
      terminated = true;
      void w.terminate();
    },
  };
  w.on('message', (data: unknown) => handle.onmessage?.({ data }));
  w.on('error', (e: unknown) => handle.onerror?.(e));
  w.on('exit', (code: number) => {
    if (!terminated) handle.onerror?.(new Error(`${options.name ?? 'worker'} exited with code ${code}`));
  });
  return handle;
}

function toFileUrl(proc: NodeJS.Process, spec: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) return spec;
  const url = proc.getBuiltinModule('node:url');
  const path = proc.getBuiltinModule('node:path');
  return url.pathToFileURL(path.resolve(spec)).href;
}

/** The loader this process was started with (`--import X`), else tsx's API. */
function defaultLoader(proc: NodeJS.Process): string {
  const argv = proc.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = a === '--import' ? argv[i + 1] : a.startsWith('--import=') ? a.slice('--import='.length) : undefined;
    // tsx's own entry registers its hooks too late for an entry imported right after it.
    if (value !== undefined && !/(^|[\\/])tsx([\\/]|$)/.test(value)) return toFileUrl(proc, value);
  }
  const { createRequire } = proc.getBuiltinModule('node:module');
  const path = proc.getBuiltinModule('node:path');
  const require = createRequire(toFileUrl(proc, `${proc.cwd()}/package.json`));
  // The ESM build of tsx's API (require.resolve would give its CommonJS one).
  const manifest = require.resolve('tsx/package.json');
  const exports = (require(manifest) as { exports: Record<string, { import?: { default?: string } }> }).exports;
  return toFileUrl(proc, path.join(path.dirname(manifest), exports['./esm/api']?.import?.default ?? 'dist/esm/api/index.mjs'));
}
