import { type Frame, type Page, expect, test } from '@playwright/test';

// A page that embeds a runtime, flooded with postMessage by a page of another site that it does
// not list. The attacker is cross-site (localhost against 127.0.0.1), so that it runs in a
// renderer of its own, as a real attacker would; the embedding page times its own main thread:
// its longest task (a `longtask` observer) and the longest wait of a 20 ms timer.
//
// What it costs the page is Chromium's, not the endpoint's: a window with any `message`
// listener takes in every message posted to it, read or not (the endpoint reads only
// `event.origin` of an unlisted origin's message), and a window with none drops them. Measured
// here with 2,000 hellos of 60 kB on the shared 2-core machine: a page with one no-op listener,
// longest task 414 ms and 14.5 s of long tasks in all; the same page with no listener, no long
// task at all; the embedding page listening (the endpoint's listener only), longest 1,106 ms,
// 22 s in all. So the page that must stay free under such a flood does not listen on its window
// (`?window=off`, exposeInspector's `window: null`): its Observer attaches through the port the
// page offers its parent (PROTOCOL.md, "Offers"). The probe below adds no listener of its own.

const PORT = Number(process.env.ORCHARD_PORT ?? 5173);
const HOST = `http://127.0.0.1:${PORT}`;
const ATTACKER = `http://localhost:${PORT}/e2e/fixtures/flood/attacker.html`;
const EMBED = `${HOST}/app/host/embed.html?runtime=page&start=Counter`;

interface Probe {
  longestTask: number;
  longestGap: number;
  /** When the 20 ms timer last waited more than 100 ms (performance.now()). */
  lastStall: number;
}

/** Measures the page's main thread from its first script on (every frame of the context). */
function installProbe(): void {
  const probe = { longestTask: 0, longestGap: 0, lastStall: 0 };
  (window as unknown as { probe: typeof probe }).probe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longestTask = Math.max(probe.longestTask, e.duration);
  }).observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const tick = (): void => {
    const now = performance.now();
    probe.longestGap = Math.max(probe.longestGap, now - last);
    if (now - last > 100) probe.lastStall = now;
    last = now;
    setTimeout(tick, 20);
  };
  setTimeout(tick, 20);
}

async function openEmbedded(page: Page, embed: string): Promise<Frame> {
  await page.context().addInitScript(installProbe);
  await page.goto(`${ATTACKER}?frame=${encodeURIComponent(embed)}`, { waitUntil: 'networkidle' });
  const embedded = () => page.frames().find((f) => f.url().startsWith(HOST));
  await expect.poll(() => embedded() !== undefined, { timeout: 15_000 }).toBe(true);
  const frame = embedded()!;
  await expect.poll(() => frame.locator('#status').textContent(), { timeout: 15_000 }).toContain('Running Counter');
  // Start from a quiet page: the probe counts from here.
  await frame.evaluate(() => {
    const p = (window as unknown as { probe: Probe }).probe;
    p.longestTask = 0;
    p.longestGap = 0;
  });
  return frame;
}

/**
 * Posts `count` hellos of about `bytes` each into the frame, in rounds, from the attacker's page;
 * resolves to the number of `refused` answers the attacker received (the page did take them in).
 */
async function flood(page: Page, count: number, bytes: number): Promise<number> {
  return page.evaluate(async ([n, size]) => {
    const target = document.querySelector('iframe')!.contentWindow!;
    let refused = 0;
    addEventListener('message', (e) => {
      if (e.source === target && e.data?.type === 'refused') refused++;
    });
    const pad = 'x'.repeat(size);
    for (let i = 0; i < n; i++) {
      target.postMessage({ protocol: 'orchard-inspector', version: 2, type: 'hello', id: i, capabilities: ['observe', 'control'], client: { name: 'flood', version: pad } }, '*');
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
    }
    // The last refusals are on their way.
    await new Promise((r) => setTimeout(r, 1_000));
    return refused;
  }, [count, bytes] as const);
}

/** Waits until the page's main thread has run its timer without a stall for `quietMs` (the flood has drained). */
async function drained(frame: Frame, quietMs = 2_000): Promise<void> {
  await expect.poll(() => frame.evaluate((q) => performance.now() - (window as unknown as { probe: Probe }).probe.lastStall > q, quietMs), { timeout: 120_000, intervals: [500] }).toBe(true);
}

async function probe(frame: Frame): Promise<Probe> {
  return frame.evaluate(() => ({ ...(window as unknown as { probe: Probe }).probe }));
}

// The floods are 20,000 hellos of 60 kB and 100,000 small ones; `npm test` sends a tenth of
// each to stay fast (ORCHARD_FLOOD_SCALE=1 sends them whole; the README gives that run's figures).
const SCALE = Number(process.env.ORCHARD_FLOOD_SCALE ?? 0.1);
for (const { count, bytes, label, embed, listens } of [
  // Large messages: only a page that does not listen on its window stays free (see the top).
  { count: Math.round(20_000 * SCALE), bytes: 60_000, label: 'hellos of 60 kB', embed: `${EMBED}&window=off`, listens: false },
  // Small ones: the endpoint's own listener costs the page little.
  { count: Math.round(100_000 * SCALE), bytes: 0, label: 'small hellos', embed: EMBED, listens: true },
]) {
  const how = listens ? 'listening on its window' : 'not listening on its window (?window=off)';
  test(`${count.toLocaleString('en')} ${label} from a site it does not list keep the main thread of an embedding page ${how} free`, async ({ page }) => {
    test.setTimeout(240_000);
    const frame = await openEmbedded(page, embed);
    const t0 = Date.now();
    const refused = await flood(page, count, bytes);
    await drained(frame);
    const p = await probe(frame);
    console.log(`flood ${count} ${label} (${how}): sent and drained in ${Date.now() - t0} ms; ${refused} refused; longest task ${p.longestTask.toFixed(0)} ms, longest timer wait ${p.longestGap.toFixed(0)} ms`);
    // A listening page answers a few refusals a second (so the flood did reach it); a page that
    // does not listen answers nothing.
    if (listens) expect(refused).toBeGreaterThan(0);
    else expect(refused).toBe(0);
    expect(p.longestTask).toBeLessThan(1000);
    // The page still runs its runtime and answers: the Counter lives, the status is there.
    await expect(frame.locator('#status')).toContainText('Running Counter');
  });
}

test('an Observer that frames a page not listening on its window attaches through the port the page offers it', async ({ page }) => {
  test.setTimeout(90_000);
  // The Observer's own runtime on its page (no workers to start): only the framed one matters here.
  await page.goto('/?tab=attach&runtime=page');
  await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 15_000 });
  await page.getByLabel('Page URL').fill('/app/host/embed.html?start=Counter&runtime=page&window=off');
  await page.getByRole('button', { name: 'Embed in an iframe' }).click();
  await expect(page.getByTestId('runtime-badge')).toContainText('Embedded page (Counter)', { timeout: 15_000 });
  await expect(page.getByTestId('attach-current')).toContainText('granted observe + control');
  await page.keyboard.press('4');
  await page.getByLabel('Filter processes').fill('Counter');
  await expect(page.getByTestId('process-row').first()).toBeVisible();
});
