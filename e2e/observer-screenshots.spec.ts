import { expect, type Page, test } from '@playwright/test';

// Screenshots of every view at common laptop sizes, for a person to look at. Run with
// SHOTS=/tmp/observer-shots npx playwright test e2e/observer-screenshots.
const DIR = process.env.SHOTS;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];
const TABS = ['system', 'load', 'applications', 'processes', 'tables', 'events', 'demos', 'attach', 'log'];

test.skip(DIR === undefined || DIR === '', 'screenshots only when SHOTS names a folder');

/** Opens the detail of the process named `name` from the Processes view. */
async function detailOf(page: Page, name: string): Promise<void> {
  await page.keyboard.press('4');
  await page.getByLabel('Filter processes').fill(name);
  await page.locator(`[data-testid="process-row"][data-name="${name}"]`).click();
  await expect(page.getByTestId('process-detail')).toBeVisible();
}

for (const size of SIZES) {
  test(`every view at ${size.width}x${size.height}`, async ({ page }) => {
    // Long: a shared machine under load draws slowly, and this is for looking, not timing.
    test.setTimeout(240_000);
    await page.setViewportSize(size);
    await page.goto('/?start=Pooly,Counter,Backlog,InfoSys');
    await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 20_000 });
    await page.waitForTimeout(2500);
    // Something for the Log: a plain message to the Counter (no handleInfo) and a crash of Pooly.Server.
    await detailOf(page, 'Counter');
    const form = page.getByTestId('send-form');
    await form.getByRole('radio', { name: 'message' }).check();
    await form.getByLabel(/^Term to send/).fill('"inc"');
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await detailOf(page, 'Pooly.Server');
    await form.getByRole('radio', { name: 'call' }).check();
    await form.getByLabel(/^Term to send/).fill(':boom');
    await form.getByRole('button', { name: 'Call', exact: true }).click();
    await page.waitForTimeout(1000);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // Tabs are switched in the page: a reload would start a fresh runtime without the demos.
    for (const tab of TABS) {
      await page.keyboard.press(String(TABS.indexOf(tab) + 1));
      await page.waitForTimeout(tab === 'load' ? 3000 : 1200);
      await page.screenshot({ path: `${DIR}/${tab}-${size.width}.png` });
    }
    await page.keyboard.press('4');
    await page.getByLabel('Filter processes').fill('');
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
    // A GenServer's detail (where it waits, its status, suspended), a plain process waiting in
    // receive (its source line) and an application master (its spec).
    await detailOf(page, 'Pooly.Server');
    await page.getByTestId('process-detail').getByRole('button', { name: 'Suspend' }).click();
    await expect(page.getByTestId('sys-suspended')).toHaveText('suspended');
    await page.getByTestId('process-detail').getByRole('heading', { name: 'Waiting in' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${DIR}/detail-genserver-${size.width}.png` });
    await page.getByTestId('process-detail').getByRole('button', { name: 'Resume' }).click();
    await detailOf(page, 'Backlog.Consumer');
    await expect(page.getByTestId('waiting-in')).toContainText(/\.ts:\d+/, { timeout: 10_000 });
    await page.getByTestId('waiting-in').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${DIR}/detail-waiting-${size.width}.png` });
    await page.getByLabel('Filter processes').fill('application_master InfoSys');
    await page.getByTestId('process-row').first().click();
    await expect(page.getByTestId('application-spec')).toBeVisible();
    await page.screenshot({ path: `${DIR}/detail-application-${size.width}.png` });
    // The send box after a call: the term as read, and the reply.
    await detailOf(page, 'Counter');
    const counterForm = page.getByTestId('send-form');
    await counterForm.getByRole('radio', { name: 'call' }).check();
    await counterForm.getByLabel(/^Term to send/).fill('val');
    await counterForm.getByRole('button', { name: 'Call', exact: true }).click();
    await expect(counterForm.getByTestId('call-reply')).toBeVisible();
    await counterForm.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${DIR}/detail-send-call-${size.width}.png` });
    await page.keyboard.press('Escape');
    // The shortcut dialog, tree keys and mouse included.
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.screenshot({ path: `${DIR}/help-${size.width}.png` });
    await page.keyboard.press('Escape');
    await page.keyboard.press('8');
    await page.getByLabel('Page URL').fill('/app/host/embed.html?start=Pooly');
    await page.getByRole('button', { name: 'Embed in an iframe' }).click();
    await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 10_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${DIR}/attach-frame-${size.width}.png` });
  });
}
