#!/usr/bin/env node
// orchard-bridge (the package's bin; `npm run bridge` in this repository): see cli.ts.
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2));
