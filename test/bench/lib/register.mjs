/**
 * `node --import ./test/bench/lib/register.mjs file.ts` runs TypeScript the way the app ships
 * it: plain esbuild transpilation, without tsx's `keepNames`. tsx wraps every named closure in
 * `__name(fn, "name")` (an Object.defineProperty per closure created), which puts each such
 * closure in dictionary mode: about 280 heap bytes and a defineProperty call per closure, in
 * the runtime's hot paths too. Vite's builds do not do this, so benchmarks must not either.
 */
import { register } from 'node:module';

// Stack traces mapped back to the TypeScript only when asked (BENCH_SOURCE_MAPS=1): mapping runs
// on every `error.stack` read, and a crash report reads one per crash. Browsers format stacks
// without source maps unless DevTools is open, so a mapped stack would bill crash-heavy benches
// (restarts) for work production builds do not do.
if (process.env.BENCH_SOURCE_MAPS === '1') process.setSourceMapsEnabled(true);
register('./tsHooks.mjs', import.meta.url);
