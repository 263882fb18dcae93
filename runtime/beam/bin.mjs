#!/usr/bin/env node
// orchard-bridge: the package's bin. The bridge is TypeScript; tsx runs it as it is.
import { register } from 'node:module';

try {
  register('tsx/esm', import.meta.url);
} catch {
  console.error('orchard-bridge: needs the tsx package to run (npm install tsx)');
  process.exit(2);
}
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
