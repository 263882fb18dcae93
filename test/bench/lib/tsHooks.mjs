/**
 * Module hooks for benchmark scripts (registered by register.mjs): `.ts`/`.tsx` files are
 * transpiled by esbuild with the repository's tsconfig options, and extensionless relative
 * imports find their `.ts`/`.tsx`/`index.ts` file as Vite's resolver would.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TS = /\.(ts|tsx|mts)$/;
const tsconfigPath = join(process.cwd(), 'tsconfig.json');
const compilerOptions = existsSync(tsconfigPath) ? (JSON.parse(readFileSync(tsconfigPath, 'utf8')).compilerOptions ?? {}) : {};

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && !/\.[cm]?[jt]sx?$/.test(specifier)) {
      for (const suffix of ['.ts', '.tsx', '/index.ts', '/index.tsx']) {
        try {
          return await next(specifier + suffix, context);
        } catch {
          // try the next form
        }
      }
    }
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const out = await transform(source, {
    loader: path.endsWith('x') ? 'tsx' : 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    jsx: 'automatic',
    sourcemap: 'inline',
    sourcefile: path,
    tsconfigRaw: { compilerOptions },
  });
  return { format: 'module', source: out.code, shortCircuit: true };
}
