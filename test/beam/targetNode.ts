/**
 * A real Erlang node for the bridge's tests: the fixture applications (test/beam/fixture: Pooly
 * and a rest_for_one chain) compiled with erlc and started with `erl -sname`, under a test
 * cookie. Each node is killed when its test ends, and when this process exits, whatever happened.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, copyFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_COOKIE = 'orchard_test_cookie';
const SRC = fileURLToPath(new URL('./fixture/src/', import.meta.url));

let ebin: string | null = null;

/** The fixture's compiled modules and .app files, once per process. */
export function fixtureEbin(): string {
  if (ebin !== null) return ebin;
  const dir = mkdtempSync(join(tmpdir(), 'orchard-fixture-'));
  const sources = readdirSync(SRC).filter((f) => f.endsWith('.erl')).map((f) => join(SRC, f));
  execFileSync('erlc', ['-o', dir, ...sources], { stdio: 'pipe' });
  for (const f of readdirSync(SRC).filter((x) => x.endsWith('.app.src'))) copyFileSync(join(SRC, f), join(dir, f.replace(/\.src$/, '')));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  ebin = dir;
  return dir;
}

export interface TargetNode {
  /** `name@host`. */
  node: string;
  /** The OS pid of the node's emulator (beam.smp). */
  osPid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** Starts a node running Pooly and the chain; resolves when both applications are up. */
export async function startTargetNode(options: { name?: string; cookie?: string; idle?: number } = {}): Promise<TargetNode> {
  const name = options.name ?? `pooly_${randomBytes(3).toString('hex')}`;
  const idle = options.idle ?? 0;
  const boot = `{ok, _} = application:ensure_all_started(pooly), {ok, _} = application:ensure_all_started(chain), ok = pooly_app:idle(${idle}), io:format("ready ~s~n", [os:getpid()]).`;
  const child = spawn('erl', ['-sname', name, '-setcookie', options.cookie ?? TEST_COOKIE, '-noshell', '-noinput', '+P', '1048576', '-pa', fixtureEbin(), '-eval', boot], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const osPid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ready (\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${name} exited (${code}): ${out}`));
    });
  });
  return {
    node: `${name}@${hostname().split('.')[0]}`,
    osPid,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          running.delete(child);
          return resolve();
        }
        child.once('exit', () => {
          running.delete(child);
          resolve();
        });
        child.kill('SIGKILL');
      }),
  };
}
