import { expect, test } from '@playwright/test';

// Screenshots of every view at common laptop sizes, for a person to look at. Run with
// SHOTS=/tmp/observer-shots npx playwright test e2e/observer-screenshots.
const DIR = process.env.SHOTS;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];
const TABS = ['system', 'load', 'applications', 'processes', 'tables', 'events', 'demos', 'attach'];

test.skip(DIR === undefined || DIR === '', 'screenshots only when SHOTS names a folder');

for (const size of SIZES) {
  test(`every view at ${size.width}x${size.height}`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize(size);
    await page.goto('/?start=Pooly,Counter,Backlog,InfoSys');
    await page.waitForTimeout(2500);
    // Tabs are switched in the page: a reload would start a fresh runtime without the demos.
    for (const tab of TABS) {
      await page.keyboard.press(String(TABS.indexOf(tab) + 1));
      await page.waitForTimeout(tab === 'load' ? 3000 : 1200);
      await page.screenshot({ path: `${DIR}/${tab}-${size.width}.png` });
    }
    await page.keyboard.press('4');
    await page.getByRole('columnheader', { name: /Mailbox/ }).click();
    await page.waitForTimeout(1000);
    const row = page.getByTestId('process-row').first();
    if ((await row.count()) > 0) {
      await row.click();
      await expect(page.getByTestId('process-detail')).toBeVisible();
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${DIR}/detail-${size.width}.png` });
      await page.keyboard.press('k');
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${DIR}/kill-dialog-${size.width}.png` });
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Escape');
    await page.keyboard.press('8');
    await page.getByLabel('Page URL').fill('/app/host/embed.html?start=Pooly');
    await page.getByRole('button', { name: 'Embed in an iframe' }).click();
    await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 10_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${DIR}/attach-frame-${size.width}.png` });
  });
}
