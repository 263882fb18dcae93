// benches: beam_probe_cost beam_probe_cost_observer beam_kill_to_restart_ui
// timeout: 420
/**
 * The BEAM bridge against a real node (test/beam/fixture: Pooly and a chain) holding 100,000 idle
 * processes:
 *
 * - beam_probe_cost: the target's own CPU time per poll of the default subscription (top 2,000
 *   by reductions), from the kernel's account of the node's OS process (/proc/PID/stat, utime +
 *   stime), minus what the idle node spends in the same wall time. Beside it, in the same run and
 *   measured the same way, OTP's own collector for etop and observer
 *   (observer_backend:etop_collect/1, its result sent to a process on the bridge's node as etop
 *   has it): the anchor. Target: at most a quarter of the anchor.
 * - beam_probe_cost_observer: the same, for the subscription the Observer makes (top 2,000 by
 *   reductions since the last read, which needs every process's previous count: the probe
 *   keeps it), against the same anchor samples.
 * - beam_kill_to_restart_ui: in Chromium (production build), the Observer attached through the
 *   bridge's WebSocket; from the click on Kill to the frame that shows the worker's new pid, over
 *   20 kills of Pooly's workers.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { createBeamSource } from '../../runtime/beam/beamSource.ts';
import { serveWebSocket } from '../../runtime/beam/serveWebSocket.ts';
import { LIMITS } from '../../runtime/protocol/messages.ts';
import { TEST_COOKIE, startTargetNode } from '../beam/targetNode.ts';
import { emit, median, note, round, wanted } from './lib/report.ts';
import { serveBenchPage } from './observer/serve.ts';

const want = wanted('beam');
const IDLE = 100_000;
const POLLS = 10;
const ANCHOR_RUNS = 5;
const KILLS = 20;
const TICK_MS = 1000 / 100; // /proc/PID/stat counts clock ticks (CLK_TCK = 100 on Linux)
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function cpuMs(osPid: number): number {
  const stat = readFileSync(`/proc/${osPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The target's CPU over `run`, less what it spends idle over the same wall time. */
async function targetCpu(osPid: number, run: () => Promise<unknown>): Promise<number> {
  const c0 = cpuMs(osPid);
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const used = cpuMs(osPid) - c0;
  const i0 = cpuMs(osPid);
  await new Promise((r) => setTimeout(r, wall));
  return Math.max(0, used - (cpuMs(osPid) - i0));
}

const target = await startTargetNode({ idle: IDLE });
note(`target ${target.node} (OS pid ${target.osPid}) with ${IDLE} idle processes`);
const source = await createBeamSource({ node: target.node, cookie: TEST_COOKIE });
try {
  if (want('beam_probe_cost') || want('beam_probe_cost_observer')) {
    const open = (sortBy: 'reductions' | 'reductionsDelta') => source.openView({ limit: LIMITS.defaultProcessLimit, sortBy, include: [] });
    let view = open('reductions');
    await view.snapshot();
    for (let i = 0; i < 2; i++) await source.model.poll(); // warm: every shown row read once
    const polls: number[] = [];
    const deltaPolls: number[] = [];
    const anchors: number[] = [];
    // Polls and anchor runs alternate, so both see the same share of whatever else the machine does.
    for (let i = 0; i < Math.max(POLLS, ANCHOR_RUNS); i++) {
      if (i < POLLS) polls.push(await targetCpu(target.osPid, () => source.model.poll()));
      if (i < ANCHOR_RUNS) {
        anchors.push(await targetCpu(target.osPid, () => source.model.eval('observer_backend:etop_collect(erlang:group_leader()), ok.', [], 'raw', 60_000)));
      }
      note(`poll ${polls.at(-1)} ms, etop_collect ${anchors.at(-1)} ms`);
    }
    view.close();
    view = open('reductionsDelta');
    await view.snapshot();
    for (let i = 0; i < 2; i++) await source.model.poll();
    for (let i = 0; i < POLLS; i++) {
      deltaPolls.push(await targetCpu(target.osPid, () => source.model.poll()));
      if (i % 2 === 1) anchors.push(await targetCpu(target.osPid, () => source.model.eval('observer_backend:etop_collect(erlang:group_leader()), ok.', [], 'raw', 60_000)));
      note(`poll (by reductions since the last) ${deltaPolls.at(-1)} ms`);
    }
    view.close();
    const anchor = median(anchors);
    const line = (bench: string, samples: number[], subscription: string) => {
      const cost = median(samples);
      emit({
        bench, value: round(cost), unit: 'ms', samples: samples.map(round), target: `<= ${round(anchor * 0.25)}`,
        anchor: 'observer_backend:etop_collect/1', anchorMs: round(anchor), anchorSamples: anchors.map(round), ratio: round(cost / anchor),
        processes: IDLE, subscription, resolutionMs: TICK_MS,
      });
    };
    line('beam_probe_cost', polls, `top ${LIMITS.defaultProcessLimit} by reductions`);
    line('beam_probe_cost_observer', deltaPolls, `top ${LIMITS.defaultProcessLimit} by reductions since the last read`);
  }

  if (want('beam_kill_to_restart_ui')) {
    const served = await serveBenchPage();
    const origin = new URL(served.url).origin;
    const server = await serveWebSocket(source, {
      host: '127.0.0.1', port: 0, token: 'bench', allowedOrigins: [origin], capabilities: ['observe', 'control'], name: target.node,
    });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${served.url}?tab=applications&attach=${encodeURIComponent(server.url)}`);
      await page.getByTestId('tree-count').filter({ hasText: '3 trees' }).waitFor({ timeout: 60_000 });
      const search = page.getByPlaceholder(/Find a process/);
      await search.fill('pooly_worker_sup');
      await search.press('Enter');
      const samples: number[] = [];
      for (let i = 0; i < KILLS; i++) {
        const key = `pooly/root/pooly_worker_sup/{worker,${(i % 5) + 1}}`;
        const card = page.locator(`[data-key="${key}"]`);
        await card.waitFor();
        const old = (await card.getAttribute('data-pid'))!;
        await card.click();
        await page.keyboard.press('k');
        await page.getByTestId('kill-confirm').waitFor();
        const ms = await page.evaluate(
          ([sel, pid]) => window.orchardBench.clickUntilNewPid('[data-testid="kill-confirm"]', sel, pid),
          [`[data-key="${key}"]`, old] as const,
        );
        samples.push(ms);
        note(`kill ${key} ${old}: new pid on screen after ${ms.toFixed(0)} ms`);
        await page.waitForTimeout(300);
      }
      const sorted = [...samples].sort((a, b) => a - b);
      emit({
        bench: 'beam_kill_to_restart_ui', value: round(median(samples)), unit: 'ms', samples: samples.map(round), target: '<= 300',
        p90: round(sorted[Math.floor(sorted.length * 0.9)]!), processes: IDLE, kills: KILLS, bridgeRate: 1,
      });
    } finally {
      await browser.close();
      await server.close();
      await served.close();
    }
  }
} finally {
  source.stop();
  await target.stop();
}
