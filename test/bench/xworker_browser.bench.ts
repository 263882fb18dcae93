// benches: xworker_msgs xworker_msgs_naive xworker_rtt watchdog_recovery million_processes xworker_msgs_isolated xworker_msgs_naive_isolated xworker_rtt_isolated
// timeout: 480
/**
 * Schedulers in Web Workers, in one Chromium tab driven by Playwright, served without
 * COOP/COEP (plain names) and cross-origin isolated (`_isolated`): messages from processes on
 * one scheduler to processes on another beside the naive one-postMessage-per-message
 * transport in the same run, ping-pong between schedulers, the watchdog's recovery from a
 * runaway handler, and a million idle processes spread over the schedulers with the tab's
 * whole JavaScript heap. The Node figures are in xworker.bench.ts.
 */
import { emit, median, note, round, wanted } from './lib/report.ts';
import { type Tab, closeBrowser, openTab, tabHeapBytes } from './xworker/chromium.ts';

const want = wanted('xworker_browser');
const RUNS = 3;
const MESSAGES = 10_000_000;
const PAIRS = 8;
const NAIVE_MESSAGES = 100_000;
const MiB = 1024 * 1024;

async function throughput(tab: Tab, transport: 'shared' | 'batched' | 'naive', messages: number): Promise<number[]> {
  const out: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await tab.page.evaluate((t) => window.orchardWorkers.start({ schedulers: 2, transport: t, watchdog: false }), transport);
    const r = await tab.page.evaluate(([p, n]) => window.orchardWorkers.xworkerMsgs(p, n), [PAIRS, messages / PAIRS] as const);
    note(`${transport}: ${r.messages} messages in ${r.seconds.toFixed(2)} s = ${Math.round(r.msgsPerS)} msgs/s`);
    out.push(r.msgsPerS);
  }
  await tab.page.evaluate(() => window.orchardWorkers.stop());
  return out;
}

async function messaging(isolated: boolean): Promise<void> {
  const suffix = isolated ? '_isolated' : '';
  const tab = await openTab(isolated);
  try {
    if (want(`xworker_msgs${suffix}`) || want(`xworker_msgs_naive${suffix}`)) {
      // Isolated, the schedulers talk through SharedArrayBuffer rings; otherwise over MessagePorts.
      const batched = await throughput(tab, isolated ? 'shared' : 'batched', MESSAGES);
      const naive = await throughput(tab, 'naive', NAIVE_MESSAGES);
      const b = median(batched);
      const n = median(naive);
      emit({
        bench: `xworker_msgs${suffix}`, value: round(b), unit: 'msgs/s', samples: batched.map(round), messages: MESSAGES,
        target: isolated ? '>= 5000000' : '>= 1000000', goal: 'G3', vsNaive: round(b / n), transport: isolated ? 'shared' : 'batched',
      });
      emit({ bench: `xworker_msgs_naive${suffix}`, value: round(n), unit: 'msgs/s', samples: naive.map(round), messages: NAIVE_MESSAGES });
    }
    if (want(`xworker_rtt${suffix}`)) {
      await tab.page.evaluate((t) => window.orchardWorkers.start({ schedulers: 2, transport: t, watchdog: false }), (isolated ? 'shared' : 'batched') as 'shared' | 'batched');
      const medians: number[] = [];
      const p99s: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const r = await tab.page.evaluate(() => window.orchardWorkers.xworkerRtt(10_000, 1_000));
        note(`rtt${suffix}: median ${r.medianUs.toFixed(1)} µs, p99 ${r.p99Us.toFixed(1)} µs`);
        medians.push(r.medianUs);
        p99s.push(r.p99Us);
      }
      await tab.page.evaluate(() => window.orchardWorkers.stop());
      emit({ bench: `xworker_rtt${suffix}`, value: round(median(medians)), unit: 'µs', samples: medians.map(round), p99: round(median(p99s)), roundTrips: 10_000, window: 20, goal: 'G4' });
    }
  } finally {
    await tab.close();
  }
}

async function watchdogRecovery(): Promise<void> {
  const tab = await openTab(false);
  try {
    const watchdog = { intervalMs: 25, timeoutMs: 200 };
    await tab.page.evaluate((w) => window.orchardWorkers.start({ schedulers: 2, watchdog: w }), watchdog);
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await tab.page.waitForFunction(() => window.orchardWorkers.schedulers().length === 2);
      const ms = await tab.page.evaluate((r) => window.orchardWorkers.watchdogRecovery(r), run);
      note(`watchdog: child answering again ${ms.toFixed(0)} ms after its scheduler went silent`);
      samples.push(ms);
    }
    emit({ bench: 'watchdog_recovery', value: round(median(samples)), unit: 'ms', samples: samples.map(round), ...watchdog, target: '<= 500', goal: 'G10' });
  } finally {
    await tab.close();
  }
}

async function millionProcesses(): Promise<void> {
  const tab = await openTab(false);
  try {
    const schedulers = await tab.page.evaluate(() => window.orchardWorkers.start({ schedulers: 2, watchdog: false }));
    const before = await tabHeapBytes(tab.page);
    const r = await tab.page.evaluate(() => window.orchardWorkers.spawnIdle(1_000_000));
    const after = await tabHeapBytes(tab.page);
    const counters = await tab.page.evaluate(async () => {
      await new Promise((res) => setTimeout(res, 300));
      return window.orchardWorkers.counters();
    });
    const processes = counters.reduce((n, c) => n + c.processes, 0);
    if (processes < 1_000_000) throw new Error(`million_processes: ${processes} processes alive`);
    note(`million: ${processes} processes on ${schedulers.length} schedulers in ${(r.ms / 1000).toFixed(1)} s; tab heap ${(after / MiB).toFixed(0)} MiB (${Math.round((after - before) / processes)} B per process)`);
    emit({
      bench: 'million_processes', value: round(after / MiB), unit: 'MiB', processes, schedulers: schedulers.length,
      bytesPerProcess: Math.round((after - before) / processes), spawnMs: round(r.ms), target: '< 1024', goal: 'G7',
    });
    await tab.page.evaluate(() => window.orchardWorkers.stop());
  } finally {
    await tab.close();
  }
}

try {
  await messaging(false);
  if (want('watchdog_recovery')) await watchdogRecovery();
  if (want('million_processes')) await millionProcesses();
  await messaging(true);
} finally {
  await closeBrowser();
}
