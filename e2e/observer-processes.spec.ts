import { expect, test, type Page } from '@playwright/test';

// The Observer through its real UI, attached to the page's own runtime through the inspector
// protocol. `?start=` asks the page's runtime to start demo applications with the page.

const PID = /^<0\.\d+\.\d+>$/;

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.getByTestId('granted')).toHaveText('control');
}

const rows = (page: Page) => page.getByTestId('process-row');
const pidsInOrder = (page: Page) => rows(page).locator('[data-col="pid"]').allTextContents();

test('attaches to the page runtime and shows who it is and what it granted', async ({ page }) => {
  await open(page, '?start=Pooly');
  await expect(page.getByTestId('runtime-badge')).toContainText('Orchard demos');
  await expect(page.getByTestId('stat-processes')).toHaveText(/^\d+$/);
  const uptime = page.getByTestId('uptime');
  const before = await uptime.textContent();
  await expect(uptime).not.toHaveText(before!, { timeout: 3_000 }); // ticks live
});

test('sorts the process table by any column and filters it by text', async ({ page }) => {
  await open(page, '?start=Pooly,Counter&tab=processes');
  await expect(rows(page).filter({ hasText: 'Pooly.SampleWorker' })).toHaveCount(5);

  await page.getByLabel('Filter processes').fill('sampleworker');
  await expect(rows(page)).toHaveCount(5);
  await expect(page.getByTestId('process-shown')).toContainText('5 shown');

  await page.getByRole('columnheader', { name: /^Pid/ }).click();
  await expect(page.getByRole('columnheader', { name: /^Pid/ })).toHaveAttribute('aria-sort', 'ascending');
  const asc = await pidsInOrder(page);
  const num = (p: string) => Number(p.split('.')[1]);
  expect(asc.map(num)).toEqual([...asc.map(num)].sort((a, b) => a - b));
  await page.getByRole('columnheader', { name: /^Pid/ }).click();
  await expect(page.getByRole('columnheader', { name: /^Pid/ })).toHaveAttribute('aria-sort', 'descending');
  expect((await pidsInOrder(page)).map(num)).toEqual([...asc.map(num)].reverse());

  await page.getByLabel('Filter processes').fill('');
  await page.getByRole('columnheader', { name: /^Name/ }).click();
  const names = await rows(page).locator('[data-col="name"]').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));

  // `/` focuses the filter from anywhere.
  await page.getByLabel('Filter processes').blur();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Filter processes')).toBeFocused();
});

test('a process mailbox fills and drains live in the detail panel', async ({ page }) => {
  await open(page, '?start=Backlog&tab=processes');
  await page.getByLabel('Filter processes').fill('Backlog.Consumer');
  await rows(page).first().click();
  const detail = page.getByTestId('process-detail');
  await expect(detail).toContainText('Backlog.Consumer');
  const total = detail.getByTestId('mailbox-total');
  await expect.poll(async () => Number(await total.textContent()), { timeout: 6_000 }).toBeGreaterThan(5);
  await expect(detail.getByTestId('mailbox-message').first()).toContainText('job');
  await expect.poll(async () => Number(await total.textContent()), { timeout: 6_000 }).toBe(0);
  await expect(detail.getByText('Empty.')).toBeVisible();

  // "Show in tree" opens the Applications tab on the same selection.
  await detail.getByRole('button', { name: 'Show in tree' }).click();
  await expect(page.getByRole('tab', { name: /Applications/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('process-detail')).toContainText('Backlog.Consumer');
});

test('kill from the detail panel: the process goes and the selection moves to its successor (same child id)', async ({ page }) => {
  await open(page, '?start=Pooly&tab=processes');
  await page.getByLabel('Filter processes').fill('Pooly.SampleWorker');
  await expect(rows(page)).toHaveCount(5);
  const victim = (await rows(page).first().locator('[data-col="pid"]').textContent())!;
  await rows(page).first().click();
  await expect(page.getByTestId('process-detail')).toContainText(victim);

  await page.keyboard.press('k');
  const dialog = page.getByRole('dialog', { name: 'Kill process' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Kill' }).click();
  await expect(dialog).toBeHidden();

  // The supervisor started the same child again: the selection follows it (followSelection.ts).
  // (Its recent events still name the old pid, "old → new": the heading is what must change.)
  const heading = page.getByTestId('process-detail').getByRole('heading', { level: 2 });
  await expect(heading).not.toContainText(victim, { timeout: 5_000 });
  await expect(heading).toContainText(/<\d+\.\d+\.\d+>/);
  await expect(page.getByTestId('process-detail')).toContainText('Pooly.SampleWorker');
  await expect(rows(page)).toHaveCount(5); // restarted: five workers again, one with a new pid
  await expect(rows(page).filter({ hasText: victim })).toHaveCount(0);
  for (const pid of await pidsInOrder(page)) expect(pid).toMatch(PID);
});

test('pause freezes the view and resume brings it back', async ({ page }) => {
  await open(page, '?start=Backlog&tab=processes');
  const status = page.locator('footer');
  await expect(status).toContainText(/#\d+/);
  await page.locator('body').press(' ');
  await expect(page.getByTestId('paused-banner')).toBeVisible();
  await expect(page.getByRole('button', { name: /Resume/ }).first()).toBeVisible();
  const seq = () => status.textContent().then((t) => Number(/#(\d+)/.exec(t ?? '')?.[1]));
  const frozen = await seq();
  await page.waitForTimeout(800);
  expect(await seq()).toBe(frozen);
  await expect(page).toHaveURL(/paused=1/);

  await page.getByTestId('paused-banner').getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('paused-banner')).toBeHidden();
  await expect.poll(seq, { timeout: 3_000 }).toBeGreaterThan(frozen);
});

test('tab, filter, sort and selection live in the URL and survive a reload', async ({ page }) => {
  await open(page, '?start=Pooly');
  await page.keyboard.press('4');
  await page.getByLabel('Filter processes').fill('Pooly');
  await page.getByRole('columnheader', { name: /^Memory/ }).click();
  await rows(page).filter({ hasText: 'Pooly.Server' }).click();
  await expect(page.getByTestId('process-detail')).toContainText('Pooly.Server');
  await expect(page).toHaveURL(/tab=processes/);
  await expect(page).toHaveURL(/q=Pooly/);
  await expect(page).toHaveURL(/sort=memory\.desc/);

  await page.reload();
  await expect(page.getByRole('tab', { name: /Processes/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Filter processes')).toHaveValue('Pooly');
  await expect(page.getByRole('columnheader', { name: /^Memory/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByTestId('process-detail')).toContainText('Pooly.Server');

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('process-detail')).toBeHidden();
});
