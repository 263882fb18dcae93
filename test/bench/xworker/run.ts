/**
 * The cross-scheduler benchmarks, written once against the node's API so that the Node group
 * (xworker.bench.ts) and the Chromium page (e2e/fixtures/workers/bench.ts) run the same code.
 */
import { type Pid, TIMEOUT } from '../../../runtime/core/index.ts';
import type { OrchardNode } from '../../../runtime/node/index.ts';

async function take(node: OrchardNode, match: (m: any) => boolean, after: number, what: string): Promise<any> {
  const m = await node.receive(match, { after });
  if (m === TIMEOUT) throw new Error(`${what}: nothing within ${after} ms`);
  return m;
}

export interface ThroughputResult {
  messages: number;
  seconds: number;
  msgsPerS: number;
}

/**
 * `pairs` sources on scheduler 0 each send `perPair` small messages (integers) to their own
 * sink on scheduler 1. Timed from the first source starting to the last sink having counted
 * all of its messages (completion verified by count).
 */
export async function xworkerMsgs(node: OrchardNode, pairs: number, perPair: number, chunk = 2_000): Promise<ThroughputResult> {
  const [from, to] = node.schedulers as [number, number];
  const sources: Pid[] = [];
  for (let i = 0; i < pairs; i++) {
    const sink = node.spawn('xwSink', [perPair, node.pid], { scheduler: to });
    sources.push(node.spawn('xwSource', [sink, perPair, chunk, node.pid], { scheduler: from }));
  }
  for (const s of sources) node.send(s, 'go');
  let start = Infinity;
  for (let i = 0; i < pairs; i++) start = Math.min(start, (await take(node, (m) => m?.sourceStarted !== undefined, 30_000, 'source start')).at);
  let end = 0;
  let total = 0;
  const limit = 120_000;
  for (let i = 0; i < pairs; i++) {
    const done = await take(node, (m) => m?.sinkDone !== undefined, limit, 'sink completion');
    end = Math.max(end, done.at);
    total += done.count;
  }
  if (total !== pairs * perPair) throw new Error(`xworker_msgs: ${total} messages counted, ${pairs * perPair} sent`);
  const seconds = (end - start) / 1000;
  return { messages: total, seconds, msgsPerS: total / seconds };
}

export interface RttResult {
  samples: number[];
  medianUs: number;
  p99Us: number;
}

/**
 * Ping-pong between a process on scheduler 0 and one on scheduler 1: `n` round trips, timed in
 * windows of `window` (see xwPing); median and p99 over the windows.
 */
export async function xworkerRtt(node: OrchardNode, n: number, warmup: number, window = 20): Promise<RttResult> {
  const [a, b] = node.schedulers as [number, number];
  const pong = node.spawn('xwPong', [], { scheduler: b });
  node.spawn('xwPing', [pong, n, warmup, window, node.pid], { scheduler: a });
  const r = await take(node, (m) => m?.rtt !== undefined, 60_000, 'ping-pong');
  node.exit(pong, 'kill');
  const s = [...(r.rtt as number[])].sort((x, y) => x - y);
  return { samples: s, medianUs: quantile(s, 0.5), p99Us: quantile(s, 0.99) };
}

/**
 * From a scheduler going silent (its handler loops for ever) to its supervised child answering
 * again on a live scheduler: the supervisor is on scheduler 0, the child on the last one.
 */
export async function watchdogRecovery(node: OrchardNode, round: number): Promise<number> {
  const name = `recovering_${round}`;
  const ids = node.schedulers;
  const victimScheduler = ids[ids.length - 1]!;
  node.spawn('supHost', [[{ id: 'child', scheduler: victimScheduler, name }], node.pid], { scheduler: ids[0]! });
  const started = await take(node, (m) => m?.supStarted !== undefined, 10_000, 'supervisor start');
  if (started.supStarted[0] !== 'ok') throw new Error(`supervisor failed to start: ${JSON.stringify(started.supStarted)}`);
  let victim: Pid | undefined;
  while ((victim = node.whereis(name)) === undefined) await sleep(2);
  const t0 = performance.now();
  node.send(victim, { hang: true });
  for (let i = 0; ; i++) {
    const owner = node.whereis(name);
    if (owner !== undefined && owner !== victim) {
      node.send(owner, { ping: i, replyTo: node.pid });
      const r = await node.receive((m: any) => m?.pong === i, { after: 50 });
      if (r !== TIMEOUT) return performance.now() - t0;
    } else {
      await sleep(1);
    }
    if (performance.now() - t0 > 30_000) throw new Error('watchdog_recovery: the child never came back');
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
