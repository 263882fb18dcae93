import { type ChildProcess, spawn } from 'node:child_process';
import { type Page, expect, test } from '@playwright/test';
import { TEST_COOKIE, type TargetNode, startTargetNode } from '../test/beam/targetNode.ts';

// The Observer against a real Erlang node (test/beam/fixture: Pooly and a rest_for_one chain),
// through the bridge as people run it (npm run bridge: runtime/beam/bin.ts), in Chromium. Each bridge and the
// node are stopped after the tests, whatever happened. The tests share one page, one after the
// other: loading the Observer again in a fresh browser context is most of what they would cost.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

interface Bridge {
  url: string;
  child: ChildProcess;
  /** What it printed so far. */
  log(): string;
  stop(): Promise<void>;
}

function startBridge(node: string, args: string[]): Promise<Bridge> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/beam/bin.ts', '--node', node, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bridge did not start: ${out}`)), 60_000);
    const take = (c: Buffer): void => {
      out += c.toString();
      const m = /(ws:\/\/\S+token=\w+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          log: () => out,
          stop: () => new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bridge exited (${code}): ${out}`));
    });
  });
}

let target: TargetNode;
let control: Bridge;
let observeOnly: Bridge;
let page: Page;
let base: string;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  base = baseURL!;
  const origin = new URL(base).origin;
  target = await startTargetNode();
  [control, observeOnly, page] = await Promise.all([
    startBridge(target.node, ['--cookie', TEST_COOKIE, '--allow-origin', origin, '--control']),
    startBridge(target.node, ['--cookie', TEST_COOKIE, '--allow-origin', origin]),
    browser.newPage(),
  ]);
});

test.afterAll(async () => {
  await page?.close();
  await Promise.all([control?.stop(), observeOnly?.stop()]);
  await target?.stop();
});

const WORKERS = '[data-testid="tree-node"][data-kind="worker"][data-key^="pooly/root/pooly_worker_sup/"]';
const node = (key: string) => page.locator(`[data-testid="tree-node"][data-key="${key}"]`);

/** The Applications tab attached to this bridge (loaded once), with the pool found. */
async function open(bridge: Bridge): Promise<void> {
  const url = `${base}/?tab=applications&attach=${encodeURIComponent(bridge.url)}`;
  if (page.url() !== url) {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await expect(page.getByTestId('runtime-name')).toHaveText(target.node, { timeout: 30_000 });
  } else {
    await page.getByRole('tab', { name: /Applications/ }).click();
  }
  // kernel's tree is large: find the pool, which brings its cards to reading zoom.
  await expect(page.getByTestId('tree-count')).toContainText('3 trees', { timeout: 10_000 });
  await page.getByPlaceholder(/Find a process/).fill('pooly_worker_sup');
  await page.getByPlaceholder(/Find a process/).press('Enter');
}

async function select(pid: string): Promise<void> {
  const search = page.getByPlaceholder(/Find a process/);
  await search.fill(pid);
  await search.press('Enter');
  await page.getByTestId('tree-surface').focus();
}

test('attach through the bridge: the header names the node and its OTP release, the tree has five workers; System shows memory by type', async () => {
  await open(control);
  await expect(page.getByTestId('beam-release')).toContainText('Erlang/OTP 25');
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await expect(node('pooly/root')).toContainText('one_for_all');
  // System: the release, and memory by type as erlang:memory/0 gives it; Load: how the node is read.
  await page.getByRole('tab', { name: /System/ }).click();
  await expect(page.getByTestId('beam-otp')).toContainText('Erlang/OTP 25');
  for (const type of ['processes', 'system', 'atom', 'binary', 'code', 'ets']) await expect(page.locator(`[data-testid="beam-memory"] tr[data-type="${type}"]`)).toContainText(/\d/);
  await expect(page.getByTestId('stat-messages')).toHaveText('—');
  await page.getByRole('tab', { name: /Load/ }).click();
  await expect(page.getByTestId('load-beam-note')).toContainText(target.node);
});

test('kill a worker: a new pid in its place and a restart count of 1 within 2 s', async () => {
  await open(control);
  const w3 = node('pooly/root/pooly_worker_sup/{worker,3}');
  await expect(w3).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
  const old = (await w3.getAttribute('data-pid'))!;
  // Select it by its pid (the search reveals and selects the match), then k and Enter.
  await select(old);
  await expect(w3).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(page.getByTestId('kill-menu')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(w3).not.toHaveAttribute('data-pid', old, { timeout: 2000 });
  await expect(w3).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
  await expect(w3.getByTestId('restart-badge')).toHaveText('1', { timeout: 2000 });
  await expect(page.locator(WORKERS)).toHaveCount(5);
});

test('observe only: the kill is refused', async () => {
  await open(observeOnly);
  await expect(page.getByTestId('granted')).toHaveText('observe only');
  const w1 = node('pooly/root/pooly_worker_sup/{worker,1}');
  await expect(w1).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
  const old = (await w1.getAttribute('data-pid'))!;
  await select(old);
  await page.keyboard.press('k');
  await expect(page.getByTestId('kill-confirm')).toBeDisabled();
  // The protocol refuses it too, whatever the UI offers.
  const answer = await page.evaluate(async (url) => {
    const ws = new WebSocket(url);
    const msgs: Array<{ type: string; code?: string }> = [];
    await new Promise((r) => ws.addEventListener('open', r));
    ws.addEventListener('message', (e) => msgs.push(JSON.parse(e.data as string)));
    ws.send(JSON.stringify({ protocol: 'orchard-inspector', version: 1, type: 'hello', id: 0, capabilities: ['observe', 'control'], client: { name: 't', version: '0' } }));
    await new Promise((r) => setTimeout(r, 300));
    ws.send(JSON.stringify({ protocol: 'orchard-inspector', version: 1, type: 'kill', id: 1, pid: '<0.1.0>' }));
    await new Promise((r) => setTimeout(r, 500));
    ws.close();
    return msgs;
  }, observeOnly.url);
  expect(answer.find((m) => m.type === 'welcome')).toBeTruthy();
  expect(answer.find((m) => m.type === 'error')?.code).toBe('not_permitted');
  await expect(w1).toHaveAttribute('data-pid', old);
});

test('a wrong token is refused', async () => {
  await page.goto(`${base}/?attach=${encodeURIComponent(control.url.replace(/token=\w+/, 'token=0123'))}`);
  await expect(page.getByTestId('connection-banner')).toContainText('wrong token');
});

test('a wrong origin is refused', async () => {
  // localhost is not 127.0.0.1: an origin the bridges were not told to allow. A page of it (any
  // will do: the browser sets the Origin header) opens the bridge's socket.
  await page.goto(`${base.replace('127.0.0.1', 'localhost')}/favicon.svg`);
  const first = await page.evaluate(
    (url) =>
      new Promise<{ type: string; code?: string; reason?: string }>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.addEventListener('open', () => ws.send(JSON.stringify({ protocol: 'orchard-inspector', version: 2, type: 'hello', id: 0, capabilities: ['observe'], client: { name: 't', version: '0' } })));
        ws.addEventListener('message', (e) => resolve(JSON.parse(e.data as string)));
        ws.addEventListener('error', () => reject(new Error('socket error')));
      }),
    control.url,
  );
  expect(first).toMatchObject({ type: 'refused', code: 'origin_not_allowed' });
  expect(first.reason).toContain(`origin ${new URL(page.url()).origin} may not inspect this node`);
  await expect.poll(() => control.log()).toContain('origin not allowed');
});

test('a bad cookie gives a clear error and the bridge exits non-zero', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/beam/bin.ts', '--node', target.node, '--cookie', 'not_the_cookie', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(code).toBe(1);
  expect(err).toMatch(/refused the connection: the cookie is probably wrong/);
});
