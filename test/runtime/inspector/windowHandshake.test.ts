/**
 * The endpoint's window: hellos from other windows (PROTOCOL.md, "The handshake"). A fake
 * window hands the endpoint message events whose `data` getter counts its reads: reading
 * `event.data` is what deserializes a message in a browser, so an origin that is not listed
 * must be dropped before it (issue 13, item 9).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from '../../../runtime/core/index.ts';
import { type ExposedInspector, exposeInspector } from '../../../runtime/inspector/index.ts';
import { LIMITS, PROTOCOL, type WindowLike } from '../../../runtime/protocol/index.ts';

const OK = 'https://observer.test';
const EVIL = 'https://evil.test';

interface FakeWindow extends WindowLike {
  deliver(origin: string, data: unknown): { reads: () => number; answers: Array<Record<string, unknown>>; ports: MessagePort[] };
}

function fakeWindow(): FakeWindow {
  const listeners = new Set<(e: MessageEvent) => void>();
  return {
    addEventListener: (_t, fn) => void listeners.add(fn),
    removeEventListener: (_t, fn) => void listeners.delete(fn),
    deliver(origin, data) {
      let reads = 0;
      const answers: Array<Record<string, unknown>> = [];
      const ports: MessagePort[] = [];
      const source = {
        postMessage(m: unknown, _o: string, transfer: Transferable[] = []) {
          answers.push(m as Record<string, unknown>);
          for (const t of transfer) ports.push(t as MessagePort);
        },
      };
      const event = {
        origin,
        source,
        get data() {
          reads++;
          return data;
        },
      } as unknown as MessageEvent;
      for (const fn of listeners) fn(event);
      return { reads: () => reads, answers, ports };
    },
  };
}

const hello = (id?: number, extra: object = {}) => ({
  protocol: PROTOCOL, version: 1, type: 'hello', ...(id === undefined ? {} : { id }),
  capabilities: ['observe'], client: { name: 'test', version: '0' }, ...extra,
});

let exposed: ExposedInspector | null = null;
let ports: MessagePort[] = [];
afterEach(() => {
  exposed?.close();
  exposed = null;
  for (const p of ports) p.close();
  ports = [];
});

function expose(win: FakeWindow, allowedOrigins: string[] = [OK]): ExposedInspector {
  exposed = exposeInspector(new Scheduler(), { allowedOrigins, window: win, capabilities: ['observe'] });
  return exposed;
}

describe('an origin that is not listed', () => {
  it('is dropped before its data is read, past the few refusals a second it is answered', () => {
    const win = fakeWindow();
    expose(win);
    let reads = 0;
    let refusals = 0;
    for (let i = 0; i < 1000; i++) {
      const d = win.deliver(EVIL, hello(i));
      reads += d.reads();
      refusals += d.answers.length;
    }
    // The endpoint's clock is the real one: a slow machine may cross into a second second.
    expect(reads).toBeLessThanOrEqual(20);
    expect(refusals).toBe(reads);
    expect(refusals).toBeGreaterThan(0);
  });

  it('gets refused origin_not_allowed, with the hello id', () => {
    const win = fakeWindow();
    expose(win);
    const d = win.deliver(EVIL, hello(4));
    expect(d.answers).toEqual([expect.objectContaining({ type: 'refused', code: 'origin_not_allowed', id: 4 })]);
  });
});

describe('a listed origin', () => {
  it('is welcomed with a port; the welcome carries the hello id', () => {
    const win = fakeWindow();
    expose(win);
    const d = win.deliver(OK, hello(7));
    ports.push(...d.ports);
    expect(d.answers).toEqual([expect.objectContaining({ type: 'welcome', id: 7, granted: ['observe'] })]);
    expect(d.ports).toHaveLength(1);
  });

  it('may send a hello without an id: the welcome has none either', () => {
    const win = fakeWindow();
    expose(win);
    const d = win.deliver(OK, hello());
    ports.push(...d.ports);
    expect(d.answers).toHaveLength(1);
    expect(d.answers[0]).toMatchObject({ type: 'welcome' });
    expect(d.answers[0]).not.toHaveProperty('id');
  });

  it('may batch on the window as on a port: a hello inside an array is taken', () => {
    const win = fakeWindow();
    expose(win);
    const d = win.deliver(OK, [hello(1)]);
    ports.push(...d.ports);
    expect(d.answers).toEqual([expect.objectContaining({ type: 'welcome', id: 1 })]);
  });

  it('gets not_connected for a request sent to the window before hello', () => {
    const win = fakeWindow();
    expose(win);
    const d = win.deliver(OK, { protocol: PROTOCOL, version: 1, type: 'subscribe', id: 3 });
    expect(d.answers).toEqual([expect.objectContaining({ type: 'error', code: 'not_connected', id: 3 })]);
    const b = win.deliver(OK, [{ protocol: PROTOCOL, version: 1, type: 'ping', id: 5 }, hello(6)]);
    ports.push(...b.ports);
    expect(b.answers.map((m) => [m.type, m.id])).toEqual([['error', 5], ['welcome', 6]]);
  });

  it('ignores what is not an inspector request: other messages, a runtime\'s own answers, an over-long batch', () => {
    const win = fakeWindow();
    expose(win);
    expect(win.deliver(OK, { hello: 'world' }).answers).toEqual([]);
    expect(win.deliver(OK, { protocol: PROTOCOL, version: 1, type: 'welcome', id: 1 }).answers).toEqual([]);
    expect(win.deliver(OK, Array.from({ length: LIMITS.maxBatch + 1 }, (_, i) => hello(i))).answers).toEqual([]);
  });
});

describe('allowedOrigins', () => {
  it('leaves out what is not an origin, says so on the console, and keeps the runtime exposed', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const win = fakeWindow();
    expose(win, ['*', 'https://x.test/path', 'https://x.test/', OK]);
    expect(error).toHaveBeenCalledTimes(3);
    expect(error.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/\bnot allowed\b[\s\S]*\bnot an origin\b/);
    error.mockRestore();
    const d = win.deliver(OK, hello(1));
    ports.push(...d.ports);
    expect(d.answers[0]).toMatchObject({ type: 'welcome' });
    expect(win.deliver('https://x.test', hello(2)).answers[0]).toMatchObject({ type: 'refused', code: 'origin_not_allowed' });
  });

  it('is required: there is no * default', () => {
    expect(() => exposeInspector(new Scheduler(), {} as never)).toThrow(/\ballowedOrigins\b/);
  });
});
