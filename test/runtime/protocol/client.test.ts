import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AnyRuntimeMessage, type InspectorEvent, PROTOCOL, PROTOCOL_VERSIONS, type Wall, type WindowLike, attachLocal, attachWall, attachWindow, memoryWallPair,
} from '../../../runtime/protocol/index.ts';
import { type Live, attach, startLive } from '../inspector/harness.ts';
import { sendExit } from '../../../runtime/core/exit.ts';

let live: Live | null = null;
afterEach(() => {
  live?.close();
  live = null;
});

/** A runtime side that welcomes and then does only what the test says. */
function fakeRuntime(): { inspectorSide: Wall; runtimeSide: Wall; received: Array<Record<string, unknown>> } {
  const [inspectorSide, runtimeSide] = memoryWallPair();
  const received: Array<Record<string, unknown>> = [];
  runtimeSide.listen((m) => {
    for (const x of Array.isArray(m) ? m : [m]) {
      const e = x as Record<string, unknown>;
      received.push(e);
      if (e.type === 'hello') {
        runtimeSide.send({ protocol: PROTOCOL, version: 1, type: 'welcome', id: e.id, runtime: { name: 'fake', version: '0', startedAt: 0, schedulers: 1 }, granted: ['observe'], versions: PROTOCOL_VERSIONS });
      }
    }
  });
  return { inspectorSide, runtimeSide, received };
}

describe('attach', () => {
  it("connects to this page's runtime and reports who it is and what it may do", async () => {
    live = await startLive(1, { application: 'Demo' });
    const client = attach(live);
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    const welcome = await client.ready;
    expect(welcome).toMatchObject({ ok: true, value: { granted: ['observe', 'control'] } });
    expect(client.status).toBe('connected');
    expect(client.runtime).toMatchObject({ application: 'Demo', schedulers: 1 });
    expect(statuses).toEqual(['connected']);
  });

  it('attachLocal finds the runtime exposed on this page, the same code path as any port', async () => {
    live = await startLive(1);
    const client = attachLocal({ heartbeatMs: false });
    await client.ready;
    const snap = await client.subscribe();
    expect(snap.ok && snap.value.processTotal).toBeGreaterThan(0);
    client.disconnect();
  });

  it('attachLocal is refused when nothing on the page is exposed', async () => {
    const client = attachLocal();
    await expect(client.ready).resolves.toMatchObject({ ok: false, code: 'not_found' });
    expect(client.status).toBe('refused');
  });

  it('is refused with the runtime’s code when nothing asked for is granted', async () => {
    live = await startLive(1, { capabilities: ['observe'] });
    const client = attach(live, { capabilities: ['control'] });
    await expect(client.ready).resolves.toMatchObject({ ok: false, code: 'not_permitted' });
    expect(client.reason?.code).toBe('not_permitted');
  });
});

describe('requests', () => {
  it('answers an error with a value carrying the code, never a rejection', async () => {
    live = await startLive(1, { capabilities: ['observe'] });
    const client = attach(live);
    await expect(client.kill('<0.1.0>' as never)).resolves.toEqual({ ok: false, code: 'not_permitted', message: expect.stringMatching(/\bcontrol\b/) });
  });

  it('times a request out when no answer comes', async () => {
    const { inspectorSide } = fakeRuntime();
    const client = attachWall(inspectorSide, { timeoutMs: 50, heartbeatMs: false });
    await client.ready;
    await expect(client.tables()).resolves.toMatchObject({ ok: false, code: 'timeout' });
  });

  it('hands every envelope to onMessage in order: snapshot, deltas, events (the backlog flagged) and watched details', async () => {
    live = await startLive(2);
    const w0 = (await live.children()).get('w0')!;
    sendExit(live.s, w0, 'kill', live.s.hostPid);
    const client = attach(live);
    const messages: AnyRuntimeMessage[] = [];
    client.onMessage((m) => messages.push(m));
    await client.subscribe({ rate: 50 });
    const w1 = (await live.children()).get('w1')!;
    const detail = await client.inspect(w1, { watch: true });
    expect(detail.ok && detail.value?.row.childId).toBe('w1');
    live.s.send(w1, { type: '$gen_cast', message: 'poke' });
    await vi.waitFor(() => {
      const types = messages.map((m) => m.type);
      expect(types.filter((t) => t === 'snapshot')).toHaveLength(1);
      expect(types.indexOf('delta')).toBeGreaterThan(types.indexOf('snapshot'));
      const backlog = messages.find((m): m is AnyRuntimeMessage & { type: 'events' } => m.type === 'events' && m.backlog === true);
      expect(backlog?.events.some((x: InspectorEvent) => x.type === 'orchard.supervisor.restarted')).toBe(true);
      expect(messages).toContainEqual(expect.objectContaining({
        type: 'process_detail', pid: w1, detail: expect.objectContaining({ state: { preview: '{n: 1, seen: 1}', truncated: false } }),
      }));
    });
  });
});

describe('disconnect detection', () => {
  it('goes disconnected on the runtime’s goodbye, and later requests fail at once', async () => {
    live = await startLive(1);
    const client = attach(live);
    await client.ready;
    live.exposed.endpoint.close('shutting down');
    await vi.waitFor(() => expect(client.status).toBe('disconnected'));
    expect(client.reason?.message).toBe('shutting down');
    await expect(client.tables()).resolves.toMatchObject({ ok: false, code: 'disconnected' });
  });

  it('goes disconnected when the runtime falls silent past 3 heartbeats', async () => {
    const { inspectorSide, received } = fakeRuntime();
    const client = attachWall(inspectorSide, { heartbeatMs: 30 });
    await client.ready;
    await vi.waitFor(() => expect(client.status).toBe('disconnected'), { timeout: 2000 });
    expect(received.some((m) => m.type === 'ping')).toBe(true);
    expect(client.reason?.message).toMatch(/\bstopped answering\b/);
  });

  it('says goodbye when the inspector disconnects', async () => {
    const { inspectorSide, received } = fakeRuntime();
    const client = attachWall(inspectorSide, { heartbeatMs: false });
    await client.ready;
    client.disconnect();
    await vi.waitFor(() => expect(received.some((m) => m.type === 'goodbye')).toBe(true));
    expect(client.status).toBe('disconnected');
  });
});

describe('attachWindow (the postMessage handshake, with fake windows)', () => {
  /** Two windows that post to each other as browsers do: origin and source set by the sender. */
  function windows(inspectorOrigin: string, runtimeOrigin: string) {
    const make = () => {
      const handlers = new Set<(e: MessageEvent) => void>();
      return {
        handlers,
        addEventListener: (_t: 'message', fn: (e: MessageEvent) => void) => void handlers.add(fn),
        removeEventListener: (_t: 'message', fn: (e: MessageEvent) => void) => void handlers.delete(fn),
        posted: [] as Array<{ data: unknown; targetOrigin: string }>,
        postMessage: null as unknown as (data: unknown, targetOrigin: string, transfer?: Transferable[]) => void,
      };
    };
    const inspector = make();
    const runtime = make();
    const wire = (from: typeof inspector, fromOrigin: string, to: typeof inspector, toOrigin: string) => {
      to.postMessage = (data, targetOrigin, transfer = []) => {
        to.posted.push({ data, targetOrigin });
        if (targetOrigin !== toOrigin) return; // the browser drops a message for another origin
        const ports = transfer.filter((t): t is MessagePort => t instanceof MessagePort);
        setTimeout(() => to.handlers.forEach((fn) => fn({ data: structuredClone(data), origin: fromOrigin, source: from, ports } as unknown as MessageEvent)), 0);
      };
    };
    wire(inspector, inspectorOrigin, runtime, runtimeOrigin);
    wire(runtime, runtimeOrigin, inspector, inspectorOrigin);
    return { inspector, runtime };
  }

  it('hands over a MessagePort and speaks over it, to and from the exact origins only', async () => {
    live = await startLive(2, { allowedOrigins: ['https://observer.test'], window: null });
    const { inspector, runtime } = windows('https://observer.test', 'https://host.test');
    live.exposed.endpoint.listenOn(runtime as unknown as WindowLike);
    const client = attachWindow(runtime, 'https://host.test', { self: inspector as unknown as WindowLike, heartbeatMs: false });
    await client.ready;
    expect(runtime.posted.every((p) => p.targetOrigin === 'https://host.test')).toBe(true);
    expect(inspector.posted.every((p) => p.targetOrigin === 'https://observer.test')).toBe(true);
    const snap = await client.subscribe();
    expect(snap.ok && snap.value.supervisors).toHaveLength(1);
    client.disconnect();
  });

  it('a window from an origin not listed is refused and gets no data', async () => {
    live = await startLive(2, { allowedOrigins: ['https://observer.test'], window: null });
    const { inspector, runtime } = windows('https://evil.test', 'https://host.test');
    live.exposed.endpoint.listenOn(runtime as unknown as WindowLike);
    const client = attachWindow(runtime, 'https://host.test', { self: inspector as unknown as WindowLike, heartbeatMs: false });
    await expect(client.ready).resolves.toMatchObject({ ok: false, code: 'origin_not_allowed' });
    expect(inspector.posted.map((p) => (p.data as { type: string }).type).filter((t) => t !== 'refused')).toEqual([]);
    await expect(client.kill('<0.1.0>' as never)).resolves.toMatchObject({ ok: false, code: 'disconnected' });
  });

  it('refuses * as the target origin', () => {
    expect(() => attachWindow({ postMessage: () => {} }, '*')).toThrow(/\bexact origin\b/);
  });
});

describe('attachWall', () => {
  it('hears a refusal sent before its hello was read (an origin not allowed)', async () => {
    live = await startLive(1, { allowedOrigins: ['https://ok.test'] });
    const [inspectorSide, runtimeSide] = memoryWallPair();
    live.exposed.endpoint.connect(runtimeSide, 'https://evil.test');
    const client = attachWall(inspectorSide, { heartbeatMs: false });
    await expect(client.ready).resolves.toMatchObject({ ok: false, code: 'origin_not_allowed' });
  });
});
