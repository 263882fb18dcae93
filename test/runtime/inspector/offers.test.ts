/**
 * Offers (PROTOCOL.md, "Offers"): the runtime posts a MessagePort to its parent or opener, at
 * exactly a listed origin, and the inspector there says hello on it. A page attached this way
 * need not listen on its own window, so a flood of messages from another site costs it nothing
 * (a browser takes in every message posted to a window that has a `message` listener, read or
 * not: e2e/flood.spec.ts measures it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../../runtime/core/index.ts';
import { type ExposedInspector, InspectorEndpoint, exposeInspector } from '../../../runtime/inspector/index.ts';
import { PROTOCOL, type WindowLike, attachWindow } from '../../../runtime/protocol/index.ts';
import { createSchedulerSource } from '../../../runtime/inspector/schedulerSource.ts';

const OK = 'https://observer.test';
const OTHER = 'https://other.test';

interface Posted {
  message: any;
  origin: string;
  ports: MessagePort[];
}

/** A window that records what is posted to it. */
function target(): { postMessage(m: unknown, o: string, t?: Transferable[]): void; posted: Posted[] } {
  const posted: Posted[] = [];
  return { posted, postMessage: (message, origin, transfer = []) => void posted.push({ message, origin, ports: transfer as MessagePort[] }) };
}

const hello = { protocol: PROTOCOL, version: 2, type: 'hello', id: 0, capabilities: ['observe'], client: { name: 'test', version: '0' } };

function answer(port: MessagePort): Promise<any> {
  return new Promise((resolve) => {
    port.onmessage = (e) => resolve(e.data);
  });
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

describe('the endpoint', () => {
  it('offers a port to exactly a listed origin, and serves the connection once the inspector says hello on it', async () => {
    const endpoint = new InspectorEndpoint(createSchedulerSource(new Scheduler()), { allowedOrigins: [OK] });
    cleanup.push(() => endpoint.close());
    const parent = target();
    const offer = endpoint.offer(parent, OK);
    expect(parent.posted).toHaveLength(1);
    expect(parent.posted[0]!.origin).toBe(OK);
    expect(parent.posted[0]!.message).toMatchObject({ protocol: PROTOCOL, type: 'offer' });
    // An offer nobody took holds nothing.
    expect(offer.connection()).toBeNull();
    const port = parent.posted[0]!.ports[0]!;
    cleanup.push(() => port.close());
    const welcome = answer(port);
    port.postMessage(hello);
    expect(await welcome).toMatchObject({ type: 'welcome', id: 0, granted: ['observe'] });
    expect(offer.connection()).not.toBeNull();
    expect(endpoint.isOpen(offer.connection()!)).toBe(true);
  });

  it('offers nothing to an origin it does not list', () => {
    const endpoint = new InspectorEndpoint(createSchedulerSource(new Scheduler()), { allowedOrigins: [OK] });
    cleanup.push(() => endpoint.close());
    const parent = target();
    endpoint.offer(parent, OTHER);
    expect(parent.posted).toEqual([]);
  });
});

describe('exposeInspector', () => {
  it('with window: null listens on no window, and offers to its parent at the parent\'s origin when the browser tells it', async () => {
    const parent = target();
    const listeners: unknown[] = [];
    const page = {
      parent,
      opener: null,
      location: { ancestorOrigins: [OK] },
      addEventListener: (t: string, f: unknown) => void (t === 'message' && listeners.push(f)),
      removeEventListener: () => {},
    };
    const g = globalThis as { window?: unknown };
    const before = g.window;
    g.window = page;
    let exposed: ExposedInspector;
    try {
      exposed = exposeInspector(new Scheduler(), { allowedOrigins: [OK, OTHER], window: null });
    } finally {
      g.window = before;
    }
    cleanup.push(() => exposed.close());
    expect(listeners).toEqual([]);
    // Only to the parent's own origin, of the two listed.
    expect(parent.posted.map((p) => [p.message.type, p.origin])).toEqual([['offer', OK]]);
    const port = parent.posted[0]!.ports[0]!;
    cleanup.push(() => port.close());
    const welcome = answer(port);
    port.postMessage(hello);
    expect(await welcome).toMatchObject({ type: 'welcome' });
  });
});

describe('the client (attachWindow)', () => {
  it('takes an offer from the window it attaches to, says hello on its port and stops posting hellos to the window', async () => {
    const endpoint = new InspectorEndpoint(createSchedulerSource(new Scheduler()), { allowedOrigins: [OK] });
    cleanup.push(() => endpoint.close());
    // The runtime's page: it records the hellos posted to its window, and never answers them.
    const runtimeWindow = target();
    let deliver: ((e: MessageEvent) => void) | null = null;
    const self: WindowLike = { addEventListener: (_t, f) => void (deliver = f), removeEventListener: () => void (deliver = null) };
    const client = attachWindow(runtimeWindow, OK, { self, retryMs: 20 });
    cleanup.push(() => client.disconnect());
    // The runtime offers a port to the inspector's window (as endpoint.offer posts it).
    const inspectorSide = target();
    endpoint.offer(inspectorSide, OK);
    const { message, ports } = inspectorSide.posted[0]!;
    deliver!({ origin: OK, source: runtimeWindow, data: message, ports } as unknown as MessageEvent);
    const r = await client.ready;
    expect(r).toMatchObject({ ok: true });
    expect(client.status).toBe('connected');
    const hellos = runtimeWindow.posted.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runtimeWindow.posted.length).toBe(hellos);
  });
});
