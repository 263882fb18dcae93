/**
 * Where the Observer's long frames go: the production build in Chromium, a CPU profile of the
 * page's main thread (DevTools protocol) while the Processes table scrolls with live updates,
 * then every stretch of main-thread work longer than LONG_MS with the functions that took it.
 *
 *     BENCH_MINIFY=0 npx tsx test/bench/observer/profile.ts [Swarm|SwarmMillion] [seconds] [live|paused|resume]
 *
 * BENCH_MINIFY=0 keeps function names. `resume` profiles a pause and a resume (the fresh
 * snapshot a resume brings). Not a benchmark: it prints a report on stdout for a person, and
 * leaves a screenshot of the table in /tmp/orchard-observer-APP.png.
 */
import { chromium } from '@playwright/test';
import { serveBenchPage } from './serve.ts';

const APP = process.argv[2] ?? 'Swarm';
const SECONDS = Number(process.argv[3] ?? 5);
const MODE = process.argv[4] ?? 'live';
const LONG_MS = 30;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url.slice(f.url.lastIndexOf('/') + 1);
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

function report(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): string[] => {
    const out: string[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) out.push(label(byId.get(x)!));
    return out;
  };
  const idle = (id: number) => {
    const name = byId.get(id)!.callFrame.functionName;
    return name === '(idle)' || name === '(program)';
  };
  // Stretches of non-idle samples.
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const stretches: Array<{ from: number; to: number }> = [];
  let open = -1;
  for (let i = 0; i < profile.samples.length; i++) {
    const busy = !idle(profile.samples[i]!);
    if (busy && open < 0) open = i;
    if (!busy && open >= 0) {
      stretches.push({ from: open, to: i });
      open = -1;
    }
  }
  let total = 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const dt = (times[i + 1]! - times[i]!) / 1000;
    const id = profile.samples[i]!;
    if (idle(id)) continue;
    total += dt;
    self.set(label(byId.get(id)!), (self.get(label(byId.get(id)!)) ?? 0) + dt);
    for (const f of new Set(stackOf(id))) inclusive.set(f, (inclusive.get(f) ?? 0) + dt);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const span = (profile.endTime - profile.startTime) / 1000;
  console.log(`\n== ${APP} ${MODE}: main thread busy ${total.toFixed(0)} ms of ${span.toFixed(0)} ms`);
  console.log('-- self time, top 25');
  for (const [f, ms] of top(self, 25)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${f}`);
  console.log('-- inclusive time, top 30');
  for (const [f, ms] of top(inclusive, 30)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${f}`);
  const long = stretches.map((s) => ({ ...s, ms: (times[s.to]! - times[s.from]!) / 1000 })).filter((s) => s.ms >= LONG_MS);
  console.log(`-- ${long.length} stretches of work >= ${LONG_MS} ms`);
  for (const s of long.sort((a, b) => b.ms - a.ms).slice(0, 12)) {
    const own = new Map<string, number>();
    const incl = new Map<string, number>();
    for (let i = s.from; i < s.to; i++) {
      const dt = (times[i + 1]! - times[i]!) / 1000;
      const id = profile.samples[i]!;
      own.set(label(byId.get(id)!), (own.get(label(byId.get(id)!)) ?? 0) + dt);
      for (const f of new Set(stackOf(id))) incl.set(f, (incl.get(f) ?? 0) + dt);
    }
    console.log(`  ${s.ms.toFixed(1)} ms at +${((times[s.from]! - profile.startTime) / 1000).toFixed(0)} ms`);
    for (const [f, ms] of top(own, 6)) console.log(`      self ${ms.toFixed(1).padStart(7)} ms  ${f}`);
    for (const [f, ms] of top(incl, 14)) console.log(`      incl ${ms.toFixed(1).padStart(7)} ms  ${f}`);
  }
}

const served = await serveBenchPage();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${served.url}?start=${APP}&tab=processes&watchdog=off`);
  await page.getByTestId('process-scroller').waitFor({ timeout: 60_000 });
  try {
    await page.getByText(/Processes:\s*\d{3},\d{3}|Processes:\s*1,0\d\d,\d{3}/).first().waitFor({ timeout: 90_000 });
  } catch (e) {
    await page.screenshot({ path: '/tmp/orchard-profile-failed.png' });
    throw e;
  }
  // The snapshot's rows come over several ticks: profile the steady state.
  await page.evaluate(() => window.orchardBench.settled('[data-testid="process-shown"]', 1000, 20_000));
  await page.screenshot({ path: `/tmp/orchard-observer-${APP}.png` });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  const pause = page.getByTitle(/Pause or resume live updates/);
  if (MODE === 'paused') await pause.click();
  await cdp.send('Profiler.start');
  const scroll = page.evaluate((ms) => window.orchardBench.scrollFrames('[data-testid="process-scroller"]', ms, 40), SECONDS * 1000);
  if (MODE === 'resume') {
    await page.waitForTimeout(1000);
    await pause.click();
    await page.waitForTimeout(1000);
    await pause.click();
  }
  const frames = await scroll;
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1);
  console.log(`frames ${frames.length}: p50 ${q(0.5)} p95 ${q(0.95)} p99 ${q(0.99)} max ${sorted.at(-1)!.toFixed(1)} ms; over 50 ms: ${frames.filter((f) => f > 50).map((f) => f.toFixed(0)).join(' ')}`);
  report(profile);
} finally {
  await browser.close();
  await served.close();
}
