import { expect, test } from '@playwright/test';

// Attach to a runtime embedded in an iframe, the way an embedder's page is inspected: the
// page's own runtime runs no application, so the Pooly seen here is the iframe's.

test('attaches to a runtime in an iframe, shows which one, and kills there', async ({ page }) => {
  await page.goto('/?tab=attach');
  await expect(page.getByTestId('granted')).toHaveText('control');
  await page.getByLabel('Page URL').fill('/app/host/embed.html?start=Pooly');
  await expect(page.getByLabel('Page origin')).toHaveAttribute('placeholder', new URL(page.url()).origin);
  await page.getByRole('button', { name: 'Embed in an iframe' }).click();

  await expect(page.getByTestId('attach-frame')).toBeVisible();
  await expect(page.getByTestId('runtime-badge')).toContainText('Embedded page (Pooly)', { timeout: 10_000 });
  await expect(page.getByTestId('runtime-badge')).toContainText('iframe /app/host/embed.html');
  await expect(page.getByTestId('attach-current')).toContainText('granted observe + control');

  // Another tab: the iframe (and its runtime) lives on.
  await page.keyboard.press('4');
  await page.getByLabel('Filter processes').fill('Pooly.SampleWorker');
  const rows = page.getByTestId('process-row');
  await expect(rows).toHaveCount(5);
  const victim = (await rows.first().locator('[data-col="pid"]').textContent())!;
  await rows.first().click();
  await page.keyboard.press('k');
  await page.getByRole('dialog', { name: 'Kill process' }).getByRole('button', { name: 'Kill' }).click();
  await expect(rows.filter({ hasText: victim })).toHaveCount(0, { timeout: 2_000 });
  await expect(rows).toHaveCount(5);

  // Back to this page's own runtime: no Pooly there.
  await page.keyboard.press('8');
  await page.getByRole('button', { name: 'Inspect this page' }).click();
  await expect(page.getByTestId('runtime-badge')).toContainText('Orchard demos');
  await expect(page.getByTestId('attach-frame')).toHaveCount(0);
  await page.keyboard.press('4');
  await expect(page.getByTestId('process-shown')).toContainText('0 shown');
});

test('says clearly when the page asked for exposes no runtime', async ({ page }) => {
  test.setTimeout(30_000);
  await page.goto('/?tab=attach');
  await expect(page.getByTestId('granted')).toHaveText('control');
  await page.getByLabel('Page URL').fill('/favicon.svg');
  await page.getByRole('button', { name: 'Embed in an iframe' }).click();
  await expect(page.getByTestId('runtime-badge')).toContainText('Connecting');
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('No runtime answered', { timeout: 15_000 });
  await expect(banner).toContainText('exposeInspector');
  await banner.getByRole('button', { name: 'Inspect this page' }).click();
  await expect(page.getByTestId('granted')).toHaveText('control');
  await expect(banner).toBeHidden();
});

test('attaches to a page in a window it opens, and says so when that window is closed', async ({ page }) => {
  await page.goto('/?tab=attach');
  await expect(page.getByTestId('granted')).toHaveText('control');
  await page.getByLabel('Page URL').fill('/app/host/embed.html?start=Counter');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open in a window' }).click()]);
  await expect(page.getByTestId('runtime-badge')).toContainText('Embedded page (Counter)', { timeout: 10_000 });
  await expect(page.getByTestId('runtime-badge')).toContainText('window /app/host/embed.html');

  await popup.close();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('The runtime is gone', { timeout: 5_000 });
  await expect(banner.getByRole('button', { name: 'Try again' })).toBeVisible();
});

test('"Use the example page" fills a URL relative to the Observer, and it attaches', async ({ page }) => {
  await page.goto('/?tab=attach');
  await expect(page.getByTestId('granted')).toHaveText('control');
  await page.getByRole('button', { name: 'Use the example page' }).click();
  // Relative, so that an Observer served from a subfolder finds the page beside it.
  await expect(page.getByLabel('Page URL')).toHaveValue('app/host/embed.html?start=Pooly');
  await page.getByRole('button', { name: 'Embed in an iframe' }).click();
  await expect(page.getByTestId('runtime-badge')).toContainText('Embedded page (Pooly)', { timeout: 10_000 });
});
