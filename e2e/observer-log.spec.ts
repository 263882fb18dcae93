import { expect, type Page, test } from '@playwright/test';

// The Log view reads the lifecycle facts as Elixir's Logger and OTP's error logger write them
// (crash reports, supervisor reports, unexpected messages); the process detail shows where a
// process waits, its GenServer status with suspend and resume, its ancestors, and an
// application's spec.

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 15_000 });
}

/** Opens the detail of the process named `name` from the Processes view. */
async function detailOf(page: Page, name: string) {
  await page.getByRole('tab', { name: /^Processes/ }).click();
  await page.getByLabel('Filter processes').fill(name);
  const row = page.locator(`[data-testid="process-row"][data-name="${name}"]`);
  await expect(row).toHaveCount(1);
  const pid = (await row.locator('[data-col="pid"]').textContent())!;
  await row.click();
  const detail = page.getByTestId('process-detail');
  await expect(detail).toContainText(pid);
  return { detail, pid };
}

/** Sends `term` (Elixir syntax) from the detail's send box as a call, a cast or a plain message. */
async function sendFromDetail(page: Page, as: 'call' | 'cast' | 'message', term: string): Promise<void> {
  const form = page.getByTestId('process-detail').getByTestId('send-form');
  await form.getByRole('radio', { name: as }).check();
  await form.getByLabel(/^Term to send/).fill(term);
  await form.getByRole('button', { name: { call: 'Call', cast: 'Cast', message: 'Send' }[as], exact: true }).click();
}

test('crash reports, supervisor reports and unexpected messages in the Log, filterable, pids open their process', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, '?start=Pooly,Counter&tab=processes');

  // A GenServer with no handleInfo logs a plain message and drops it (Elixir's default handle_info/2).
  await detailOf(page, 'Counter');
  await sendFromDetail(page, 'message', '"inc"');
  await expect(page.getByTestId('send-result')).toHaveText('sent');
  // A call whose request Pooly.Server cannot read crashes it: its crash report, then its supervisor's.
  const server = await detailOf(page, 'Pooly.Server');
  await sendFromDetail(page, 'call', ':boom');
  // The selection follows the server's restart to its new pid.
  await expect(server.detail.getByRole('heading', { level: 2 })).not.toContainText(server.pid);

  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: /^Log/ }).click();
  const entries = page.getByTestId('log-entry');
  const crash = entries.filter({ hasText: /GenServer Pooly.Server <[\d.]+> terminating/ });
  await expect(crash).toHaveCount(1);
  await expect(crash).toHaveAttribute('data-level', 'error');
  await expect(crash).toContainText(`${server.pid} terminating`);
  await expect(crash).toContainText("** (TypeError) Cannot read properties of undefined (reading 'find')");
  // A call reads as its request and its caller (Elixir's "Last message (from …)").
  await expect(crash).toContainText('Last message (from');
  await expect(crash).toContainText('"boom"');
  await expect(crash).toContainText('State:');
  await expect(crash).toContainText('busy');
  await expect(entries.filter({ hasText: /Child server of Supervisor .* terminated/ })).toHaveCount(1);
  await expect(entries.filter({ hasText: /restarted child server/ })).toHaveCount(1);
  const unexpected = entries.filter({ hasText: /GenServer Counter <[\d.]+> received unexpected message in handle_info\/2/ });
  await expect(unexpected).toHaveCount(1);
  await expect(unexpected).toHaveAttribute('data-level', 'warning');
  await expect(unexpected).toContainText('"inc"');

  // Filters: a level, then a kind, then text.
  await page.getByRole('group', { name: 'Log levels' }).getByRole('button', { name: 'warning' }).click();
  await expect(entries).toHaveCount(1);
  await page.getByRole('group', { name: 'Log levels' }).getByRole('button', { name: 'warning' }).click();
  await page.getByRole('group', { name: 'Log kinds' }).getByRole('button', { name: 'crash reports' }).click();
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('terminating');
  await page.getByRole('group', { name: 'Log kinds' }).getByRole('button', { name: 'crash reports' }).click();
  await page.getByLabel('Filter the log').fill(server.pid);
  for (const text of await entries.allTextContents()) expect(text).toContain(server.pid);

  // The crashed server's pid in the report opens its (departed) process.
  await page.getByLabel('Filter the log').fill('');
  await crash.locator('time').click();
  await expect(page.getByTestId('process-detail')).toContainText(server.pid);
  await expect(page.getByTestId('process-detail')).toContainText('This process has exited');
});

test('the detail shows where a process waits, its GenServer status, suspend and resume, its ancestors and an application spec', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, '?start=Pooly,Backlog&tab=processes');

  const { detail, pid } = await detailOf(page, 'Pooly.Server');
  await expect(detail.getByTestId('waiting-in')).toContainText('any message, in the GenServer loop');
  const sys = detail.getByTestId('sys-status');
  await expect(sys).toContainText('Pooly.Server');
  await expect(detail.getByTestId('sys-suspended')).toHaveText('running');

  // sys:suspend/1: messages wait in the mailbox until sys:resume/1.
  await detail.getByRole('button', { name: 'Suspend' }).click();
  await expect(detail.getByTestId('sys-suspended')).toHaveText('suspended');
  await expect(detail.getByTestId('waiting-in')).toContainText('suspended');
  await sendFromDetail(page, 'cast', '%{checkin: "<0.1.0>"}');
  await expect(detail.getByTestId('mailbox-total')).toHaveText('1');
  await detail.getByRole('button', { name: 'Resume' }).click();
  await expect(detail.getByTestId('mailbox-total')).toHaveText('0');
  await expect(detail.getByTestId('sys-suspended')).toHaveText('running');
  await expect(sys).toContainText('checkin');

  // Ancestors as links: the first is its supervisor.
  await detail.getByTestId('relation-ancestors').getByRole('button').first().click();
  await expect(detail.getByRole('heading', { level: 2 })).toContainText('Pooly.Supervisor');
  await expect(detail.getByRole('heading', { level: 2 })).not.toContainText(pid);
  await expect(detail.getByTestId('sys-status')).toContainText('Supervisor');

  // A plain process waiting in receive: its receive's source line, located while the detail is open.
  const consumer = await detailOf(page, 'Backlog.Consumer');
  await expect(consumer.detail.getByTestId('waiting-in')).toContainText(/backlogApp\.ts:\d+/, { timeout: 10_000 });
  await expect(consumer.detail.getByTestId('sys-status')).toHaveCount(0);

  // An application master: Application.spec/1.
  await page.getByLabel('Filter processes').fill('application_master Pooly');
  await page.getByTestId('process-row').first().click();
  const spec = page.getByTestId('application-spec');
  await expect(spec).toContainText('A worker pool');
  await expect(spec).toContainText('0.1.0');
  await expect(spec).toContainText('temporary');
  await expect(spec).toContainText('size');
});
