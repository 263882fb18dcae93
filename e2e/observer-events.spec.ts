import { expect, test } from '@playwright/test';

// The flight recorder: a kill shows up as an exit with its reason and a restart; filtering by
// type and text narrows the timeline; clicking an event opens its process.

test('the events timeline filters by type and text, and an event opens its process', async ({ page }) => {
  await page.goto('/?start=Counter&tab=processes');
  await expect(page.getByTestId('granted')).toHaveText('control');
  await page.getByLabel('Filter processes').fill('Counter');
  const counter = page.locator('[data-testid="process-row"][data-name="Counter"]');
  await expect(counter).toHaveCount(1);
  const victim = (await counter.locator('[data-col="pid"]').textContent())!;
  await counter.click();
  await page.keyboard.press('k');
  await page.getByRole('dialog', { name: 'Kill process' }).getByRole('button', { name: 'Kill' }).click();
  await expect(counter.locator('[data-col="pid"]')).not.toHaveText(victim);

  await page.keyboard.press('Escape');
  await page.keyboard.press('6');
  const events = page.getByTestId('event-row');
  await expect(events.first()).toBeVisible();
  await page.getByRole('group', { name: 'Event types' }).getByRole('button', { name: 'exit', exact: true }).click();
  await expect(page).toHaveURL(/ev=process\.exited/);
  for (const type of await events.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')))) expect(type).toBe('orchard.process.exited');
  await page.getByLabel('Filter events').fill(victim);
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText('killed');

  await events.first().locator('time').click();
  const detail = page.getByTestId('process-detail');
  await expect(detail).toContainText(victim);
  await expect(detail).toContainText('This process has exited');

  // The restart event names the new pid; it opens the live process.
  await page.getByRole('group', { name: 'Event types' }).getByRole('button', { name: 'exit', exact: true }).click();
  await page.getByRole('group', { name: 'Event types' }).getByRole('button', { name: 'restart', exact: true }).click();
  await expect(events).toHaveCount(1);
  await events.first().locator('time').click();
  await expect(detail).toContainText('Counter');
  await expect(detail).not.toContainText('This process has exited');
  await expect(detail.getByTestId('process-state')).toContainText('count');
});
