import { expect, test } from '@playwright/test';

// The temporary demo page: a root that traps exits and links four workers. The whole flow is
// OTP's: exit(Pid, kill) cannot be trapped, the linked root gets {'EXIT', Pid, killed} and
// starts a fresh worker, which shows up under the same label with a new pid.

const PID = /^<0\.\d+\.0>$/;
const WORKERS = ['packer', 'picker', 'presser', 'sorter'];

test('shows the live process table of the page runtime', async ({ page }) => {
  await page.goto('/');
  const table = page.getByRole('table', { name: 'Processes' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Status' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Mailbox' })).toBeVisible();

  const root = page.locator('[data-testid="process-row"][data-name="demo_sup"]');
  await expect(root).toHaveCount(1);
  await expect(root.locator('[data-col="pid"]')).toHaveText(PID);

  for (const label of WORKERS) {
    const row = page.locator(`[data-testid="process-row"][data-label="${label}"]`);
    await expect(row).toHaveCount(1);
    await expect(row.locator('[data-col="pid"]')).toHaveText(PID);
    await expect(row.locator('[data-col="status"]')).toHaveText(/^(waiting|runnable|running)$/);
    await expect(row.getByTestId('mailbox-length')).toHaveText(/^\d+$/);
    // Each worker is linked to the root.
    await expect(row.locator('[data-col="links"]')).toContainText((await root.locator('[data-col="pid"]').textContent())!);
  }

  // Live: the workers keep ticking, so their reductions grow while we watch.
  const reductions = page.locator('[data-testid="process-row"][data-label="picker"] [data-col="reductions"]');
  const before = Number((await reductions.textContent())!.replace(/,/g, ''));
  await expect.poll(async () => Number((await reductions.textContent())!.replace(/,/g, '')), { timeout: 3_000 }).toBeGreaterThan(before);
});

test('a killed worker is replaced by a new pid within a second', async ({ page }, testInfo) => {
  await page.goto('/');
  const row = page.locator('[data-testid="process-row"][data-label="sorter"]');
  const pidCell = row.locator('[data-col="pid"]');
  await expect(pidCell).toHaveText(PID);
  const oldPid = (await pidCell.textContent())!;

  await row.getByRole('button', { name: /^Kill sorter/ }).click();

  await expect(pidCell).not.toHaveText(oldPid, { timeout: 1_000 });
  await expect(pidCell).toHaveText(PID);
  await expect(row.locator('[data-col="status"]')).toHaveText(/^(waiting|runnable|running)$/);
  await expect(page.locator('[data-testid="process-row"]').filter({ hasText: oldPid })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Recent exits' })).toContainText(`${oldPid}`);
  await expect(page.getByRole('list', { name: 'Recent exits' })).toContainText('killed');

  // Kept with the test's results (the HTML report) for a person to look at.
  await testInfo.attach('after-kill', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});
