import { type Page, expect, test } from '@playwright/test';

// What an engineer who knows Erlang's Observer expects, through the real UI: names and the
// filter, rates, the keyboard, the tree's layout. `?start=` starts demo applications with the page.

// A loaded machine starts the schedulers' workers slowly.
test.describe.configure({ timeout: 90_000 });

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 20_000 });
}

const rows = (page: Page) => page.getByTestId('process-row');

test('the Processes filter finds child ids, and the Name column tells the Pooly workers apart', async ({ page }) => {
  await open(page, '?start=Pooly&tab=processes');
  await page.getByLabel('Filter processes').fill('Pooly.SampleWorker');
  await expect(rows(page)).toHaveCount(5);
  const names = await rows(page).locator('[data-col="name"]').allTextContents();
  // Each reads its child id first, then its initial call, as Observer's Name column reads.
  expect(names.map((n) => n.split(' ')[0]).sort()).toEqual(['worker_1', 'worker_2', 'worker_3', 'worker_4', 'worker_5']);
  for (const n of names) expect(n).toContain('Pooly.SampleWorker');
  await page.getByLabel('Filter processes').fill('worker_3');
  await expect(rows(page)).toHaveCount(1);
});

test('rates are per second over a sliding second: Messages is not 0/s under steady Backlog traffic', async ({ page }) => {
  // Backlog delivers 24 jobs and a timer message every 3 s: 25 deliveries, all within a tick or
  // two. A per-tick rate read 0/s all along; over a sliding second it reads about 25/s for the
  // second after each burst (and 0 in between, when nothing is delivered).
  await open(page, '?start=Backlog');
  const messages = page.getByTestId('stat-messages');
  const seen: number[] = [];
  for (let i = 0; i < 28; i++) {
    seen.push(Number((await messages.textContent())?.replace('/s', '')));
    await page.waitForTimeout(250);
  }
  expect(seen.filter((n) => n >= 20).length, seen.join(' ')).toBeGreaterThanOrEqual(3);

  // The process table shows reductions per second, not the last tick's count.
  await page.keyboard.press('4');
  await expect(page.getByRole('columnheader', { name: /^Reds\/s/ })).toBeVisible();
  await page.getByLabel('Filter processes').fill('Backlog.Consumer');
  await expect.poll(async () => Number((await rows(page).first().locator('[data-col="reductionsRate"]').textContent())?.replace(/,/g, '')), { timeout: 8_000 }).toBeGreaterThan(0);
});

test('the ? dialog lists every shortcut, the tree keys and double-click included', async ({ page }) => {
  await open(page, '');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const text of ['first child', 'parent', 'collapse or expand', 'fit the whole forest', 'zoom in or out', 'double-click', 'kill menu', 'switch tab']) {
    await expect(dialog).toContainText(text);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the first Tab reaches "Skip to content", which puts the focus on the tree', async ({ page }) => {
  await open(page, '?start=Pooly&tab=applications');
  await expect(page.locator('[data-testid="tree-node"]').first()).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tree-surface')).toBeFocused();
  // The tree's keys work from there.
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-testid="tree-node"][aria-selected="true"]')).toHaveCount(1);
});

test('digit shortcuts work while the chaos switch has the focus', async ({ page }) => {
  await open(page, '?tab=demos');
  await page.getByTestId('chaos-switch').focus();
  await page.keyboard.press('1');
  await expect(page.getByTestId('system-view')).toBeVisible();
});

test('the update counter never goes backwards after a pause and resume', async ({ page }) => {
  await open(page, '');
  const tick = page.getByTestId('tick');
  const count = async () => Number(/#(\d+)/.exec((await tick.textContent()) ?? '')?.[1] ?? NaN);
  await expect.poll(count).toBeGreaterThan(20);
  await page.keyboard.press(' ');
  await expect(tick).toContainText('paused');
  const before = await count();
  await page.keyboard.press(' ');
  await expect(tick).not.toContainText('paused');
  await expect.poll(count).toBeGreaterThan(before);
  const after: number[] = [];
  for (let i = 0; i < 5; i++) {
    after.push(await count());
    await page.waitForTimeout(100);
  }
  for (const n of after) expect(n).toBeGreaterThanOrEqual(before);
});

test('the JS heap chart says why it is empty when the runtime reports no heap', async ({ page }) => {
  // A browser without performance.memory (only Chromium has it), the runtime on the page.
  await page.addInitScript(() => Object.defineProperty(Performance.prototype, 'memory', { get: () => undefined, configurable: true }));
  await open(page, '?tab=load&runtime=page');
  await expect(page.getByTestId('chart-heap-unavailable')).toContainText('performance.memory');
});

test('the kill menu of a right-hand node opens beside it', async ({ page }) => {
  await open(page, '?start=Pooly&tab=applications');
  const workers = page.locator('[data-testid="tree-node"][data-kind="worker"][data-key^="Pooly/root/worker_sup/"]');
  await expect(workers).toHaveCount(5);
  let right = workers.first();
  let best = -Infinity;
  for (const w of await workers.all()) {
    const b = (await w.boundingBox())!;
    if (b.x > best) [best, right] = [b.x, w];
  }
  const box = (await right.boundingBox())!;
  await right.click({ button: 'right' });
  const menu = (await page.getByTestId('kill-menu').boundingBox())!;
  const dx = Math.max(0, menu.x - (box.x + box.width), box.x - (menu.x + menu.width));
  const dy = Math.max(0, menu.y - (box.y + box.height), box.y - (menu.y + menu.height));
  expect(Math.hypot(dx, dy)).toBeLessThan(120);
});

test('a newly started tree is brought into view, even after the view was moved', async ({ page }) => {
  await open(page, '?start=Pooly&tab=applications');
  const surface = page.getByTestId('tree-surface');
  await expect(page.locator('[data-testid="tree-node"][data-key="Pooly"]')).toBeVisible();
  // Move the view: pan the tree away, so an automatic fit no longer applies.
  const s = (await surface.boundingBox())!;
  await page.mouse.move(s.x + 200, s.y + 200);
  await page.mouse.down();
  await page.mouse.move(s.x + 200, s.y + 40, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.press('7');
  await page.locator('[data-testid="demo"][data-name="Counter"]').getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('[data-testid="demo"][data-name="Counter"]')).toHaveAttribute('data-running', 'true');
  await page.keyboard.press('3');
  const counter = page.locator('[data-testid="tree-node"][data-key="Counter"]');
  await expect(counter).toBeVisible();
  const c = (await counter.boundingBox())!;
  const view = (await surface.boundingBox())!;
  expect(c.y + c.height).toBeLessThanOrEqual(view.y + view.height);
  expect(c.y).toBeGreaterThanOrEqual(view.y);
});

test('Tables: a click in the middle of a row opens the table, which the URL keeps across a reload', async ({ page }) => {
  await open(page, '?start=Backlog&tab=tables');
  const row = page.getByTestId('table-row').filter({ hasText: 'Backlog.done' });
  await row.click(); // the middle of the row
  await expect(page.getByTestId('table-contents')).toBeVisible();
  await expect(page.getByTestId('process-detail')).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]table=Backlog\.done/);
  // The contents follow the row's size.
  const size = async () => Number((await row.locator('td').nth(3).textContent())?.replace(/,/g, ''));
  const shown = async () => Number(/of ([\d,]+)/.exec((await page.getByTestId('table-contents').locator('header').textContent()) ?? '')?.[1]?.replace(/,/g, ''));
  await expect.poll(async () => (await size()) > 0 && (await size()) === (await shown()), { timeout: 20_000 }).toBe(true);
  await page.reload();
  await expect(page.getByTestId('table-contents')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('table-contents')).toContainText('Backlog.done');
});

test('the URL keeps a process by its place in the tree, resolves it after a reload, and says when it is gone', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, '?start=Pooly&tab=processes');
  await page.getByLabel('Filter processes').fill('worker_3');
  await page.getByTestId('process-row').first().click();
  await expect(page.getByTestId('process-detail')).toContainText('worker_3');
  await expect(page).toHaveURL(/[?&]proc=Pooly%2Froot%2Fworker_sup%2Fworker_3/);
  // A reload starts a fresh runtime: the old pid may name another process; the place does not.
  await page.reload();
  await expect(page.getByTestId('process-detail')).toContainText('worker_3', { timeout: 20_000 });
  await expect(page.getByTestId('process-detail')).toContainText('Pooly.SampleWorker');

  await page.goto('/?start=Pooly&tab=processes&proc=Pooly%2Froot%2Fworker_sup%2Fworker_9');
  await expect(page.getByTestId('url-notice')).toContainText('Pooly/root/worker_sup/worker_9', { timeout: 20_000 });
  await expect(page.getByTestId('process-detail')).toHaveCount(0);
});
