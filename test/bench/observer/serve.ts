/**
 * Serves the Observer for the browser benchmarks as people get it: a production build (React's
 * production bundle, minified), with the benchmark page beside index.html, on a free port.
 */
import { createServer as netServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = '/tmp/orchard-observer-bench';

/** How the browser benchmarks start Chromium (headless, no GPU, nothing in the background). */
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Served {
  url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function serveBenchPage(): Promise<Served> {
  const configFile = `${ROOT}vite.config.ts`;
  await build({
    root: ROOT,
    configFile,
    logLevel: 'warn',
    // BENCH_MINIFY=0 keeps function names, for reading a CPU profile.
    build: { outDir: OUT, emptyOutDir: true, sourcemap: false, minify: process.env.BENCH_MINIFY !== '0', rollupOptions: { input: `${ROOT}test/bench/observer/index.html` } },
  });
  const port = await freePort();
  const server = await preview({ root: ROOT, configFile, logLevel: 'warn', build: { outDir: OUT }, preview: { host: '127.0.0.1', port, strictPort: true } });
  return {
    url: `http://127.0.0.1:${port}/test/bench/observer/index.html`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}
