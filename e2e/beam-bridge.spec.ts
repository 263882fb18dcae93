import { type ChildProcess, spawn } from 'node:child_process';
import { type Page, expect, test } from '@playwright/test';
import { TEST_COOKIE, type TargetNode, startTargetNode } from '../test/beam/targetNode.ts';

// The Observer against a real Erlang node (test/beam/fixture: Pooly and a rest_for_one chain),
// through the bridge as people run it (npm run bridge: runtime/beam/bin.ts), in Chromium. Each bridge and the
// node are stopped after the tests, whatever happened.

test.describe.configure({ timeout: 150_000 });


interface Bridge {
  url: string;
  child: ChildProcess;
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

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(150_000);
  const origin = new URL(baseURL!).origin;
  target = await startTargetNode();
  [control, observeOnly] = await Promise.all([
    startBridge(target.node, ['--cookie', TEST_COOKIE, '--allow-origin', origin, '--control']),
    startBridge(target.node, ['--cookie', TEST_COOKIE, '--allow-origin', origin]),
  ]);
});

test.afterAll(async () => {
  await Promise.all([control?.stop(), observeOnly?.stop()]);
  await target?.stop();
});

const WORKERS = '[data-testid="tree-node"][data-kind="worker"][data-key^="pooly/root/pooly_worker_sup/"]';
const node = (page: Page, key: string) => page.locator(`[data-testid="tree-node"][data-key="${key}"]`);

async function open(page: Page, bridge: Bridge): Promise<void> {
  await page.goto(`/?tab=applications&attach=${encodeURIComponent(bridge.url)}`, { waitUntil: 'domcontentloaded' });
  await expect(page.getByTestId('runtime-name')).toHaveText(target.node, { timeout: 20_000 });
  // kernel's tree is large: find the pool, which brings its cards to reading zoom.
  await expect(page.getByTestId('tree-count')).toContainText('3 trees', { timeout: 10_000 });
  await page.getByPlaceholder(/Find a process/).fill('pooly_worker_sup');
  await page.getByPlaceholder(/Find a process/).press('Enter');
}

async function select(page: Page, pid: string): Promise<void> {
  const search = page.getByPlaceholder(/Find a process/);
  await search.fill(pid);
  await search.press('Enter');
  await page.getByTestId('tree-surface').focus();
}

test('attach through the bridge: the header names the node and its OTP release, the tree has five workers', async ({ page }) => {
  await open(page, control);
  await expect(page.getByTestId('beam-release')).toContainText('Erlang/OTP 25');
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await expect(node(page, 'pooly/root')).toContainText('one_for_all');
});

test('kill a worker: a new pid in its place and a restart count of 1 within 2 s', async ({ page }) => {
  await open(page, control);
  const w3 = node(page, 'pooly/root/pooly_worker_sup/{worker,3}');
  await expect(w3).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
  const old = (await w3.getAttribute('data-pid'))!;
  // Select it by its pid (the search reveals and selects the match), then k and Enter.
  await select(page, old);
  await expect(w3).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(page.getByTestId('kill-menu')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(w3).not.toHaveAttribute('data-pid', old, { timeout: 2000 });
  await expect(w3).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
  await expect(w3.getByTestId('restart-badge')).toHaveText('1', { timeout: 2000 });
  await expect(page.locator(WORKERS)).toHaveCount(5);
});

test('observe only: the kill is refused', async ({ page }) => {
  await open(page, observeOnly);
  await expect(page.getByTestId('granted')).toHaveText('observe only');
  const w1 = node(page, 'pooly/root/pooly_worker_sup/{worker,1}');
  await expect(w1).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
  const old = (await w1.getAttribute('data-pid'))!;
  await select(page, old);
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

test('a wrong token is refused', async ({ page }) => {
  await page.goto(`/?attach=${encodeURIComponent(control.url.replace(/token=\w+/, 'token=0123'))}`);
  await expect(page.getByTestId('connection-banner')).toContainText('wrong token');
});

test('a wrong origin is refused', async ({ page }) => {
  // localhost is not 127.0.0.1: an origin the bridges were not told to allow.
  const port = new URL(page.context().pages()[0]?.url() || 'http://127.0.0.1:5173').port;
  void port;
  await page.goto(`/?attach=${encodeURIComponent(control.url)}`.replace(/^/, ''));
  const localhost = page.url().replace('127.0.0.1', 'localhost');
  await page.goto(localhost);
  await expect(page.getByTestId('connection-banner')).toContainText('may not inspect this node');
});

test('a bad cookie gives a clear error and the bridge exits non-zero', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/beam/bin.ts', '--node', target.node, '--cookie', 'not_the_cookie', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(code).toBe(1);
  expect(err).toMatch(/refused the connection: the cookie is probably wrong/);
});
