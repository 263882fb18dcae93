/**
 * `node --import ./test/bench/lib/register.mjs file.ts` runs TypeScript the way the app ships
 * it: plain esbuild transpilation, without tsx's `keepNames`. tsx wraps every named closure in
 * `__name(fn, "name")` (an Object.defineProperty per closure created), which puts each such
 * closure in dictionary mode: about 280 heap bytes and a defineProperty call per closure, in
 * the runtime's hot paths too. Vite's builds do not do this, so benchmarks must not either.
 */
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./tsHooks.mjs', import.meta.url);
