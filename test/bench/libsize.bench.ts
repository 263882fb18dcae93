// benches: lib_size_core lib_size_node lib_size_worker lib_size_inspector lib_size_protocol
/**
 * What each entry of the package costs a page: `npm run build:lib`, then each entry of
 * package.json's `exports` bundled on its own with esbuild (minified, ESM, for the browser) and
 * gzipped, in KB. An entry bundles everything it exports, so this is what an app pays at most;
 * a bundler keeps less of it when the app imports less (package.json `sideEffects`).
 * `lib_size_core` is the `orchard` entry: the core and the behaviours.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { emit, note, wanted } from './lib/report.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRIES: Record<string, { entry: string; target?: string }> = {
  lib_size_core: { entry: '.', target: '<= 25' },
  lib_size_node: { entry: './node' },
  lib_size_worker: { entry: './worker' },
  lib_size_inspector: { entry: './inspector' },
  lib_size_protocol: { entry: './protocol' },
};

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { import: string }> };
note('npm run build:lib');
execFileSync('npm', ['run', 'build:lib', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
for (const [bench, { entry, target }] of Object.entries(ENTRIES)) {
  if (!wanted(bench)) continue;
  const file = join(ROOT, pkg.exports[entry]!.import);
  const out = await build({ entryPoints: [file], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
  const code = out.outputFiles[0]!.contents;
  const gz = gzipSync(code, { level: 9 }).length;
  note(`${bench}: orchard${entry.slice(1)} ${(code.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzipped`);
  emit({ bench, value: Math.round((gz / 1024) * 10) / 10, unit: 'KB gz', minifiedKB: Math.round((code.length / 1024) * 10) / 10, ...(target === undefined ? {} : { target }) });
}
