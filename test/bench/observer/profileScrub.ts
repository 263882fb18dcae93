/**
 * Where a scrub's frames go: the stress recording (replay/stressRecording.ts) opened in the
 * production Observer in Chromium, the timeline dragged as replay_browser.bench.ts drags it, with
 * a CPU profile of the page's main thread over one drag.
 *
 *     BENCH_MINIFY=0 npx tsx test/bench/observer/profileScrub.ts [applications|processes|…]
 *
 * Not a benchmark: it prints a report for a person (cpuProfile.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { exportRecording } from '../../../app/store/recordingFile.ts';
import { DRAG_STEPS, recordStress } from '../replay/stressRecording.ts';
import { type Profile, report } from './cpuProfile.ts';
import { BROWSER_ARGS, serveBenchPage } from './serve.ts';

// `applications,processes`: the views visited in order (the bench's order); the last is profiled.
const TABS = (process.argv[2] ?? 'applications').split(',');
const TAB = TABS.at(-1)!;
const RECORDING_PATH = '/bench-recordings/stress.orchard';

const { rec } = recordStress();
const blob = await exportRecording(rec, { target: 'scrub profile', protocol: 2 });
const file = join(mkdtempSync(join(tmpdir(), 'orchard-scrub-profile-')), 'stress.orchard');
writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));

const served = await serveBenchPage();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: BROWSER_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.route(`**${RECORDING_PATH}`, (route) => route.fulfill({ path: file, contentType: 'application/gzip' }));
  await page.goto(`${served.url}?recording=${RECORDING_PATH}&tab=${TABS[0]}`);
  await page.getByTestId('replay-note').filter({ hasText: 'Recording stress.orchard' }).waitFor({ timeout: 120_000 });
  if (TABS[0] === 'applications') await page.getByRole('button', { name: 'Fit' }).click();
  await page.waitForTimeout(1000);
  const box = (await page.getByTestId('timeline-track').boundingBox())!;
  const y = box.y + 1;
  const xs = Array.from({ length: 2 * DRAG_STEPS + 1 }, (_, i) => box.x + 1 + (box.width - 2) * (i <= DRAG_STEPS ? 1 - i / DRAG_STEPS : (i - DRAG_STEPS) / DRAG_STEPS));
  const drag = async () => {
    await page.mouse.move(xs[0]!, y);
    await page.mouse.down();
    const ms = await page.evaluate(([part, y]) => window.orchardBench.pointerFrames('[data-testid="timeline-track"]', part, y), [xs.slice(1), y] as const);
    await page.mouse.up();
    return ms;
  };
  for (const tab of TABS.slice(1)) {
    await drag();
    await page.getByRole('tab', { name: new RegExp(tab, 'i') }).click();
    await page.waitForTimeout(1000);
  }
  await drag(); // warm-up
  if (process.env.MUTATIONS === '1') {
    // Which parts of the page each drag step changes, outside the table's and the tree's own contents.
    // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
    await page.evaluate(`(() => {
      const counts = {};
      window.__mut = counts;
      const where = (n) => {
        const parts = [];
        for (let e = n instanceof Element ? n : (n && n.parentElement); e && parts.length < 4; e = e.parentElement) {
          parts.push(e.tagName.toLowerCase() + (e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : '') + '.' + String(e.className).split(' ')[0].slice(0, 30));
        }
        return parts.join(' < ');
      };
      new MutationObserver((ms) => {
        for (const m of ms) {
          const k = m.type + ' ' + (m.attributeName || '') + ' @ ' + where(m.target);
          counts[k] = (counts[k] || 0) + 1;
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await drag();
    const counts = await page.evaluate(() => (window as unknown as { __mut: Record<string, number> }).__mut);
    for (const [k, v] of Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(String(v).padStart(6), k);
  }
  if (process.env.TRACE === '1') {
    // The browser's own work by kind (style, layout, paint…), from a DevTools timeline trace.
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await drag();
    const buf = await browser.stopTracing();
    const { traceEvents } = JSON.parse(buf.toString()) as { traceEvents: Array<{ name: string; ph: string; dur?: number; tid: number; pid: number; args?: { data?: { frame?: string } } }> };
    const main = traceEvents.find((e) => e.name === 'TracingStartedInBrowser' || e.name === 'RunTask');
    const byName = new Map<string, number>();
    for (const e of traceEvents) if (e.ph === 'X' && e.dur !== undefined) byName.set(`${e.name} (tid ${e.tid})`, (byName.get(`${e.name} (tid ${e.tid})`) ?? 0) + e.dur / 1000);
    for (const [k, v] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${v.toFixed(0).padStart(8)} ms  ${k}`);
    void main;
    const layouts = traceEvents.filter((e) => e.name === 'Layout' && e.ph === 'X').sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
    for (const e of layouts.slice(0, 3)) console.log('layout', ((e.dur ?? 0) / 1000).toFixed(1), JSON.stringify(e.args).slice(0, 600));
    const paints = traceEvents.filter((e) => e.name === 'Paint' && e.ph === 'X').sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
    for (const e of paints.slice(0, 3)) console.log('paint', ((e.dur ?? 0) / 1000).toFixed(1), JSON.stringify(e.args).slice(0, 400));
    console.log('layouts', layouts.length, 'paints', paints.length);
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  const frames = await drag();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1);
  console.log(`frames ${frames.length}: p50 ${q(0.5)} p95 ${q(0.95)} p99 ${q(0.99)} max ${sorted.at(-1)!.toFixed(1)} ms`);
  report(profile, `scrub ${TAB}`, 20);
} finally {
  await browser.close();
  await served.close();
}
