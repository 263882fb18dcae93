/**
 * Where a process waits (runtime/inspector/waiting.ts): the receive it is blocked in and its
 * source line, located only while someone reads the process's detail (DESIGN decision 7:
 * inspection costs nothing when nobody watches).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as GenServer from '../../../runtime/behaviours/genServer.ts';
import { isExitMessage, receive, receiveSites, setDefaultScheduler } from '../../../runtime/core/index.ts';
import { type InspectorSource, createSchedulerSource } from '../../../runtime/inspector/index.ts';
import type { ProcessDetail } from '../../../runtime/protocol/messages.ts';
import { SITE_WINDOW_MS } from '../../../runtime/inspector/waiting.ts';
import { type Proc, setup } from '../../utils.ts';

afterEach(() => {
  setDefaultScheduler(null);
  receiveSites.capture = null;
});

/** Waits for a message, then (after one) waits for an EXIT with a timeout. */
function* waiter(): Proc {
  yield receive();
  yield receive(isExitMessage, { after: 10_000 });
}

/** A scheduler source answers at once; the interface allows a Promise for worker sources. */
const detailOf = (source: InspectorSource, pid: string) => source.detail(pid as never, 0) as Omit<ProcessDetail, 'events'>;

describe('where a process waits', () => {
  it('locates receives only after a detail was read, and stops once nobody has looked for a while', () => {
    const h = setup();
    const source = createSchedulerSource(h.s, { epoch: 0, flightRecorder: false });
    const pid = h.s.spawn(waiter);
    h.run();
    expect(receiveSites.capture).toBeNull();
    expect(detailOf(source, pid).waiting).toEqual({ receive: 'any message' });

    // The detail was read: the next receive is located, here, in this file.
    h.s.send(pid, 'go');
    h.run();
    const w = detailOf(source, pid).waiting!;
    expect(w.receive).toBe('messages matching isExitMessage');
    expect(w.timeoutMs).toBe(10_000);
    expect(w.location).toMatch(/waiter .*waiting\.test\.ts:\d+:\d+/);

    // Nobody reads it any more: the next receive anywhere switches the capture off.
    h.advance(SITE_WINDOW_MS + 1);
    h.s.spawn(waiter);
    h.run();
    expect(receiveSites.capture).toBeNull();
  });

  it("names a GenServer's loop, and a process that runs is not waiting", () => {
    const h = setup();
    const source = createSchedulerSource(h.s, { epoch: 0, flightRecorder: false });
    let server = null as unknown as string;
    h.s.spawn(function* (): Proc {
      const r = yield* GenServer.start({ init: () => ['ok', 0] }, undefined);
      server = (r as ['ok', string])[1];
      yield receive();
    });
    h.run();
    expect(detailOf(source, server).waiting).toEqual({ receive: 'any message, in the GenServer loop (gen_server:loop)' });
    expect(detailOf(source, server).sys).toMatchObject({ behaviour: 'GenServer', suspended: false });
  });
});
