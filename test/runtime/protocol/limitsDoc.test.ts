/**
 * PROTOCOL.md's Limits table names every limit `LIMITS` holds, with its value: the document is
 * the contract third-party tools read (issue 13, item 10).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { LIMITS } from '../../../runtime/protocol/index.ts';

const doc = readFileSync(join(resolve(import.meta.dirname, '../../..'), 'runtime/protocol/PROTOCOL.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Limits'), doc.indexOf('\n## ', doc.indexOf('## Limits') + 1));
const rows = section.split('\n').filter((l) => l.startsWith('| `'));

it.each(Object.entries(LIMITS))('lists %s = %s', (name, value) => {
  const row = rows.find((r) => r.split('|')[1]!.includes(`\`${name}\``));
  expect(row, `no row for ${name}`).toBeDefined();
  const cell = row!.split('|')[2]!.replace(/,/g, '');
  // A row may list several limits: their values in the same order.
  const names = [...row!.split('|')[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]);
  const numbers = [...cell.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  expect(numbers[names.indexOf(name)]).toBe(value);
});
