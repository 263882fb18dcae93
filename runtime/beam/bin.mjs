#!/usr/bin/env node
// orchard-bridge: the package's bin. The bridge is TypeScript; tsx's loader runs it as it is.
let api;
try {
  api = await import('tsx/esm/api');
} catch {
  console.error('orchard-bridge: needs the tsx package to run (npm install tsx)');
  process.exit(2);
}
api.register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
