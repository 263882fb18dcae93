import { expect, test, type Page } from '@playwright/test';

// The app's own demo runtime is a node: one scheduler per Web Worker (DESIGN: schedulers live
// in workers), inspected through the same protocol as any page. `?runtime=page` is the
// one-scheduler fallback a page without workers gets.

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.getByTestId('granted')).toHaveText('control');
}

const schedulerRows = (page: Page) => page.getByRole('table', { name: 'Schedulers' }).locator('tbody tr');

test('the demo runtime runs in Web Workers, and the demos spread over its schedulers', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await open(page, '?start=Pooly,InfoSys&tab=system&schedulers=2');
  await expect(page.getByTestId('runtime-badge')).toContainText('2 schedulers in Web Workers');
  await expect(schedulerRows(page)).toHaveCount(2);
  expect(workers.filter((u) => /schedulerWorker/.test(u))).toHaveLength(2);
  // Pooly and InfoSys were placed on different schedulers: both rows have processes.
  for (const row of await schedulerRows(page).all()) {
    await expect(row.locator('td').nth(3)).not.toHaveText('0');
  }
  // The process table says which scheduler each process is on.
  await page.getByRole('tab', { name: /Processes/ }).click();
  const server = page.getByTestId('process-row').filter({ hasText: 'Pooly.Server' });
  const cache = page.getByTestId('process-row').filter({ hasText: 'InfoSys.Cache' });
  await expect(server).toHaveCount(1);
  await expect(cache).toHaveCount(1);
  const scheduler = (row: typeof server) => row.locator('[data-col="scheduler"]').textContent();
  const serverScheduler = (await scheduler(server))?.trim();
  expect(serverScheduler).not.toBe((await scheduler(cache))?.trim());
  // The Demos view says where each running application is.
  await page.getByRole('tab', { name: /Demos/ }).click();
  const pooly = page.locator('[data-testid="demo"][data-name="Pooly"]');
  await expect(pooly).toContainText(`scheduler ${serverScheduler}`);
});

test('a kill in a worker is seen and restarted there, through the tree', async ({ page }) => {
  await open(page, '?start=InfoSys,Pooly&tab=applications');
  const node = page.getByTestId('tree-node').filter({ hasText: 'worker_3' });
  await expect(node).toHaveCount(1);
  const before = await node.getAttribute('data-pid');
  expect(before).toMatch(/^<0\.\d+\.[01]>$/);
  await node.click({ button: 'right' });
  const menu = page.getByTestId('kill-menu');
  await expect(menu.getByTestId('blast-restarted')).toHaveText('1');
  await menu.getByTestId('kill-confirm').click();
  await expect(node).not.toHaveAttribute('data-pid', before!, { timeout: 2_000 });
  expect((await node.getAttribute('data-pid'))!.split('.')[2]).toBe(before!.split('.')[2]);
});

test('?runtime=page runs one scheduler on the page', async ({ page }) => {
  await open(page, '?runtime=page&start=Counter&tab=system');
  await expect(page.getByTestId('runtime-badge')).toContainText('one scheduler on the page');
  await expect(schedulerRows(page)).toHaveCount(1);
});
