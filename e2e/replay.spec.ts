import { readFileSync } from 'node:fs';
import { type Page, expect, test } from '@playwright/test';

// The timeline: the Observer records what it receives, and dragging back shows every view as it
// was; Live returns to the present. What the tree shows at each moment is what the runtime's
// protocol said then (runtime/protocol/RECORDING.md).

// A loaded machine (2 cores, several checkouts testing) can take seconds to load the page.
test.describe.configure({ timeout: 90_000 });

const WORKERS = '[data-testid="tree-node"][data-kind="worker"][data-key^="Pooly/root/worker_sup/"]';
const W3 = 'Pooly/root/worker_sup/worker_3';
const node = (page: Page, key: string) => page.locator(`[data-testid="tree-node"][data-key="${key}"]`);
const badge = (page: Page, key: string) => node(page, key).getByTestId('restart-badge');

async function startPooly(page: Page, url = '/?tab=demos'): Promise<void> {
  await page.goto(url);
  await page.locator('[data-testid="demo"][data-name="Pooly"]').getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('[data-testid="demo"][data-name="Pooly"]')).toHaveAttribute('data-running', 'true');
  await page.getByRole('tab', { name: /Applications/ }).click();
  await expect(page.locator(WORKERS)).toHaveCount(5);
}

/** Kills worker_3 from its menu; resolves with its old and new pids once the new one shows. */
async function killW3(page: Page): Promise<{ old: string; fresh: string }> {
  const w3 = node(page, W3);
  const old = (await w3.getAttribute('data-pid'))!;
  await w3.click({ button: 'right' });
  await expect(page.getByTestId('kill-menu')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(w3).not.toHaveAttribute('data-pid', old);
  await expect(badge(page, W3)).toHaveText('1');
  return { old, fresh: (await w3.getAttribute('data-pid'))! };
}

/** Drags the timeline's thumb to `px` left of the marker of the restart (before the kill). */
async function dragBeforeRestart(page: Page, px = 40): Promise<void> {
  const marker = page.locator('[data-testid="timeline-marker"][data-marker="restart"]').last();
  await expect(marker).toBeVisible();
  const track = (await page.getByTestId('timeline-track').boundingBox())!;
  const y = track.y + track.height / 2;
  await page.mouse.move(track.x + track.width - 2, y);
  await page.mouse.down();
  // The scale holds still while the pointer is down: the marker is where it stays.
  const box = (await marker.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2 - px / 2, y, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 - px, y, { steps: 4 });
  await page.mouse.up();
}

test('kill a Pooly worker, scrub back: the old pid, badge 0, five workers; live: the new pid, badge 1', async ({ page }) => {
  await startPooly(page);
  await page.waitForTimeout(600); // a moment of the tree before the kill
  const { old, fresh } = await killW3(page);
  await page.waitForTimeout(300);

  await dragBeforeRestart(page);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-mode', 'replay');
  await expect(node(page, W3)).toHaveAttribute('data-pid', old);
  await expect(badge(page, W3)).toHaveText('0');
  await expect(page.locator(WORKERS)).toHaveCount(5);
  // Commands are off while looking back, and the UI says why.
  await expect(page.getByTestId('replay-note')).toContainText('commands go to the present only');
  await node(page, W3).click({ button: 'right' });
  await expect(page.getByTestId('kill-confirm')).toBeDisabled();
  await page.keyboard.press('Escape');
  // The live connection kept running meanwhile: the Processes view of the past has the old pid, too.
  await page.getByRole('tab', { name: /Processes/ }).click();
  await expect(page.getByText(old, { exact: true }).first()).toBeVisible();
  await page.getByRole('tab', { name: /Applications/ }).click();

  await page.getByTestId('timeline-live').click();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-mode', 'live');
  await expect(node(page, W3)).toHaveAttribute('data-pid', fresh);
  await expect(badge(page, W3)).toHaveText('1');

  // Keys: `[` jumps to the restart's marker (after it), `l` back to live.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('[');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-mode', 'replay');
  await expect(node(page, W3)).toHaveAttribute('data-pid', fresh);
  await page.keyboard.press('l');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-mode', 'live');

  // Stepping through the restart: the death first (the old pid gone, no new one yet), then the new child.
  await page.keyboard.press('[');
  await page.getByTestId('timeline-track').press('Enter');
  await expect(page.getByTestId('step-through')).toHaveAttribute('data-index', '0');
  await expect(page.getByTestId('step-fact').first()).toContainText(`worker_3 ${old} exits: killed`);
  await expect(node(page, W3)).toHaveAttribute('data-pid', old);
  await page.getByTestId('step-next').click();
  // Dead, not yet replaced: no live status (its supervisor has not restarted it yet).
  await expect(node(page, W3)).toHaveAttribute('data-status', /^(?!waiting|running|runnable)/);
  await expect(node(page, W3)).not.toHaveAttribute('data-pid', fresh);
  await page.keyboard.press('.');
  await expect(page.getByTestId('step-fact').nth(1)).toContainText(`restarts worker_3: ${old} → ${fresh}`);
  await expect(node(page, W3)).toHaveAttribute('data-pid', fresh);
  await page.keyboard.press('l');
  await expect(page.getByTestId('step-through')).toHaveCount(0);
});

test('export, reload with no runtime, open the file: the same moments; a file that is not a recording says why', async ({ page }) => {
  await startPooly(page);
  await page.waitForTimeout(600);
  const { old, fresh } = await killW3(page);
  await page.waitForTimeout(300);

  await page.getByRole('button', { name: 'Export…' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-save').click()]);
  expect(download.suggestedFilename()).toMatch(/^orchard-.*\.orchard$/);
  const file = await download.path();

  await page.goto('/?runtime=none&tab=applications');
  await expect(page.locator('[data-testid="tree-node"]')).toHaveCount(0);
  await page.getByTestId('recording-file').setInputFiles({ name: 'pooly.orchard', mimeType: 'application/gzip', buffer: readFileSync(file) });
  await expect(page.getByTestId('replay-note')).toContainText('Recording pooly.orchard');
  await expect(page.getByTestId('timeline-live')).toHaveText(/Close/);

  await dragBeforeRestart(page);
  await expect(node(page, W3)).toHaveAttribute('data-pid', old);
  await expect(badge(page, W3)).toHaveText('0');
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await page.getByTestId('timeline-track').press('End');
  await expect(node(page, W3)).toHaveAttribute('data-pid', fresh);
  await expect(badge(page, W3)).toHaveText('1');

  // Dropped on the page: a file that is not a recording gets a plain error, and the open one stays.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['just some notes'], 'notes.txt', { type: 'text/plain' }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await expect(page.getByTestId('replay-error')).toContainText('notes.txt: This is not an Orchard recording: a recording is a gzip file, and this one starts with "just some notes"');
  await expect(node(page, W3)).toHaveAttribute('data-pid', fresh);
});

test('the Demos view plays the recording of a demo, and ?recording=URL opens one with no runtime', async ({ page }) => {
  await page.goto('/?tab=demos');
  await page.locator('[data-testid="demo"][data-name="Pooly"]').getByTestId('watch-recording').click();
  await expect(page.getByRole('tab', { name: /Applications/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('replay-note')).toContainText('Recording pooly.orchard');
  // Opened at the moment before its kill: five workers, no restart yet; `]` goes to the restart.
  await expect(page.locator(WORKERS)).toHaveCount(5);
  await expect(badge(page, W3)).toHaveText('0');
  const old = (await node(page, W3).getAttribute('data-pid'))!;
  await page.keyboard.press(']');
  await expect(node(page, W3)).not.toHaveAttribute('data-pid', old);
  await expect(badge(page, W3)).toHaveText('1');
  // Close: back to the page's own runtime, where Pooly is not running.
  await page.getByTestId('timeline-live').click();
  await expect(page.locator(WORKERS)).toHaveCount(0);

  await page.goto('/?recording=recordings/group.orchard&tab=applications');
  await expect(page.getByTestId('replay-note')).toContainText('Recording group.orchard');
  await expect(page.locator('[data-testid="tree-node"][data-key^="Group/"]')).not.toHaveCount(0);
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
});
