/**
 * Chromium for the browser benchmarks: the repository served by Vite (plain, or with COOP/COEP
 * for cross-origin isolation), the fixture page of e2e/fixtures/workers, and the tab's whole
 * JavaScript heap (the page and each worker) read over the DevTools protocol.
 */
import { type Browser, type CDPSession, type Page, chromium } from '@playwright/test';
import { type IsolatedServer, startIsolatedServer } from '../../../e2e/fixtures/workers/isolatedServer.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Tab {
  page: Page;
  close(): Promise<void>;
}

let browser: Browser | null = null;

export async function openTab(isolated: boolean): Promise<Tab> {
  browser ??= await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const server: IsolatedServer = await startIsolatedServer(isolated);
  const page = await browser.newPage();
  page.on('pageerror', (e) => process.stderr.write(`  page error: ${e.message}\n`));
  await page.goto(`${server.url}/e2e/fixtures/workers/index.html`);
  await page.waitForFunction(() => (window as { orchardWorkers?: unknown }).orchardWorkers !== undefined, undefined, { timeout: 60_000 });
  const actual = await page.evaluate(() => window.orchardWorkers.isolated);
  if (actual !== isolated) throw new Error(`the page is ${actual ? '' : 'not '}cross-origin isolated`);
  return {
    page,
    async close() {
      await page.close();
      await server.close();
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

/** Bytes of JavaScript heap in use in the tab: its page and every worker, after a full GC. */
export async function tabHeapBytes(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    let total = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const { targetInfos } = await cdp.send('Target.getTargets');
    for (const t of targetInfos.filter((x) => x.type === 'worker')) total += await workerHeap(cdp, t.targetId);
    return total;
  } finally {
    await cdp.detach();
  }
}

let messageId = 1_000_000;

async function workerHeap(cdp: CDPSession, targetId: string): Promise<number> {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  const call = (method: string): Promise<any> =>
    new Promise((resolve) => {
      const id = ++messageId;
      const listener = (e: { sessionId?: string; message: string }) => {
        const m = JSON.parse(e.message);
        if (m.id !== id) return;
        cdp.off('Target.receivedMessageFromTarget', listener);
        resolve(m.result);
      };
      cdp.on('Target.receivedMessageFromTarget', listener);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    });
  await call('HeapProfiler.collectGarbage');
  const usage = await call('Runtime.getHeapUsage');
  await cdp.send('Target.detachFromTarget', { sessionId });
  return usage.usedSize as number;
}
