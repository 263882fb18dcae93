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
import { type Profile, report } from './cpuProfile.ts';
import { BROWSER_ARGS, serveBenchPage } from './serve.ts';

const APP = process.argv[2] ?? 'Swarm';
const SECONDS = Number(process.argv[3] ?? 5);
const MODE = process.argv[4] ?? 'live';


const served = await serveBenchPage();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: BROWSER_ARGS });
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
  report(profile, `${APP} ${MODE}`);
} finally {
  await browser.close();
  await served.close();
}
