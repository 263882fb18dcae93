/**
 * The probe: a hidden Erlang node started from the installed Erlang/OTP, which compiles and loads
 * runtime/beam/erl/orchard_probe.erl (on itself, never on the target) and reads the target over
 * distribution. This side starts it, sends it requests and takes its answers and events, in
 * `{packet,4}` frames of the external term format on its stdin and stdout (its logger writes to
 * stderr). Higher file descriptors were tried first: the runtime reported end of file on them
 * when the target's connection closed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { type Encodable, Tuple, atom, decode, encode, tuple } from './etf.ts';

export const PROBE_SOURCE = fileURLToPath(new URL('./erl/orchard_probe.erl', import.meta.url));

/**
 * Loads the probe on the bridge's own node: the compiled module cached beside the system's
 * temporary files (keyed by the source's hash), else compiled from source and cached. A cached
 * file that does not load (another OTP release made it) is compiled again.
 */
const BOOT = `
  Src = os:getenv("ORCHARD_PROBE_SOURCE"), Cache = os:getenv("ORCHARD_PROBE_CACHE"),
  Compile = fun() -> {ok, orchard_probe, B} = compile:file(Src, [binary, report_errors]), _ = file:write_file(Cache, B), B end,
  Load = fun(B) -> code:load_binary(orchard_probe, Src, B) end,
  case file:read_file(Cache) of
    {ok, Cached} -> case Load(Cached) of {module, _} -> ok; _ -> {module, _} = Load(Compile()) end;
    _ -> {module, _} = Load(Compile())
  end,
  orchard_probe:main().`;

function cachePath(): string {
  const hash = createHash('sha256').update(readFileSync(PROBE_SOURCE)).digest('hex').slice(0, 16);
  return join(tmpdir(), `orchard-probe-${hash}.beam`);
}

/** What the probe says of itself and its target, one event at a time. */
export type ProbeEvent =
  | { type: 'down'; pid: string; reason: string }
  | { type: 'nodedown'; node: string; reason: string }
  | { type: 'nodeup'; node: string }
  | { type: 'exit'; code: number | null; stderr: string };

/** A request the probe answered with an error (the text says why, in its own words). */
export class ProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

export interface ProbeOptions {
  /** The `erl` to run (default: `erl` on the PATH). */
  erl?: string;
  /** The target's name: short (`name@host`) or long (`name@host.domain`); the probe uses the same kind. */
  target: string;
}

export class Probe {
  private readonly child: ChildProcess;
  private readonly input: Writable;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: ProbeEvent) => void>();
  private stderr = '';
  private exited = false;
  readonly name: string;

  private constructor(child: ChildProcess, name: string, private readonly target: string) {
    this.child = child;
    this.name = name;
    this.input = child.stdin as Writable;
    const output = child.stdout as Readable;
    let buffer: Buffer = Buffer.alloc(0);
    output.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4) {
        const n = buffer.readUInt32BE(0);
        if (buffer.length < 4 + n) break;
        const frame = buffer.subarray(4, 4 + n);
        buffer = buffer.subarray(4 + n);
        this.frame(decode(frame, this.target));
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new ProbeError(`the probe node stopped${this.stderr ? `: ${lastLine(this.stderr)}` : ''}`));
      this.pending.clear();
      this.emit({ type: 'exit', code, stderr: this.stderr });
    });
  }

  /**
   * Starts the hidden node. Throws a ProbeError in plain words when `erl` is missing or the
   * node cannot start (another with its name, no epmd could be started).
   */
  static async start(options: ProbeOptions): Promise<Probe> {
    const host = options.target.split('@')[1] ?? '';
    const long = host.includes('.');
    const name = `orchard_bridge_${randomBytes(4).toString('hex')}`;
    // A throwaway cookie on the command line (where `ps` shows it); the target's cookie is
    // sent over the pipe and set for that node only (erlang:set_cookie/2).
    const args = [
      '-hidden', long ? '-name' : '-sname', long ? `${name}@${host}` : name, '-setcookie', randomBytes(16).toString('hex'),
      '-noshell', '-noinput', '-kernel', 'logger_level', 'error',
      // stdout carries the frames: the logger writes to stderr.
      '-kernel', 'logger', '[{handler, default, logger_std_h, #{config => #{type => standard_error}}}]',
      '-eval', BOOT,
    ];
    let child: ChildProcess;
    try {
      child = spawn(options.erl ?? 'erl', args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, ORCHARD_PROBE_SOURCE: PROBE_SOURCE, ORCHARD_PROBE_CACHE: cachePath() },
      });
    } catch (e) {
      throw erlMissing(options.erl, e);
    }
    const probe = new Probe(child, name, options.target);
    await new Promise<void>((resolve, reject) => {
      child.once('error', (e) => reject(erlMissing(options.erl, e)));
      child.once('spawn', () => resolve());
    });
    // The node is up once it answers; an error here means it could not start.
    try {
      await probe.request(tuple(atom('ping')), 30_000);
    } catch (e) {
      probe.stop();
      throw new ProbeError(`the bridge's Erlang node did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
    return probe;
  }

  onEvent(fn: (e: ProbeEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Sends a request; resolves with the value of `{ok, Value}`, rejects with `{error, Text}`. */
  request(req: Tuple, timeoutMs = 15_000): Promise<unknown> {
    if (this.exited) return Promise.reject(new ProbeError('the probe node is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProbeError(`no answer from the probe within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const body = encode(tuple(id, req as Encodable));
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length, 0);
      this.input.write(Buffer.concat([head, body]));
    });
  }

  stop(): void {
    if (this.exited) return;
    // Closing its input ends the probe (its port sees eof and it halts); kill it if it lingers.
    (this.input as Writable).end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    timer.unref();
    this.child.once('exit', () => clearTimeout(timer));
  }

  get running(): boolean {
    return !this.exited;
  }

  private frame(msg: unknown): void {
    if (!(msg instanceof Tuple)) return;
    if (msg[0] === 'reply') {
      const p = this.pending.get(msg[1] as number);
      if (p === undefined) return;
      this.pending.delete(msg[1] as number);
      const result = msg[2] as Tuple;
      if (result[0] === 'ok') p.resolve(result[1]);
      else p.reject(new ProbeError(String(result[1])));
    } else if (msg[0] === 'event') {
      const e = msg[1] as Tuple;
      if (e[0] === 'down') this.emit({ type: 'down', pid: e[1] as string, reason: e[2] as string });
      else if (e[0] === 'nodedown') this.emit({ type: 'nodedown', node: e[1] as string, reason: e[2] as string });
      else if (e[0] === 'nodeup') this.emit({ type: 'nodeup', node: e[1] as string });
    }
  }

  private emit(e: ProbeEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch (err) {
        setTimeout(() => {
          throw err;
        }, 0);
      }
    }
  }
}

function erlMissing(erl: string | undefined, e: unknown): ProbeError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') {
    return new ProbeError(`Erlang/OTP is not installed here: '${erl ?? 'erl'}' was not found. Install Erlang/OTP 25 or newer (Debian: apt-get install erlang-nox) or pass --erl PATH.`);
  }
  return new ProbeError(`could not run '${erl ?? 'erl'}': ${e instanceof Error ? e.message : String(e)}`);
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
