// benches: xworker_msgs_node xworker_msgs_naive_node xworker_rtt_node watchdog_recovery_node
// timeout: 240
/**
 * Schedulers in Node worker threads: messages from processes on one scheduler to processes on
 * another (batched per slice, through SharedArrayBuffer rings as Node always has shared
 * memory), beside the naive transport (one postMessage per message) in the same run; ping-pong between schedulers; and the watchdog's recovery
 * from a runaway handler. The Chromium figures are in xworker_browser.bench.ts.
 */
import { startNode } from '../../runtime/node/index.ts';
import { emit, median, note, round, wanted } from './lib/report.ts';
import { watchdogRecovery, xworkerMsgs, xworkerRtt } from './xworker/run.ts';

const want = wanted('xworker');
const ENTRY = new URL('./xworker/worker.ts', import.meta.url);
const RUNS = 3;
const MESSAGES = 10_000_000;
const PAIRS = 8;
const NAIVE_MESSAGES = 200_000;

async function throughput(transport: 'auto' | 'naive', messages: number): Promise<number[]> {
  const out: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const node = await startNode({ schedulers: 2, workerEntry: ENTRY, transport, watchdog: false });
    try {
      const r = await xworkerMsgs(node, PAIRS, messages / PAIRS);
      note(`${transport}: ${r.messages} messages in ${r.seconds.toFixed(2)} s = ${Math.round(r.msgsPerS)} msgs/s`);
      out.push(r.msgsPerS);
    } finally {
      node.stop();
    }
  }
  return out;
}

if (want('xworker_msgs_node') || want('xworker_msgs_naive_node')) {
  // The default transport: in Node, SharedArrayBuffer rings.
  const batched = await throughput('auto', MESSAGES);
  const naive = await throughput('naive', NAIVE_MESSAGES);
  const b = median(batched);
  const n = median(naive);
  emit({ bench: 'xworker_msgs_node', value: round(b), unit: 'msgs/s', samples: batched.map(round), messages: MESSAGES, target: '>= 1000000', goal: 'G3', vsNaive: round(b / n), transport: 'shared' });
  emit({ bench: 'xworker_msgs_naive_node', value: round(n), unit: 'msgs/s', samples: naive.map(round), messages: NAIVE_MESSAGES });
}

if (want('xworker_rtt_node')) {
  const node = await startNode({ schedulers: 2, workerEntry: ENTRY, watchdog: false });
  try {
    const medians: number[] = [];
    const p99s: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const r = await xworkerRtt(node, 10_000, 1_000);
      note(`rtt: median ${r.medianUs.toFixed(1)} µs, p99 ${r.p99Us.toFixed(1)} µs`);
      medians.push(r.medianUs);
      p99s.push(r.p99Us);
    }
    emit({ bench: 'xworker_rtt_node', value: round(median(medians)), unit: 'µs', samples: medians.map(round), p99: round(median(p99s)), roundTrips: 10_000, window: 20, goal: 'G4' });
  } finally {
    node.stop();
  }
}

if (want('watchdog_recovery_node')) {
  const watchdog = { intervalMs: 25, timeoutMs: 200 };
  const node = await startNode({ schedulers: 2, workerEntry: ENTRY, watchdog });
  try {
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Each round silences the last scheduler; wait for its replacement before the next.
      while (node.schedulers.length < 2) await new Promise((r) => setTimeout(r, 10));
      const ms = await watchdogRecovery(node, run);
      note(`watchdog: child answering again ${ms.toFixed(0)} ms after its scheduler went silent`);
      samples.push(ms);
    }
    emit({ bench: 'watchdog_recovery_node', value: round(median(samples)), unit: 'ms', samples: samples.map(round), ...watchdog, target: '<= 500' });
  } finally {
    node.stop();
  }
}
