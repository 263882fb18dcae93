/**
 * The README's "Use Orchard in your app" shows only code that a test runs: each of its source
 * blocks is a file of e2e/fixtures/fresh-app, the app e2e/fresh-project.spec.ts installs from
 * the packed library, builds, serves and attaches the Observer to.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'e2e/fixtures/fresh-app');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('## Use Orchard in your app');
const guide = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...guide.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));

it('has the guide, with source blocks', () => {
  expect(start).toBeGreaterThan(0);
  expect(blocks.filter((b) => b.lang !== 'sh').length).toBeGreaterThanOrEqual(4);
});

it.each(['src/shop.ts', 'src/worker.ts', 'src/main.ts', 'index.html'])('shows %s exactly as the test app has it', (file) => {
  const text = readFileSync(join(FIXTURE, file), 'utf8');
  expect(guide).toContain(`\`${file}\`:`);
  expect(blocks.some((b) => b.text === text)).toBe(true);
});

it('shows no source block that is not a file of the test app', () => {
  const files = ['src/shop.ts', 'src/worker.ts', 'src/main.ts', 'index.html'].map((f) => readFileSync(join(FIXTURE, f), 'utf8'));
  for (const b of blocks.filter((x) => x.lang !== 'sh')) expect(files).toContain(b.text);
});
