import { expect, test } from '@playwright/test';

test('start and stop a demo application', async ({ page }) => {
  await page.goto('/?tab=demos');
  const counter = page.locator('[data-testid="demo"][data-name="Counter"]');
  await counter.getByRole('button', { name: 'Start' }).click();
  await expect(counter).toHaveAttribute('data-running', 'true');
  await expect(counter).toContainText('processes');
  await counter.getByRole('button', { name: 'Stop' }).click();
  await expect(counter).toHaveAttribute('data-running', 'false');
});

test('the chaos switch kills random workers, and their supervisors restart them', async ({ page }) => {
  await page.goto('/?tab=demos');
  await page.locator('[data-testid="demo"][data-name="Pooly"]').getByRole('button', { name: 'Start' }).click();
  const chaos = page.getByTestId('chaos');
  await chaos.getByLabel('Interval').selectOption('250');
  await chaos.getByTestId('chaos-switch').check();
  const kills = chaos.getByRole('list', { name: 'Recent chaos kills' }).getByRole('listitem');
  await expect.poll(() => kills.count(), { timeout: 3000 }).toBeGreaterThanOrEqual(3);
  await chaos.getByTestId('chaos-switch').uncheck();
  await page.getByRole('tab', { name: /Applications/ }).click();
  // Still five workers, and restarts on the badges. (Not one per kill: a kill of Pooly.Server
  // restarts the whole pool, one_for_all, and the new worker supervisor counts from zero.)
  const workers = page.locator('[data-testid="tree-node"][data-kind="worker"][data-key^="Pooly/root/worker_sup/"]');
  await expect(workers).toHaveCount(5);
  const badges = page.locator('[data-testid="tree-node"][data-key^="Pooly/"]').getByTestId('restart-badge');
  await expect.poll(async () => (await badges.allTextContents()).reduce((a, b) => a + Number(b), 0)).toBeGreaterThanOrEqual(1);
});
