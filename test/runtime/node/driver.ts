/**
 * Drives processes on a node's schedulers from the outside: `agent` processes (see
 * fixtures/modules.ts) run commands and forward what they receive to the node's inbox. Plain
 * TypeScript without a test framework, so the same scenarios run under Vitest (worker
 * threads) and in a Chromium page.
 */
import { type Pid, type Ref, TIMEOUT } from '../../../runtime/core/index.ts';
import type { OrchardNode } from '../../../runtime/node/index.ts';
import type { Command, Got, Reply } from './fixtures/modules.ts';

export interface DownMessageLike {
  type: 'DOWN';
  ref: Ref;
  pid: Pid | string;
  reason: unknown;
}

const WAIT_MS = 5_000;

export class Driver {
  private seq = 0;
  private readonly spawned: Pid[] = [];

  constructor(readonly node: OrchardNode) {}

  /** An agent on `scheduler`, owned by the node. */
  agent(scheduler: number): Pid {
    const pid = this.node.spawn('agent', [this.node.pid], { scheduler });
    this.spawned.push(pid);
    return pid;
  }

  /** An agent on scheduler 0 and one on scheduler 1: the two ends of most scenarios. */
  pair(): [a: Pid, b: Pid] {
    return [this.agent(0), this.agent(1)];
  }

  /** Runs a command in `agent` and returns its result; an error reply throws. */
  async call(agent: Pid, command: Command): Promise<any> {
    const r = await this.reply(agent, command);
    if ('error' in r) throw new Error(`${agent} ${command.cmd}: ${r.error}`);
    return r.ok;
  }

  /** Runs a command that must fail; returns the error text. */
  async fail(agent: Pid, command: Command): Promise<string> {
    const r = await this.reply(agent, command);
    if (!('error' in r)) throw new Error(`${agent} ${command.cmd}: expected an error, got ${JSON.stringify(r.ok)}`);
    return r.error;
  }

  /** Sends a command without waiting for its reply (the agent may die of it). */
  cast(agent: Pid, command: Command): void {
    this.node.send(agent, { ...command, seq: ++this.seq, replyTo: this.node.pid });
  }

  /** The next message `agent` received that matches `match` (a partial object or predicate). */
  async got(agent: Pid, match: Record<string, unknown> | ((m: any) => boolean) = () => true, after = WAIT_MS): Promise<any> {
    const test = typeof match === 'function' ? match : matches(match);
    const m = await this.node.receive((x: Got) => isGot(x) && x.agent === agent && test(x.got), { after });
    if (m === TIMEOUT) throw new Error(`${agent} received nothing matching ${describe(match)} within ${after} ms`);
    return (m as Got).got;
  }

  /** Asserts that `agent` receives nothing matching within `ms`. */
  async none(agent: Pid, match: Record<string, unknown> | ((m: any) => boolean) = () => true, ms = 200): Promise<void> {
    const test = typeof match === 'function' ? match : matches(match);
    const m = await this.node.receive((x: Got) => isGot(x) && x.agent === agent && test(x.got), { after: ms });
    if (m !== TIMEOUT) throw new Error(`${agent} received ${JSON.stringify((m as Got).got)}, expected nothing`);
  }

  /** A node-inbox message matching `match` (sent to node.pid directly). */
  async inbox(match: Record<string, unknown> | ((m: any) => boolean), after = WAIT_MS): Promise<any> {
    const m = await this.node.receive(typeof match === 'function' ? match : matches(match), { after });
    if (m === TIMEOUT) throw new Error(`the node received nothing matching ${describe(match)} within ${after} ms`);
    return m;
  }

  /**
   * Watches agent `pid` from an agent on `scheduler` and returns the DOWN reason when it
   * exits. Resolves once the monitor stands (see `sync`).
   */
  async watch(pid: Pid, scheduler: number): Promise<() => Promise<unknown>> {
    const watcher = this.agent(scheduler);
    const ref = (await this.call(watcher, { cmd: 'monitor', target: pid })) as Ref;
    await this.sync(watcher, pid);
    return async () => ((await this.got(watcher, { type: 'DOWN', ref })) as DownMessageLike).reason;
  }

  /**
   * Waits until every signal `from` has sent to agent `to` so far has reached it: `from` sends
   * a marker on the same ordered channel, and `to` reports it. Links and monitors are
   * asynchronous; a test that then acts on `to` from the node (another channel) needs this.
   */
  async sync(from: Pid, to: Pid): Promise<void> {
    const marker = { sync: ++this.seq };
    await this.call(from, { cmd: 'send', to, message: marker });
    await this.got(to, marker);
  }

  /** Kills every agent this driver started. */
  cleanup(): void {
    for (const pid of this.spawned.splice(0)) this.node.exit(pid, 'kill');
  }

  private async reply(agent: Pid, command: Command): Promise<Reply> {
    const seq = ++this.seq;
    this.node.send(agent, { ...command, seq, replyTo: this.node.pid });
    const r = await this.node.receive((m: Reply) => typeof m === 'object' && m !== null && m.seq === seq && ('ok' in m || 'error' in m), { after: WAIT_MS });
    if (r === TIMEOUT) throw new Error(`${agent} did not answer ${command.cmd} within ${WAIT_MS} ms`);
    return r as Reply;
  }
}

function isGot(x: unknown): x is Got {
  return typeof x === 'object' && x !== null && 'agent' in x && 'got' in x;
}

function matches(pattern: Record<string, unknown>): (m: unknown) => boolean {
  return (m) => typeof m === 'object' && m !== null && Object.keys(pattern).every((k) => equal((m as Record<string, unknown>)[k], pattern[k]));
}

function describe(match: unknown): string {
  return typeof match === 'function' ? 'a predicate' : JSON.stringify(match);
}

// --- Assertions (no test framework, so that a page can run them too) ---

export function equal(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!equal(actual, expected)) throw new Error(`${what}: expected ${stable(expected)}, got ${stable(actual)}`);
}

export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

export function assertMatch(text: string, re: RegExp, what: string): void {
  if (!re.test(text)) throw new Error(`${what}: ${JSON.stringify(text)} does not match ${re}`);
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : x,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
