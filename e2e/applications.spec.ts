import { type Page, expect, test } from '@playwright/test';

// The Applications view through the real UI: the page's own runtime, the inspector protocol,
// the store and the tree, as a person uses them.

const WORKERS = '[data-testid="tree-node"][data-kind="worker"][data-key^="Pooly/root/worker_sup/"]';

async function start(page: Page, ...apps: string[]): Promise<void> {
  await page.goto('/?tab=demos');
  for (const name of apps) {
    await page.locator(`[data-testid="demo"][data-name="${name}"]`).getByRole('button', { name: 'Start' }).click();
    await expect(page.locator(`[data-testid="demo"][data-name="${name}"]`)).toHaveAttribute('data-running', 'true');
  }
  await page.getByRole('tab', { name: /Applications/ }).click();
}

const node = (page: Page, key: string) => page.locator(`[data-testid="tree-node"][data-key="${key}"]`);

test('starting Pooly shows its tree: master, supervisors, five workers', async ({ page }) => {
  await start(page, 'Pooly');
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await expect(node(page, 'Pooly')).toHaveAttribute('data-kind', 'application');
  await expect(node(page, 'Pooly/root')).toContainText('one_for_all');
  await expect(node(page, 'Pooly/root/worker_sup')).toContainText('one_for_one');
  for (const w of await page.locator(WORKERS).all()) await expect(w).toHaveAttribute('data-pid', /^<0\.\d+\.\d+>$/);
});

test('kill a worker from the context menu: blast radius first, then a new pid in its place, badge 1', async ({ page }) => {
  await start(page, 'Pooly');
  const w3 = node(page, 'Pooly/root/worker_sup/worker_3');
  const old = (await w3.getAttribute('data-pid'))!;
  await w3.click({ button: 'right' });
  const menu = page.getByTestId('kill-menu');
  await expect(menu).toBeVisible();
  // one_for_one: only this worker dies, and its supervisor restarts it.
  await expect(menu.getByTestId('blast-dies')).toHaveText('1');
  await expect(menu.getByTestId('blast-restarted')).toHaveText('1');
  await expect(w3).toHaveAttribute('data-blast', 'target');

  // Within a second of the click, a new pid stands in the worker's place.
  await menu.getByTestId('kill-confirm').click();
  await expect(w3).toHaveAttribute('data-pid', new RegExp(`^(?!${old.replace(/[<>.]/g, '\\$&')}$)<0\\.\\d+\\.\\d+>$`), { timeout: 1000 });
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await expect(w3.getByTestId('restart-badge')).toHaveText('1');
  await expect(node(page, 'Pooly/root/worker_sup/worker_2').getByTestId('restart-badge')).toHaveText('0');
  await expect(w3).toContainText('killed');
});

test('kill from the keyboard: select, k, Enter', async ({ page }) => {
  await start(page, 'Pooly');
  const w1 = node(page, 'Pooly/root/worker_sup/worker_1');
  const old = (await w1.getAttribute('data-pid'))!;
  await w1.click();
  await expect(w1).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(page.getByTestId('kill-menu')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(w1).not.toHaveAttribute('data-pid', old, { timeout: 1000 });
  await expect(w1.getByTestId('restart-badge')).toHaveText('1');
  // The selection follows the place in the tree to the new pid.
  await expect(w1).toHaveAttribute('aria-selected', 'true');
});

test('rest_for_one: the preview names the children started after the failed one, and they restart', async ({ page }) => {
  await start(page, 'Chain');
  const pids = async () => Object.fromEntries(await Promise.all(['db', 'cache', 'api', 'web'].map(async (id) => [id, await node(page, `Chain/root/${id}`).getAttribute('data-pid')])));
  await expect(node(page, 'Chain/root/web')).toBeVisible();
  const before = await pids();
  await node(page, 'Chain/root/cache').click({ button: 'right' });
  const menu = page.getByTestId('kill-menu');
  await expect(menu.getByTestId('blast-dies')).toHaveText('3');
  await expect(node(page, 'Chain/root/api')).toHaveAttribute('data-blast', 'restarted');
  await expect(node(page, 'Chain/root/db')).not.toHaveAttribute('data-blast', /.+/);
  await menu.getByTestId('kill-confirm').click();
  await expect(node(page, 'Chain/root/web')).not.toHaveAttribute('data-pid', before.web!, { timeout: 1000 });
  const after = await pids();
  expect(after.db).toBe(before.db);
  expect(after.cache).not.toBe(before.cache);
  expect(after.api).not.toBe(before.api);
});

test('exit with reason normal to a worker that does not trap exits changes nothing', async ({ page }) => {
  await start(page, 'Pooly');
  const w2 = node(page, 'Pooly/root/worker_sup/worker_2');
  await w2.click({ button: 'right' });
  const menu = page.getByTestId('kill-menu');
  await menu.getByRole('radio', { name: 'normal' }).check();
  await expect(menu.getByTestId('blast-radius')).toContainText('Nothing happens');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
});

test('the crash loop: its supervisor gives up, the escalation reaches the root, the tree is shown terminated', async ({ page }) => {
  test.setTimeout(20_000);
  await start(page, 'CrashLoop');
  await expect(node(page, 'CrashLoop/root/loop_sup/flaky')).toBeVisible();
  const banner = page.getByTestId('fallen-banner');
  await expect(banner).toContainText('CrashLoop stopped', { timeout: 10_000 });
  await expect(banner).toContainText('gave up');
  const root = node(page, 'CrashLoop/root');
  await expect(root).toHaveAttribute('data-status', 'dead');
  await expect(root).toContainText('terminated');
  await expect(node(page, 'CrashLoop/root/loop_sup')).toHaveAttribute('data-status', 'dead');
  // The root restarted loop_sup once before it gave up in turn.
  await expect(node(page, 'CrashLoop/root/loop_sup').getByTestId('restart-badge')).toHaveText('1');
});

test('search finds a process by name and reveals it, collapsed ancestors included', async ({ page }) => {
  await start(page, 'Pooly');
  await node(page, 'Pooly/root/worker_sup').getByRole('button', { name: /collapse/ }).click();
  await expect(page.locator(WORKERS)).toHaveCount(0);
  const search = page.getByRole('searchbox', { name: 'Find a process in the tree' });
  await search.fill('worker_4');
  await search.press('Enter');
  const w4 = node(page, 'Pooly/root/worker_sup/worker_4');
  await expect(w4).toBeVisible();
  await expect(w4).toHaveAttribute('aria-selected', 'true');
  // And by pid.
  const pid = (await node(page, 'Pooly/root/server').getAttribute('data-pid'))!;
  await search.fill(pid);
  await search.press('Enter');
  await expect(node(page, 'Pooly/root/server')).toHaveAttribute('aria-selected', 'true');
});

test('the keyboard walks the tree: arrows move the selection, c collapses, Enter opens the detail', async ({ page }) => {
  await start(page, 'Pooly');
  await node(page, 'Pooly/root/worker_sup/worker_2').click();
  await page.keyboard.press('ArrowDown');
  await expect(node(page, 'Pooly/root/worker_sup/worker_3')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  const sup = node(page, 'Pooly/root/worker_sup');
  await expect(sup).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('c');
  await expect(page.locator(WORKERS)).toHaveCount(0);
  await expect(sup).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await expect(node(page, 'Pooly/root/worker_sup/worker_1')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('process-detail')).toBeVisible();
});

test('opening the detail panel keeps the selected process on screen beside it', async ({ page }) => {
  await start(page, 'Pooly');
  const surface = page.getByTestId('tree-surface');
  const w5 = node(page, 'Pooly/root/worker_sup/worker_5');
  await expect(w5).toBeVisible();
  // Zoomed in by hand about the worker, at the right of the view: the panel takes that part.
  const box = (await surface.boundingBox())!;
  const at = (await w5.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.mouse.wheel(0, -200);
  await page.mouse.dblclick(at.x + at.width / 2, at.y + at.height / 2);
  await expect(page.getByTestId('process-detail')).toBeVisible();
  await expect(async () => {
    const s = (await surface.boundingBox())!;
    const n = (await w5.boundingBox())!;
    expect(s.width).toBeLessThan(box.width);
    expect(n.x).toBeGreaterThanOrEqual(s.x);
    expect(n.x + n.width).toBeLessThanOrEqual(s.x + s.width);
    expect(n.y).toBeGreaterThanOrEqual(s.y);
    expect(n.y + n.height).toBeLessThanOrEqual(s.y + s.height);
  }).toPass();
});

test('with no application running, the empty state sits in the middle of the tree area', async ({ page }) => {
  await page.goto('/?tab=applications');
  const empty = page.getByText('No supervision tree running');
  await expect(empty).toBeVisible();
  const view = (await page.getByTestId('applications-view').boundingBox())!;
  const text = (await empty.boundingBox())!;
  expect(Math.abs(text.x + text.width / 2 - (view.x + view.width / 2))).toBeLessThan(4);
});

test('the monitors overlay draws InfoSys.Client watching its tasks', async ({ page }) => {
  await start(page, 'InfoSys');
  const surface = page.getByTestId('tree-surface');
  await expect(node(page, 'InfoSys/root/client')).toBeVisible();
  await expect(surface).toHaveAttribute('data-extra-edges', '0');
  await page.getByRole('checkbox', { name: 'monitors' }).check();
  // A query's tasks live up to 250 ms out of every 700: the caller monitors each while it runs.
  await expect
    .poll(async () => Number(await surface.getAttribute('data-extra-edges')), { timeout: 10_000, intervals: [50] })
    .toBeGreaterThan(0);
});
