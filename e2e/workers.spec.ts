import { type Page, expect, test } from '@playwright/test';
import { scenarios } from '../test/runtime/node/scenarios.ts';
import { type IsolatedServer, startIsolatedServer } from './fixtures/workers/isolatedServer.ts';

// Schedulers in Web Workers, in Chromium: the core's semantics with the two ends of each
// signal on different workers (the scenarios of test/runtime/node/scenarios.ts, which also run
// in Node worker threads), and the watchdog replacing a worker stuck in a runaway handler.
// The page is served twice: plainly (no COOP/COEP, everything must work) and cross-origin
// isolated, each time by a Vite server of its own without hot reload: a file saved elsewhere in
// the working tree must not reload a page in the middle of a group.

const PAGE = '/e2e/fixtures/workers/index.html';

// The scenario groups share one page each: a trace of it would say nothing about one scenario.
test.use({ trace: 'off' });

async function openFixture(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('#status')).toHaveText('ready');
}

test.describe('schedulers in Web Workers, without cross-origin isolation', () => {
  test.describe.configure({ mode: 'serial' });
  let server: IsolatedServer;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    server = await startIsolatedServer(false);
    page = await browser.newPage();
    await openFixture(page, `${server.url}${PAGE}`);
    expect(await page.evaluate(() => window.orchardWorkers.isolated)).toBe(false);
    const ids = await page.evaluate(() => window.orchardWorkers.start({ schedulers: 3, watchdog: { intervalMs: 100, timeoutMs: 5_000 } }));
    expect(ids).toEqual([0, 1, 2]);
  });

  test.afterAll(async () => {
    await page?.close();
    await server?.close();
  });

  for (const s of scenarios) {
    test(`${s.group}: ${s.name}`, async () => {
      const outcome = await page.evaluate((name) => window.orchardWorkers.scenario(name), s.name);
      expect(outcome.error).toBeUndefined();
    });
  }
});

test.describe('the watchdog in Chromium', () => {
  test('replaces a worker whose handler loops for ever; the supervised child answers again on its replacement; the page and the other schedulers keep going', async ({ page }) => {
    const server = await startIsolatedServer(false);
    await openFixture(page, `${server.url}${PAGE}`);
    await page.evaluate(() => window.orchardWorkers.start({ schedulers: 2, watchdog: { intervalMs: 50, timeoutMs: 1_000 } }));
    const r = await page.evaluate(() => window.orchardWorkers.watchdogCheck());
    // The child is pinned to the dead scheduler, so it restarts once the replacement worker runs:
    // how fast that is belongs to the benchmark (watchdog_recovery); here only that it comes back.
    expect(r.recoveryMs).toBeLessThan(20_000);
    expect(r.worstPingMs).toBeLessThan(500);
    // The page's own timers keep running (a stalled page would be seconds late; a shared machine adds some).
    expect(r.worstTimerLateMs).toBeLessThan(500);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'orchard.scheduler.down', id: 1, cause: 'unresponsive' }));
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'orchard.scheduler.up', id: 2, replaces: 1 }));
    expect(r.schedulers).toEqual([0, 2]);
    await server.close();
  });
});

test.describe('schedulers in Web Workers, cross-origin isolated (COOP/COEP)', () => {
  test.describe.configure({ mode: 'serial' });
  let server: IsolatedServer;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    server = await startIsolatedServer();
    page = await browser.newPage();
    await openFixture(page, `${server.url}${PAGE}`);
    expect(await page.evaluate(() => window.orchardWorkers.isolated)).toBe(true);
    await page.evaluate(() => window.orchardWorkers.start({ schedulers: 3, watchdog: { intervalMs: 100, timeoutMs: 5_000 } }));
  });

  test.afterAll(async () => {
    await page?.close();
    await server?.close();
  });

  for (const s of scenarios) {
    test(`${s.group}: ${s.name}`, async () => {
      const outcome = await page.evaluate((name) => window.orchardWorkers.scenario(name), s.name);
      expect(outcome.error).toBeUndefined();
    });
  }

  test('the schedulers talked through SharedArrayBuffer rings', async () => {
    await expect.poll(() => page.evaluate(() => window.orchardWorkers.counters().reduce((n, c) => n + c.ringBatches, 0))).toBeGreaterThan(0);
  });
});
