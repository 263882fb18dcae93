/**
 * Applications on a node of workers, started through the node's inspector source (what the
 * Observer's Demos view does). OTP's rule: an application runs at most once per node;
 * `application:start/1` of a running one answers `{error, {already_started, App}}`
 * (application docs, start/1,2). The node spreads applications over its schedulers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulerOf } from '../../../runtime/core/index.ts';
import { type NodeInspectorSource, type OrchardNode, createNodeSource, startNode } from '../../../runtime/node/index.ts';

const ENTRY = new URL('./fixtures/demoWorker.ts', import.meta.url);

let node: OrchardNode;
let source: NodeInspectorSource;

beforeAll(async () => {
  node = await startNode({ schedulers: 2, workerEntry: ENTRY, watchdog: false });
  source = createNodeSource(node);
  await source.ready;
});

afterAll(() => node?.stop());

describe('applications on a node', () => {
  it('lists the catalog the workers were given once ready', () => {
    expect(source.available().map((a) => a.name)).toEqual(expect.arrayContaining(['Pooly', 'Counter', 'InfoSys']));
  });

  it('places two applications started one after the other on different schedulers', async () => {
    const [a, b] = await Promise.all([source.startApplication('Pooly'), source.startApplication('Counter')]);
    if (!('ok' in a) || !('ok' in b)) throw new Error(`start failed: ${JSON.stringify([a, b])}`);
    expect(schedulerOf(a.ok.master)).not.toBe(schedulerOf(b.ok.master));
    expect(await source.isRunning('Pooly')).toBe(true);
    expect(await source.isRunning('InfoSys')).toBe(false);
  });

  it('refuses a second start of a running application, even when both starts race', async () => {
    expect(await source.startApplication('Pooly')).toEqual({ error: 'already_started' });
    const [x, y] = await Promise.all([source.startApplication('InfoSys'), source.startApplication('InfoSys')]);
    expect([x, y].filter((r) => 'ok' in r)).toHaveLength(1);
    expect([x, y].filter((r) => 'error' in r)).toEqual([{ error: 'already_started' }]);
  });

  it('stops an application on whichever scheduler runs it; then it can start again', async () => {
    expect(await source.stopApplication('Counter')).toBe('ok');
    // The stop is a shutdown signal to the application master; its tree exits in the worker's next slices.
    await expect.poll(() => source.isRunning('Counter')).toBe(false);
    expect(await source.stopApplication('Counter')).toBe('not_found');
    const again = await source.startApplication('Counter');
    expect('ok' in again).toBe(true);
  });

  it('answers not_found for a name the catalog does not have', async () => {
    expect(await source.startApplication('NoSuchApp')).toEqual({ error: 'not_found' });
  });
});
