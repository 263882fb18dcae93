/**
 * `orchard-bridge` (`npm run bridge -- ...`): serves a running Erlang/Elixir node to the Orchard
 * Observer. Nothing is installed on the node: it needs a name and a cookie, nothing else.
 *
 *   npm run bridge -- --node NAME@HOST [--cookie SECRET] [--port 4100] [--allow-origin ORIGIN]...
 *                     [--control] [--rate 1] [--host 127.0.0.1] [--erl PATH]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Capability } from '../protocol/messages.ts';
import { createBeamSource } from './beamSource.ts';
import { ProbeError } from './Probe.ts';
import { serveWebSocket } from './serveWebSocket.ts';

export interface BridgeArgs {
  node: string;
  cookie: string | null;
  port: number;
  host: string;
  allowOrigins: string[];
  control: boolean;
  rate: number;
  erl: string | null;
  /** Where the Observer runs, for the URL printed at start. */
  observer: string;
}

/** The Observer's dev and preview origins (vite.config.ts), on 127.0.0.1 and localhost. */
export function defaultOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const ports = new Set([5173, 4173]);
  for (const v of [env.ORCHARD_PORT, env.ORCHARD_PREVIEW_PORT]) if (v !== undefined && /^\d+$/.test(v)) ports.add(Number(v));
  return [...ports].flatMap((p) => [`http://127.0.0.1:${p}`, `http://localhost:${p}`]);
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bridge -- --node NAME@HOST [--cookie SECRET] [--port 4100] [--allow-origin ORIGIN]... [--control] [--rate 1]
  --node NAME@HOST      the node to observe (as erl -sname NAME prints it)
  --cookie SECRET       its cookie (default: ~/.erlang.cookie, as erl reads it)
  --port N              the WebSocket's port (default 4100; 0 picks a free one)
  --host ADDRESS        the address to listen on (default 127.0.0.1)
  --allow-origin ORIGIN an Observer origin that may connect (repeatable; default: the Observer's dev and preview origins)
  --control             let the Observer kill, exit and send (default: observe only)
  --rate N              reads of the node per second (default 1)
  --erl PATH            the erl to run (default: erl on the PATH)
  --observer URL        the Observer's address, for the link printed at start (default http://127.0.0.1:5173/)`;

export function parseArgs(argv: readonly string[]): BridgeArgs {
  const out: BridgeArgs = { node: '', cookie: null, port: 4100, host: '127.0.0.1', allowOrigins: [], control: false, rate: 1, erl: null, observer: 'http://127.0.0.1:5173/' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--node': out.node = value(); break;
      case '--cookie': out.cookie = value(); break;
      case '--port': out.port = intIn(a, value(), 0, 65535); break;
      case '--host': out.host = value(); break;
      case '--allow-origin': out.allowOrigins.push(origin(value())); break;
      case '--control': out.control = true; break;
      case '--rate': {
        const r = Number(value());
        if (!(r >= 0.1 && r <= 60)) throw new UsageError('--rate is between 0.1 and 60 reads per second');
        out.rate = r;
        break;
      }
      case '--erl': out.erl = value(); break;
      case '--observer': out.observer = value(); break;
      case '-h':
      case '--help':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
  if (out.node === '') throw new UsageError('--node NAME@HOST is required');
  if (!/^[^@\s]+@[^@\s]+$/.test(out.node)) throw new UsageError(`'${out.node}' is not a node name: write it NAME@HOST`);
  return out;
}

function intIn(flag: string, v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`${flag} is a whole number from ${lo} to ${hi}`);
  return n;
}

function origin(v: string): string {
  let o = '';
  try {
    o = new URL(v).origin;
  } catch {
    o = '';
  }
  if (o !== v) throw new UsageError(`--allow-origin ${v}: not an origin (write scheme://host[:port], no path)`);
  return v;
}

/** The cookie as erl finds it: --cookie, else ~/.erlang.cookie. */
export function readCookie(given: string | null, home = homedir()): string {
  if (given !== null) return given;
  const file = join(home, '.erlang.cookie');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new UsageError(`no cookie: pass --cookie SECRET, or put the node's cookie in ${file} (as erl reads it)`);
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: BridgeArgs;
  let cookie: string;
  try {
    args = parseArgs(argv);
    cookie = readCookie(args.cookie);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message !== '') console.error(`orchard-bridge: ${e.message}`);
      console.error(USAGE);
      return e.message === '' ? 0 : 2;
    }
    throw e;
  }
  const log = (line: string): void => console.error(`orchard-bridge: ${line}`);
  let source;
  try {
    source = await createBeamSource({ node: args.node, cookie, rate: args.rate, log, ...(args.erl === null ? {} : { erl: args.erl }) });
  } catch (e) {
    if (e instanceof ProbeError) {
      log(e.message);
      return 1;
    }
    throw e;
  }
  const origins = args.allowOrigins.length > 0 ? args.allowOrigins : defaultOrigins();
  const capabilities: Capability[] = args.control ? ['observe', 'control'] : ['observe'];
  let server;
  try {
    server = await serveWebSocket(source, {
      host: args.host, port: args.port, token: randomBytes(16).toString('hex'), allowedOrigins: origins, capabilities,
      name: args.node, application: `Erlang/OTP ${source.info.otpRelease}`, log,
    });
  } catch (e) {
    source.stop();
    const code = (e as { code?: string }).code;
    log(code === 'EADDRINUSE' ? `port ${args.port} is taken: pass --port N (0 picks a free one)` : `cannot listen: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const observer = new URL(args.observer);
  observer.searchParams.set('attach', server.url);
  console.log(`Observing ${args.node} (Erlang/OTP ${source.info.otpRelease}, erts ${source.info.ertsVersion}), read ${args.rate} time(s) a second.`);
  console.log(`Granted: ${capabilities.join(' + ')}${args.control ? '' : ' (pass --control to allow kill, exit and send)'}.`);
  console.log(`Accepting Observers from: ${origins.join(', ')}`);
  console.log(`\nBridge URL (paste it in the Observer's Attach view, "BEAM node"):\n  ${server.url}`);
  console.log(`Or open:\n  ${observer.href}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      void server.close().then(() => {
        source.stop();
        resolve(code);
      });
    };
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
    source.probe.onEvent((e) => {
      if (e.type === 'exit') {
        log("the bridge's Erlang node stopped; exiting");
        stop(1);
      }
    });
  });
}
