import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Page, expect, test } from '@playwright/test';

// Orchard as a new user meets it (issue 11): pack the library, make a Vite project of their own
// in a temporary folder outside the repository, install the tarball there (offline, from the
// npm cache: the package has no dependencies), write an app with its own supervision tree with
// a child on another worker (e2e/fixtures/fresh-app, the README's "Use Orchard in your app"),
// typecheck it, build it and serve the build. Then the built Observer, served as plain static
// files (`vite preview`, a static server and nothing else) from two origins, attaches to the
// app and kills in it.
//
// The toolchain (vite, tsc) is the repository's own, linked into the project: the npm cache
// holds their tarballs but not the registry's metadata an offline `npm install vite` needs.

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'e2e/fixtures/fresh-app');
const PORT = Number(process.env.ORCHARD_PORT ?? 5173);
const APP_PORT = Number(process.env.ORCHARD_PREVIEW_PORT ?? PORT + 1000);
const APP = `http://127.0.0.1:${APP_PORT}`;
// The Observer, from three origins the app's code treats differently (src/main.ts): the built
// one at two origins of one static server, and the repository's dev server, which it does not list.
const OBSERVER_PORT = APP_PORT + 1;
const OBSERVER = `http://127.0.0.1:${OBSERVER_PORT}`;
const VIEWER = `http://localhost:${OBSERVER_PORT}`;
const STRANGER = `http://127.0.0.1:${PORT}`;

let work = '';
let observerDir = '';
let servers: ChildProcess[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  const t0 = Date.now();
  const out = execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
  process.stderr.write(`fresh-project: ${cmd} ${args.slice(0, 2).join(' ')}: ${Date.now() - t0} ms\n`);
  return out;
}

test.describe.configure({ mode: 'serial', timeout: 90_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  work = mkdtempSync(join(tmpdir(), 'orchard-fresh-'));
  // 1. Pack the library.
  run('npm', ['run', 'build:lib'], ROOT);
  const tarball = join(work, run('npm', ['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!);
  // 2. A project of the user's own, outside the repository.
  const shop = join(work, 'shop');
  cpSync(FIXTURE, shop, { recursive: true });
  const main = join(shop, 'src/main.ts');
  writeFileSync(main, readFileSync(main, 'utf8').replace('https://observer.example', OBSERVER).replace('https://viewer.example', VIEWER));
  // 3. Install the tarball, offline.
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], shop);
  for (const tool of ['vite', 'typescript']) symlinkSync(join(ROOT, 'node_modules', tool), join(shop, 'node_modules', tool), 'dir');
  // 4. It typechecks against the package's .d.ts (no skipLibCheck), then 5. builds.
  run('node', ['node_modules/typescript/bin/tsc', '-p', '.'], shop);
  run('node', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], shop);
  // The Observer, built as `npm run build` builds it, into a folder of its own.
  observerDir = join(work, 'observer');
  run('node', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--outDir', observerDir, '--emptyOutDir'], ROOT);
  // Serve both builds as static files.
  const serve = (cwd: string, port: number, ...extra: string[]) =>
    spawn('node', ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...extra], { cwd, stdio: 'ignore' });
  servers = [serve(shop, APP_PORT), serve(ROOT, OBSERVER_PORT, '--outDir', observerDir)];
  for (const url of [APP, OBSERVER]) await expect.poll(() => fetch(url).then((r) => r.status, () => 0), { timeout: 20_000 }).toBe(200);
});

test.afterAll(() => {
  for (const s of servers) s.kill();
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** Opens the Observer at `origin` and attaches it to the app in an iframe, from the Attach view. */
async function attachFrom(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/?tab=attach`);
  await expect(page.getByTestId('attach-current')).toContainText('connected', { timeout: 20_000 });
  await page.getByLabel('Page URL').fill(`${APP}/`);
  await page.getByRole('button', { name: 'Embed in an iframe' }).click();
}

const treeNode = (page: Page, key: string) => page.locator(`[data-testid="tree-node"][data-key="${key}"]`);
const onScheduler = (s: number) => new RegExp(`^<0\\.\\d+\\.${s}>$`);

test('the app built from the packed library runs its tree in workers; the Observer attaches from another origin and a kill is restarted', async ({ page, context }) => {
  // The production build's runtime runs in Web Workers.
  const app = await context.newPage();
  await app.goto(`${APP}/`);
  await expect(app.locator('#status')).toContainText(/Shop runs under <0\.\d+\.\d+> on 2 workers/, { timeout: 15_000 });
  expect(app.workers().length).toBe(2);
  await app.close();

  await attachFrom(page, OBSERVER);
  await expect(page.getByTestId('attach-current')).toContainText('granted observe + control', { timeout: 15_000 });
  await expect(page.getByTestId('attach-current')).toContainText('Shop');

  // The app's own tree: the application, its supervisor, a child on each worker.
  await page.getByRole('tab', { name: /Applications/ }).click();
  await expect(treeNode(page, 'Shop')).toHaveAttribute('data-kind', 'application');
  await expect(treeNode(page, 'Shop/root')).toContainText('one_for_one');
  const refunds = treeNode(page, 'Shop/root/refunds');
  await expect(refunds).toHaveAttribute('data-pid', onScheduler(1));
  await expect(treeNode(page, 'Shop/root')).toHaveAttribute('data-pid', onScheduler(0));
  await expect(treeNode(page, 'Shop/root/orders')).toHaveAttribute('data-pid', onScheduler(0));

  // Kill the child on the other worker: its supervisor restarts it there.
  const old = (await refunds.getAttribute('data-pid'))!;
  await refunds.click({ button: 'right' });
  await page.getByTestId('kill-menu').getByTestId('kill-confirm').click();
  await expect(refunds).not.toHaveAttribute('data-pid', old, { timeout: 5_000 });
  await expect(refunds).toHaveAttribute('data-pid', onScheduler(1));
  await expect(refunds.getByTestId('restart-badge')).toHaveText('1');
});

test('an origin the app does not list is refused', async ({ page }) => {
  await attachFrom(page, STRANGER);
  await expect(page.getByTestId('attach-current')).toContainText('origin_not_allowed', { timeout: 15_000 });
  await expect(page.getByTestId('attach-current')).not.toContainText('granted');
});

test('an origin allowed to observe cannot kill, even when it asks for control', async ({ page }) => {
  await attachFrom(page, VIEWER);
  await expect(page.getByTestId('attach-current')).toContainText('granted observe', { timeout: 15_000 });
  await expect(page.getByTestId('attach-current')).toContainText('observe only');
  await page.getByRole('tab', { name: /Applications/ }).click();
  const refunds = treeNode(page, 'Shop/root/refunds');
  await expect(refunds).toHaveAttribute('data-pid', onScheduler(1));
  const pid = (await refunds.getAttribute('data-pid'))!;

  // The raw protocol, as a hostile page on that origin would speak it: hello asking for
  // control, then kill. The app grants observe and refuses the kill.
  const result = await page.evaluate(async ([app, victim]) => {
    const origin = new URL(app!).origin;
    const frame = Object.assign(document.createElement('iframe'), { src: app });
    document.body.append(frame);
    let version = 1;
    const env = (type: string, fields: object) => ({ protocol: 'orchard-inspector', version, type, ...fields });
    return new Promise<{ granted: string[]; answer: { type: string; code?: string } }>((done, fail) => {
      const hello = () => frame.contentWindow!.postMessage(env('hello', { id: 0, capabilities: ['observe', 'control'], client: { name: 'raw', version: '1' } }), origin);
      const timer = setInterval(hello, 250);
      setTimeout(() => fail(new Error('no answer')), 10_000);
      addEventListener('message', (e: MessageEvent) => {
        if (e.origin !== origin || e.source !== frame.contentWindow) return;
        const m = e.data as { type: string; code?: string; version: number; versions?: number[]; granted?: string[] };
        if (m.type === 'refused' && m.code === 'version_mismatch') version = Math.max(...m.versions!);
        if (m.type !== 'welcome') return;
        clearInterval(timer);
        version = m.version;
        const port = e.ports[0]!;
        port.onmessage = ({ data }) => {
          for (const a of [data].flat() as Array<{ id?: number; type: string; code?: string }>) if (a.id === 1) done({ granted: m.granted!, answer: a });
        };
        port.postMessage(env('kill', { id: 1, pid: victim }));
      });
    });
  }, [`${APP}/`, pid]);
  expect(result.granted).toEqual(['observe']);
  expect(result.answer).toMatchObject({ type: 'error', code: 'not_permitted' });
  // Still the same process, never restarted.
  await page.waitForTimeout(500);
  await expect(refunds).toHaveAttribute('data-pid', pid);
  await expect(refunds.getByTestId('restart-badge')).toHaveText('0');
});
