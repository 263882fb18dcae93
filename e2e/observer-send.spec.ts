import { type Page, expect, test } from '@playwright/test';

// The send box through the real UI: terms typed in Erlang or Elixir syntax travel as the
// protocol's typed terms; a GenServer takes a call (its reply shows), a cast or a plain message.

// A loaded machine starts the schedulers' workers slowly.
test.describe.configure({ timeout: 180_000 });

async function openProcess(page: Page, query: string, filter: string): Promise<void> {
  await page.goto(`/${query}&tab=processes`);
  await expect(page.getByTestId('granted')).toHaveText('control', { timeout: 20_000 });
  await page.getByLabel('Filter processes').fill(filter);
  const row = page.locator(`[data-testid="process-row"][data-name="${filter}"]`);
  await row.click();
  await expect(page.getByTestId('process-detail')).toContainText(filter);
}

test('Counter: the box is prefilled from what it handles; a cast counts, a call shows the count', async ({ page }) => {
  await openProcess(page, '?start=Counter', 'Counter');
  const form = page.getByTestId('send-form');
  const box = form.getByLabel('Term to send, in Erlang or Elixir syntax');
  // Counter declares cast :inc first: prefilled, as a cast.
  await expect(box).toHaveValue(':inc');
  await expect(form.getByRole('radio', { name: 'cast' })).toBeChecked();
  await form.getByRole('button', { name: 'Cast', exact: true }).click();
  await expect(form.getByTestId('send-result')).toHaveText('cast sent');
  await form.getByRole('button', { name: 'Cast', exact: true }).click();
  await expect(form.getByTestId('send-result')).toHaveText('cast sent');

  // Erlang syntax: a bare word is an atom.
  await form.getByRole('radio', { name: 'call' }).check();
  await box.fill('val');
  await expect(form.getByTestId('send-reads')).toContainText('reads as Erlang: val');
  await form.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(form.getByTestId('call-reply')).toHaveText('2');

  // A typo is caught before anything is sent.
  await box.fill('{:val');
  await expect(form.getByTestId('send-reads')).toContainText('ends');
  await expect(form.getByRole('button', { name: 'Call', exact: true })).toBeDisabled();
});

test('a call to a server that cannot take it shows the exit, and a plain message goes to handle_info', async ({ page }) => {
  await openProcess(page, '?start=InfoSys', 'InfoSys.Cache');
  const form = page.getByTestId('send-form');
  const box = form.getByLabel('Term to send, in Erlang or Elixir syntax');
  await form.getByRole('radio', { name: 'message' }).check();
  await box.fill(':sweep');
  await form.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(form.getByTestId('send-result')).toHaveText('sent');
  // InfoSys.Cache has no handle_call: the server stops, and the caller exits with its reason.
  // The selection moves to its supervisor (the cache is gone); the outcome stays in view.
  await form.getByRole('radio', { name: 'call' }).check();
  await box.fill('{:hello, "there"}');
  await form.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByTestId('call-outcome')).toContainText('exited', { timeout: 10_000 });
  await expect(page.getByTestId('call-outcome')).toContainText('handleCall');
});

test('InfoSys: a typed query fans out to the backends as tasks titled by backend, and fills the cache', async ({ page }) => {
  await openProcess(page, '?start=InfoSys', 'InfoSys.Client');
  const form = page.getByTestId('send-form');
  await expect(form.getByLabel('Term to send, in Erlang or Elixir syntax')).toHaveValue('{:compute, "what is elixir"}');
  // The detail panel stays open beside the Tables view: watch the cache while calling.
  await page.getByRole('tab', { name: /Tables/ }).click();
  await page.getByTestId('table-row').filter({ hasText: 'infosys_cache' }).click();
  await expect(page.getByTestId('table-contents')).toBeVisible();
  await form.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(form.getByTestId('call-reply')).toHaveText(/^\[/, { timeout: 10_000 });
  await expect(page.getByTestId('table-contents')).toContainText('what is elixir', { timeout: 5_000 });

  // The client keeps asking its own queries: its tasks show as "Backend: query".
  await page.getByRole('tab', { name: /Processes/ }).click();
  // Tasks live a few hundred ms: any backend's will do.
  await page.getByLabel('Filter processes').fill(': ');
  await expect(page.getByTestId('process-row').filter({ hasText: /(Wolfram|Wiki|Slowpoke): / }).first()).toBeVisible({ timeout: 30_000 });
});
