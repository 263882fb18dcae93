// benches: scrub_frame_p95_browser
// timeout: 480
/**
 * The timeline dragged in Chromium, the views drawing each moment: what replay.bench.ts's
 * scrub_frame_p95 leaves out (it times the replay store's rebuild in Node only).
 *
 * The same 60 s stress recording (replay/stressRecording.ts: 10,101 processes, 1,000 workers
 * messaged a tick, a worker killed every 500 ms), exported as a gzip file into a temporary
 * directory and opened in the production Observer build (observer/serve.ts) with
 * `?recording=URL`, as a person opens a shared link. Then, in the Applications view (the tree,
 * fitted so every node is on screen) and then in the Processes view (the table), the timeline
 * is dragged: pressed at the end of the track with Playwright's mouse (a real press, so the track
 * holds the pointer's capture as under a person's hand), moved one step a frame to the start and
 * back (240 steps, as replay.bench.ts), released. The moves are pointermove events dispatched in
 * the page, one in each animation frame (observer/benchHooks.ts pointerFrames): moves sent from
 * outside the page, each a round trip, arrive every few frames on a loaded machine and would
 * leave idle frames between the steps. Frame times are taken in the page with
 * requestAnimationFrame (a frame with no work is ~16.7 ms) from the first move to the frame after
 * the last.
 *
 * One warm-up drag per view (a screenshot of it mid-drag is saved beside the recording), then
 * three measured drags; `idleP95` is the view's frames over 2 s at rest, the machine's own noise in
 * the same run. Each view's figure is the median of its drags' p95s; the reported value
 * is the worse of the two views (a person drags in either), both views in `views`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, chromium } from '@playwright/test';
import { exportRecording } from '../../app/store/recordingFile.ts';
import { emit, gc, median, note, round, wanted } from './lib/report.ts';
import { BROWSER_ARGS, serveBenchPage } from './observer/serve.ts';
import { DRAG_STEPS, recordStress } from './replay/stressRecording.ts';

const want = wanted('replay_browser');
const DRAGS = 3;
/** Where the page fetches the recording from (answered by Playwright with the file on disk). */
const RECORDING_PATH = '/bench-recordings/stress.orchard';

const p95 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
};

interface ViewFigure {
  value: number;
  samples: number[];
  frames: number;
  max: number;
  medianFrame: number;
  /** p95 of the same view's frames over 2 s with nothing moving, in the same run: the machine's own noise. */
  idleP95: number;
}

/**
 * One drag: the mouse pressed at the track's right end, moved one step a frame to its left end
 * and back, released. Returns the page's frame intervals from the first move to the frame after
 * the last. With `shot`, a screenshot is taken halfway (the pointer held, the thumb mid-track).
 */
async function drag(page: Page, shot?: string): Promise<number[]> {
  const box = await page.getByTestId('timeline-track').boundingBox();
  if (box === null) throw new Error('the timeline track is not on screen');
  // The top pixel row of the track: the markers (kills, restarts) start 2 px below it.
  const y = box.y + 1;
  const left = box.x + 1;
  const width = box.width - 2;
  const xs = Array.from({ length: 2 * DRAG_STEPS + 1 }, (_, i) => left + width * (i <= DRAG_STEPS ? 1 - i / DRAG_STEPS : (i - DRAG_STEPS) / DRAG_STEPS));
  await page.mouse.move(xs[0]!, y);
  await page.mouse.down();
  const moves = (part: number[]) => page.evaluate(([part, y]) => window.orchardBench.pointerFrames('[data-testid="timeline-track"]', part, y), [part, y] as const);
  let ms: number[];
  if (shot === undefined) ms = await moves(xs.slice(1));
  else {
    ms = await moves(xs.slice(1, DRAG_STEPS / 2 + 1));
    await page.screenshot({ path: shot });
    ms.push(...(await moves(xs.slice(DRAG_STEPS / 2 + 1))));
  }
  await page.mouse.up();
  return ms;
}

async function dragView(page: Page, view: string, shot: string): Promise<ViewFigure> {
  await drag(page, shot); // warm-up: the JIT, first paints of the moments the drags show
  note(`${view}: warm-up drag done, screenshot ${shot}`);
  const idle = await page.evaluate(() => window.orchardBench.frames(2_000));
  note(`${view} at rest: ${idle.length} frames, p95 ${p95(idle).toFixed(1)} ms`);
  const p95s: number[] = [];
  const all: number[] = [];
  for (let d = 0; d < DRAGS; d++) {
    const ms = await drag(page);
    p95s.push(p95(ms));
    all.push(...ms);
    note(`${view} drag ${d + 1}: ${ms.length} frames, p95 ${p95(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
  }
  return { value: round(median(p95s)), samples: p95s.map(round), frames: all.length, max: round(Math.max(...all)), medianFrame: round(median(all)), idleP95: round(p95(idle)) };
}

async function main(): Promise<void> {
  if (!want('scrub_frame_p95_browser')) return;
  const { rec, live, processes } = recordStress();
  const blob = await exportRecording(rec, { target: 'replay browser bench', protocol: 2 });
  const seconds = (rec.endT - rec.startT) / 1000;
  const recordedFrames = rec.frameCount;
  rec.clear();
  live.getState().reset();
  gc();
  const dir = mkdtempSync(join(tmpdir(), 'orchard-replay-browser-'));
  const file = join(dir, 'stress.orchard');
  writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
  note(`recording ${file}: ${(blob.size / 1e6).toFixed(2)} MB, ${recordedFrames} frames`);

  const served = await serveBenchPage();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: BROWSER_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => note(`page error: ${e.message}`));
    await page.route(`**${RECORDING_PATH}`, (route) => route.fulfill({ path: file, contentType: 'application/gzip' }));
    await page.goto(`${served.url}?recording=${RECORDING_PATH}&tab=applications`);
    await page.getByTestId('replay-note').filter({ hasText: 'Recording stress.orchard' }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(1000);
    const zoom = await page.getByTestId('tree-surface').getAttribute('data-zoom');
    const tree = await dragView(page, 'applications', join(dir, 'applications-mid-drag.png'));

    await page.getByRole('tab', { name: /Processes/ }).click();
    await page.getByTestId('process-scroller').waitFor();
    await page.waitForTimeout(1000);
    const table = await dragView(page, 'processes', join(dir, 'processes-mid-drag.png'));

    const worse = tree.value >= table.value ? { view: 'applications', figure: tree } : { view: 'processes', figure: table };
    emit({
      bench: 'scrub_frame_p95_browser',
      value: worse.figure.value,
      unit: 'ms',
      samples: worse.figure.samples,
      target: '<= 33',
      view: worse.view,
      steps: 2 * DRAG_STEPS + 1,
      frames: worse.figure.frames,
      views: { applications: { ...tree, zoom }, processes: table },
      processes,
      recordingSeconds: round(seconds),
      recordingBytes: blob.size,
    });
  } finally {
    await browser.close();
    await served.close();
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
