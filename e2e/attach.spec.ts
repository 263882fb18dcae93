import { expect, type Page, test } from '@playwright/test';

// Attaching to an embedded runtime from another origin (DESIGN decision 8). The same Vite
// server answers on two origins: the inspector runs on http://localhost:5173 and the embedding
// host on http://127.0.0.1:5173, which the browser keeps apart like any two sites.

const PORT = Number(process.env.ORCHARD_PORT ?? 5173);
const INSPECTOR = `http://localhost:${PORT}`;
const HOST = `http://127.0.0.1:${PORT}`;
const INSPECTOR_PAGE = `${INSPECTOR}/e2e/fixtures/host/inspector.html`;
const hostPage = (allow: string, extra = '') => `${HOST}/e2e/fixtures/host/host.html?allow=${encodeURIComponent(allow)}${extra}`;

type Mode = 'frame' | 'popup' | 'opener';

interface InspectorWindow {
  inspector: {
    attach(mode: Mode, url: string, origin: string): Promise<string>;
    childPid(id: string): { pid: string; restarts: number } | null;
    kill(pid: string): Promise<string>;
    state: { status: string; reason: string | null; snapshots: number; deltas: number; events: Array<{ type: string }> };
  };
}

const attach = (page: Page, mode: Mode, url: string, origin: string) =>
  page.evaluate(([m, u, o]) => (window as unknown as InspectorWindow).inspector.attach(m as Mode, u!, o!), [mode, url, origin]);
const childPid = (page: Page, id: string) => page.evaluate((i) => (window as unknown as InspectorWindow).inspector.childPid(i), id);
const kill = (page: Page, pid: string) => page.evaluate((p) => (window as unknown as InspectorWindow).inspector.kill(p), pid);

/**
 * Opens the inspector page and waits until its script is up. Vite may reload a page once while it
 * optimizes dependencies on first use, so wait for the network to settle first.
 */
async function openInspector(page: Page): Promise<void> {
  await page.goto(INSPECTOR_PAGE, { waitUntil: 'networkidle' });
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as Partial<InspectorWindow>).inspector)).toBe('object');
}

/** Kills the child `id` through the inspector and waits until the inspector sees its replacement. */
async function killAndSeeRestart(inspector: Page, id: string): Promise<{ before: string; after: string }> {
  await expect.poll(() => childPid(inspector, id)).not.toBeNull();
  const before = (await childPid(inspector, id))!;
  expect(before.restarts).toBe(0);
  expect(await kill(inspector, before.pid)).toBe('ok');
  await expect.poll(async () => (await childPid(inspector, id))?.restarts, { timeout: 5_000 }).toBe(1);
  const after = (await childPid(inspector, id))!;
  expect(after.pid).not.toBe(before.pid);
  expect(after.pid).toMatch(/^<0\.\d+\.0>$/);
  return { before: before.pid, after: after.pid };
}

test('inspects a host in an iframe from another origin; a kill makes its supervisor restart the child', async ({ page }) => {
  await openInspector(page);
  expect(await attach(page, 'frame', hostPage(INSPECTOR), HOST)).toBe('connected');
  const { after } = await killAndSeeRestart(page, 'beta');
  // The host's own view agrees: its supervisor restarted beta under the new pid.
  const beta = page.frameLocator('iframe[title="host"]').locator('li[data-id="beta"]');
  await expect(beta).toHaveAttribute('data-restarts', '1');
  await expect(beta).toHaveAttribute('data-pid', after);
  const events = await page.evaluate(() => (window as unknown as InspectorWindow).inspector.state.events.map((e) => e.type));
  expect(events).toEqual(expect.arrayContaining(['orchard.process.exited', 'orchard.supervisor.restarted']));
});

test('inspects a host in a popup it opened, from another origin', async ({ page, context }) => {
  await openInspector(page);
  const popupOpened = context.waitForEvent('page');
  expect(await attach(page, 'popup', hostPage(INSPECTOR), HOST)).toBe('connected');
  const popup = await popupOpened;
  await killAndSeeRestart(page, 'alpha');
  await expect(popup.locator('li[data-id="alpha"]')).toHaveAttribute('data-restarts', '1');
  // Closing the popup is noticed: the inspector goes disconnected.
  await popup.close();
  await expect.poll(() => page.evaluate(() => (window as unknown as InspectorWindow).inspector.state.status), { timeout: 5_000 }).toBe('disconnected');
});

test('inspects the window that opened it (window.opener)', async ({ page, context }) => {
  const popupOpened = context.waitForEvent('page');
  await page.goto(hostPage(INSPECTOR, `&open=${encodeURIComponent(INSPECTOR_PAGE)}`));
  const inspector = await popupOpened;
  await inspector.waitForLoadState();
  await expect.poll(() => inspector.evaluate(() => typeof (window as unknown as Partial<InspectorWindow>).inspector)).toBe('object');
  expect(await attach(inspector, 'opener', '', HOST)).toBe('connected');
  await killAndSeeRestart(inspector, 'gamma');
  await expect(page.locator('li[data-id="gamma"]')).toHaveAttribute('data-restarts', '1');
});

test('a page from an origin that is not allowed gets no data and can kill nothing', async ({ page }) => {
  await openInspector(page);
  // Everything posted to the inspector's window is recorded, to prove no data arrives.
  await page.evaluate(() => {
    const seen: unknown[] = [];
    window.addEventListener('message', (e) => seen.push(e.data));
    Object.assign(window, { seen });
  });
  // The host allows another origin only.
  expect(await attach(page, 'frame', hostPage('https://observer.example'), HOST)).toBe('refused');
  expect(await page.evaluate(() => (window as unknown as InspectorWindow).inspector.state.reason)).toBe('origin_not_allowed');
  expect(await page.evaluate(() => (window as unknown as InspectorWindow).inspector.state.snapshots)).toBe(0);

  // Even knowing a pid (read here from the host's DOM), commands posted straight at the frame do nothing.
  const beta = page.frameLocator('iframe[title="host"]').locator('li[data-id="beta"]');
  await expect(beta).toHaveAttribute('data-pid', /^<0\.\d+\.0>$/);
  const pid = (await beta.getAttribute('data-pid'))!;
  await page.evaluate(
    ([victim, origin]) => {
      const frame = document.querySelector('iframe')!.contentWindow!;
      const env = { protocol: 'orchard-inspector', version: 1 };
      frame.postMessage({ ...env, type: 'kill', id: 1, pid: victim }, origin!);
      frame.postMessage([{ ...env, type: 'hello', id: 2, capabilities: ['control'], client: { name: 'x', version: '1' } }, { ...env, type: 'kill', id: 3, pid: victim }], origin!);
      frame.postMessage({ ...env, type: 'exit', id: 4, pid: victim, reason: 'kill' }, origin!);
    },
    [pid, HOST],
  );
  await page.waitForTimeout(1_000);
  await expect(beta).toHaveAttribute('data-pid', pid);
  await expect(beta).toHaveAttribute('data-restarts', '0');
  const types = await page.evaluate(() => ((window as unknown as { seen: Array<{ type?: string }> }).seen).map((m) => m?.type));
  expect(types.length).toBeGreaterThan(0);
  expect(types.every((t) => t === 'refused')).toBe(true);
  const connections = await page.frames()[1]!.evaluate(() => (window as unknown as { host: { connections(): number } }).host.connections());
  expect(connections).toBe(0);
});

test("PROTOCOL.md's minimal third-party client attaches without Orchard's client", async ({ page }) => {
  await openInspector(page);
  // The snippet from runtime/protocol/PROTOCOL.md, with console.log swapped for a list.
  await page.evaluate(
    ([RUNTIME, src]) => {
      const got: Array<{ type: string }> = [];
      Object.assign(window, { got });
      const env = (type: string, fields = {}) => ({ protocol: 'orchard-inspector', version: 1, type, ...fields });
      const frame = Object.assign(document.createElement('iframe'), { src });
      window.addEventListener('message', (e) => {
        if (e.origin !== RUNTIME || e.source !== frame.contentWindow || e.data?.type !== 'welcome') return;
        const port = e.ports[0]!;
        port.onmessage = ({ data }) => {
          for (const m of [data].flat()) got.push(m);
        };
        port.postMessage(env('subscribe', { id: 1, rate: 2 }));
      });
      frame.onload = () => frame.contentWindow!.postMessage(env('hello', { id: 0, capabilities: ['observe'], client: { name: 'mini', version: '1' } }), RUNTIME!);
      document.body.append(frame);
    },
    [HOST, hostPage(INSPECTOR)],
  );
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { got: Array<{ type: string; processTotal?: number }> }).got.find((m) => m.type === 'snapshot')?.processTotal))
    .toBeGreaterThanOrEqual(4);
  await expect.poll(() => page.evaluate(() => (window as unknown as { got: Array<{ type: string }> }).got.some((m) => m.type === 'delta'))).toBe(true);
});
