/**
 * The package (package.json `exports`, `sideEffects`, tsconfig.lib.json): each public entry is
 * built from one area's index, nothing app-only is reachable from any of them, and the modules
 * marked as having side effects are exactly those that run code when imported (a bundler drops
 * any other module whose exports go unused, so a missing mark would lose a behaviour's
 * registration, and an extra one would keep dead code).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; import: string } | string>;
  sideEffects: string[];
  dependencies?: Record<string, string>;
  files: string[];
};
const libConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.lib.json'), 'utf8')) as { files: string[]; compilerOptions: { outDir: string; rootDir: string } };
const { outDir, rootDir } = libConfig.compilerOptions;

/** runtime/x/index.ts → ./dist/lib/x/index.js (what tsc emits for it). */
const built = (source: string, ext: '.js' | '.d.ts') => `./${join(outDir, relative(rootDir, source)).replace(/\.ts$/, ext)}`;

/** Relative imports of a source file (static imports and re-exports, type-only ones included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'/gm)) out.push((m[1] ?? m[2])!);
  return out;
}

/** Every source file reachable from the lib's entries, and every bare specifier they import. */
function reachable(): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const stack = libConfig.files.map((f) => join(ROOT, f));
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const spec of importsOf(f)) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(f), spec));
      else bare.add(spec);
    }
  }
  return { files, bare };
}

describe('exports', () => {
  it('maps orchard, orchard/node, orchard/worker, orchard/inspector and orchard/protocol to the built area indexes', () => {
    const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(entries).toEqual(['.', './node', './worker', './inspector', './protocol']);
    const sources = ['runtime/index.ts', 'runtime/node/index.ts', 'runtime/worker/index.ts', 'runtime/inspector/index.ts', 'runtime/protocol/index.ts'];
    expect(libConfig.files).toEqual(sources);
    entries.forEach((entry, i) => {
      expect(pkg.exports[entry]).toEqual({ types: built(sources[i]!, '.d.ts'), import: built(sources[i]!, '.js') });
    });
  });

  it('has no dependencies, and no entry reaches app/, the demos, the BEAM bridge or a package', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    const { files, bare } = reachable();
    const outside = [...files].map((f) => relative(ROOT, f)).filter((f) => !f.startsWith('runtime/') || /^runtime\/(demos|beam)\//.test(f));
    expect(outside).toEqual([]);
    expect([...bare]).toEqual([]);
    expect(pkg.files).toContain(outDir);
  });
});

describe('sideEffects', () => {
  /** A statement at the top level of a module that calls something: `registerStarter(...)`, `setViaModule({`. */
  const TOP_LEVEL_CALL = /^(?!export\b|import\b|function\b|class\b|const\b|let\b|var\b|type\b|interface\b|enum\b|declare\b|return\b|if\b|for\b|while\b)[A-Za-z_$][\w$.]*\s*\(/m;

  it('lists exactly the lib modules that run code when imported', () => {
    const { files } = reachable();
    const effectful = [...files].filter((f) => TOP_LEVEL_CALL.test(readFileSync(f, 'utf8'))).map((f) => built(relative(ROOT, f), '.js')).sort();
    expect(effectful.length).toBeGreaterThan(0);
    expect([...pkg.sideEffects].sort()).toEqual(effectful);
  });

  it('the pattern finds a top-level call and ignores one inside a function', () => {
    expect(TOP_LEVEL_CALL.test('const x = 1;\nregisterStarter(B, f);\n')).toBe(true);
    expect(TOP_LEVEL_CALL.test('function f() {\n  registerStarter(B, f);\n}\n')).toBe(false);
  });
});

// The fixture app of the README's guide is a project of its own (it imports 'orchard', which
// resolves only where the package is installed): the repository's typecheck leaves it out.
it('the repository typecheck leaves out the fresh-project fixture', () => {
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { exclude?: string[] };
  expect(tsconfig.exclude).toContain('e2e/fixtures/fresh-app');
  expect(readdirSync(join(ROOT, 'e2e/fixtures/fresh-app/src')).sort()).toEqual(['main.ts', 'shop.ts', 'worker.ts']);
});
