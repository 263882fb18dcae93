import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIMITS, PROTOCOL } from '../../../runtime/protocol/index.ts';
import { InspectorEndpoint, createSchedulerSource } from '../../../runtime/inspector/index.ts';
import { Scheduler } from '../../../runtime/core/index.ts';
import { type Live, rawWire, req, startLive } from './harness.ts';
import { sendExit } from '../../../runtime/core/exit.ts';

let live: Live | null = null;
afterEach(() => {
  live?.close();
  live = null;
});

describe('handshake', () => {
  it('welcomes with the identity and the granted capabilities (asked ∩ allowed)', async () => {
    live = await startLive(1, { capabilities: ['observe'], application: 'Test app', name: 'rt' });
    const w = rawWire(live);
    const welcome = await w.hello(['observe', 'control']);
    expect(welcome).toMatchObject({ type: 'welcome', granted: ['observe'], versions: [1, 2] });
    expect(welcome.runtime).toMatchObject({ name: 'rt', application: 'Test app', schedulers: 1 });
  });

  it('refuses a hello in a version it does not speak, listing its versions', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    w.send({ ...req('hello', 0, { capabilities: ['observe'], client: { name: 'x', version: '1' } }), version: 42 });
    expect(await w.answer(0)).toMatchObject({ type: 'refused', code: 'version_mismatch', versions: [1, 2] });
  });

  it('grants the intersection when the hello also names a capability it does not know', async () => {
    live = await startLive(1, { capabilities: ['observe', 'control'] });
    const w = rawWire(live);
    expect(await w.hello(['observe', 'profile'])).toMatchObject({ type: 'welcome', granted: ['observe'] });
  });

  it('refuses a heartbeat out of range with bad_argument', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    expect(await w.hello(['observe'], { heartbeatMs: 5 })).toMatchObject({ type: 'refused', code: 'bad_argument' });
  });

  it('refuses when nothing asked for is granted', async () => {
    live = await startLive(1, { capabilities: ['observe'] });
    const w = rawWire(live);
    expect(await w.hello(['control'])).toMatchObject({ type: 'refused', code: 'not_permitted' });
  });

  it('answers requests before the hello with not_connected', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    w.send(req('subscribe', 5));
    expect(await w.answer(5)).toMatchObject({ type: 'error', code: 'not_connected' });
  });

  it('refuses an origin that is not listed, before any message', async () => {
    live = await startLive(1, { allowedOrigins: ['https://ok.test'] });
    const w = rawWire(live, 'https://evil.test');
    await vi.waitFor(() => expect(w.received[0]).toMatchObject({ type: 'refused', code: 'origin_not_allowed' }));
    w.send(req('hello', 1, { capabilities: ['observe'], client: { name: 'x', version: '1' } }));
    await new Promise((r) => setTimeout(r, 30));
    expect(w.received).toHaveLength(1);
  });
});

describe('errors answer the offending request and change nothing', () => {
  it('unknown type, bad fields, missing capability, noproc', async () => {
    live = await startLive(2, { capabilities: ['observe'] });
    const kids = await live.children();
    const w = rawWire(live);
    await w.hello(['observe']);
    w.send(req('format_disk', 1));
    w.send(req('inspect', 2, { pid: 'nope' }));
    w.send(req('kill', 3, { pid: kids.get('w0') }));
    w.send(req('inspect', 4, { pid: '<0.9999.0>' }));
    expect(await w.answer(1)).toMatchObject({ type: 'error', code: 'unknown_type' });
    expect(await w.answer(2)).toMatchObject({ type: 'error', code: 'bad_message' });
    expect(await w.answer(3)).toMatchObject({ type: 'error', code: 'not_permitted' });
    expect(await w.answer(4)).toMatchObject({ type: 'process_detail', detail: null });
    expect(live.s.procs.has(kids.get('w0')!)).toBe(true);
  });

  it('refuses an oversized message and a batch that is too long', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    await w.hello();
    w.send(req('send', 1, { to: 'x', message: 'y'.repeat(LIMITS.maxIncomingChars + 10) }));
    expect(await w.answer(1)).toMatchObject({ type: 'error', code: 'too_large' });
    w.send(Array.from({ length: LIMITS.maxBatch + 1 }, (_, i) => req('ping', 100 + i)));
    await vi.waitFor(() => expect(w.received.some((m) => m.code === 'too_large' && m.id === undefined)).toBe(true));
    expect(w.received.some((m) => m.type === 'pong')).toBe(false);
  });

  it('rate-limits a flood with one error, then drops the connection', async () => {
    // Time stands still for the connection: the whole flood falls in one one-second window,
    // however slowly a loaded machine delivers it.
    const frozen = { now: () => 0, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as never) };
    live = await startLive(1, { clock: frozen });
    const w = rawWire(live);
    await w.hello();
    const n = LIMITS.maxRequestsPerSecond * 10 + 50;
    for (let i = 0; i < n; i += LIMITS.maxBatch) w.send(Array.from({ length: LIMITS.maxBatch }, (_, k) => req('ping', 1000 + i + k)));
    await vi.waitFor(() => expect(w.received.some((m) => m.type === 'goodbye')).toBe(true));
    expect(w.received.filter((m) => m.code === 'rate_limited')).toHaveLength(1);
    expect(w.received.filter((m) => m.type === 'pong').length).toBe(LIMITS.maxRequestsPerSecond - 1);
    expect(live.exposed.endpoint.connections.size).toBe(0);
  });

  it('answers every request taken before a flood goodbye exactly once, before the goodbye', async () => {
    const frozen = { now: () => 0, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as never) };
    live = await startLive(2, { clock: frozen });
    const w = rawWire(live);
    await w.hello();
    const pid = (await live.children()).get('w0')!;
    // A source that answers details slowly, as a worker's does: these are still pending when the flood hits.
    const source = live.exposed.endpoint.source;
    const detail = source.detail.bind(source);
    source.detail = (...args) => new Promise((r) => setTimeout(() => r(detail(...args)), 300));
    w.send(Array.from({ length: 5 }, (_, k) => req('inspect', 10 + k, { pid })));
    const n = LIMITS.maxRequestsPerSecond * 10 + 50;
    for (let i = 0; i < n; i += LIMITS.maxBatch) w.send(Array.from({ length: LIMITS.maxBatch }, (_, k) => req('ping', 1000 + i + k)));
    await vi.waitFor(() => expect(w.received.some((m) => m.type === 'goodbye')).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    const goodbye = w.received.findIndex((m) => m.type === 'goodbye');
    for (let id = 10; id < 15; id++) {
      const answers = w.received.map((m, i) => ({ m, i })).filter(({ m }) => m.id === id);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.i).toBeLessThan(goodbye);
    }
  });
});

describe('subscription', () => {
  it('streams a snapshot (answering the subscribe), then deltas at the rate asked for', async () => {
    live = await startLive(2);
    const w = rawWire(live);
    await w.hello();
    w.send(req('subscribe', 1, { rate: 50 }));
    const snap = await w.answer(1);
    expect(snap).toMatchObject({ type: 'snapshot', seq: 1 });
    await vi.waitFor(() => expect(w.received.filter((m) => m.type === 'delta').length).toBeGreaterThanOrEqual(3));
    const seqs = w.received.filter((m) => m.type === 'delta').map((m) => m.seq as number);
    expect(seqs.slice(0, 3)).toEqual([2, 3, 4]);
  });

  it('replays the flight recorder backlog (events from before the attach) after the snapshot', async () => {
    live = await startLive(2);
    const w0 = (await live.children()).get('w0')!;
    sendExit(live.s, w0, 'kill', live.s.hostPid);
    await vi.waitFor(async () => expect((await live!.children()).get('w0')).not.toBe(w0));
    const w = rawWire(live);
    await w.hello();
    w.send(req('subscribe', 1));
    await w.answer(1);
    await vi.waitFor(() => {
      const backlog = w.received.find((m) => m.type === 'events' && m.backlog === true);
      expect(backlog).toBeDefined();
      const types = (backlog!.events as Array<{ type: string }>).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['orchard.process.exited', 'orchard.supervisor.restarted', 'orchard.process.spawned']));
    });
  });

  it('stops collecting when the inspector unsubscribes or leaves', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    await w.hello();
    w.send(req('subscribe', 1, { rate: 20 }));
    await w.answer(1);
    expect(live.s.watch).not.toBeNull();
    w.send(req('unsubscribe', 2));
    await w.answer(2);
    expect(live.s.watch).toBeNull();
    w.send(req('subscribe', 3));
    await w.answer(3);
    w.send(req('goodbye', 4));
    await vi.waitFor(() => expect(live!.s.watch).toBeNull());
  });

  it('drops an inspector that promised a heartbeat and fell silent', async () => {
    live = await startLive(1, { minSilenceMs: 0 });
    const w = rawWire(live);
    await w.hello(['observe'], { heartbeatMs: 100 });
    w.send(req('subscribe', 1, { rate: 20 }));
    await w.answer(1);
    await vi.waitFor(() => expect(w.received.some((m) => m.type === 'goodbye')).toBe(true), { timeout: 2000 });
    expect(live.s.watch).toBeNull();
  });
});

describe('details', () => {
  it('answers inspect with previews, and streams changes while watched', async () => {
    live = await startLive(1);
    const w0 = (await live.children()).get('w0')!;
    const w = rawWire(live);
    await w.hello();
    w.send(req('subscribe', 1, { rate: 50 }));
    await w.answer(1);
    w.send(req('inspect', 2, { pid: w0, watch: true }));
    const detail = (await w.answer(2)).detail as { state: { preview: string }; row: { childId: string }; events: unknown[] };
    expect(detail.state.preview).toBe('{n: 0, seen: 0}');
    expect(detail.row.childId).toBe('w0');
    w.send(req('send', 3, { to: w0, message: { $gen_cast: 'poke' } }));
    await w.answer(3);
    live.s.send(w0, { type: '$gen_cast', message: 'x' });
    await vi.waitFor(() => {
      const later = w.received.filter((m) => m.type === 'process_detail' && m.id === undefined);
      expect(later.length).toBeGreaterThan(0);
    });
  });
});

describe('commands', () => {
  it('kill makes the supervisor restart the child', async () => {
    live = await startLive(2);
    const w1 = (await live.children()).get('w1')!;
    const w = rawWire(live);
    await w.hello();
    w.send(req('kill', 1, { pid: w1 }));
    expect(await w.answer(1)).toMatchObject({ type: 'ok' });
    await vi.waitFor(async () => {
      const now = (await live!.children()).get('w1');
      expect(now).toBeDefined();
      expect(now).not.toBe(w1);
    });
  });

  it('turns tracing on for chosen pids, and off again when the inspector leaves', async () => {
    live = await startLive(2);
    const w0 = (await live.children()).get('w0')!;
    const w = rawWire(live);
    await w.hello();
    w.send(req('subscribe', 1, { rate: 50 }));
    await w.answer(1);
    w.send(req('trace', 2, { pids: [w0, '<0.9999.0>'], on: true }));
    expect(await w.answer(2)).toMatchObject({ type: 'ok', result: { traced: [w0], noproc: ['<0.9999.0>'] } });
    live.s.send(w0, { type: '$gen_cast', message: 'traced' });
    await vi.waitFor(() => {
      const events = w.received.filter((m) => m.type === 'events').flatMap((m) => m.events as Array<{ type: string; pid?: string }>);
      expect(events).toContainEqual(expect.objectContaining({ type: 'orchard.trace.receive', pid: w0 }));
    });
    w.send(req('goodbye', 3));
    await vi.waitFor(() => expect(live!.s.tracing).toBe(0));
  });

  it('starts and stops applications from the catalog by name', async () => {
    const { DEMOS } = await import('../../../runtime/demos/index.ts');
    live = await startLive(1, { applications: DEMOS });
    const w = rawWire(live);
    await w.hello();
    w.send(req('startApplication', 1, { name: 'Counter' }));
    const ok = await w.answer(1);
    expect(ok).toMatchObject({ type: 'ok' });
    w.send(req('startApplication', 2, { name: 'Counter' }));
    expect(await w.answer(2)).toMatchObject({ type: 'error', code: 'bad_argument' });
    w.send(req('startApplication', 3, { name: 'Nope' }));
    expect(await w.answer(3)).toMatchObject({ type: 'error', code: 'not_found' });
    w.send(req('subscribe', 4));
    const snap = await w.answer(4);
    expect((snap.applications as Array<{ name: string }>).map((a) => a.name)).toContain('Counter');
    expect((snap.available as Array<{ name: string }>).map((a) => a.name)).toContain('Counter');
    w.send(req('stopApplication', 5, { name: 'Counter' }));
    expect(await w.answer(5)).toMatchObject({ type: 'ok' });
    const master = (ok.result as { master: string }).master;
    await vi.waitFor(() => expect(live!.s.procs.has(master as never)).toBe(false));
  });
});

describe('endpoint', () => {
  it('says goodbye to every inspector when it closes', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    await w.hello();
    live.exposed.endpoint.close('bye');
    await vi.waitFor(() => expect(w.received.at(-1)).toMatchObject({ type: 'goodbye', reason: 'bye', protocol: PROTOCOL }));
  });

  it('limits the connections open at once', async () => {
    const s = new Scheduler();
    const endpoint = new InspectorEndpoint(createSchedulerSource(s), { allowedOrigins: [], maxConnections: 1 });
    endpoint.connectLocal();
    const port = endpoint.connectLocal();
    expect(endpoint.connections.size).toBe(1);
    port.close();
    endpoint.close();
  });
});

describe('call and cast (v2), as gen_server:call/3 and gen_server:cast/2 make them', () => {
  /** A version 2 request (call and cast are not in version 1). */
  const req2 = (type: string, id: number, fields: object) => ({ ...req(type, id, fields), version: 2 });

  it('a cast reaches handle_cast, a call answers with the reply (gen_server docs, "call/3", "cast/2")', async () => {
    live = await startLive(1);
    const w0 = (await live.children()).get('w0')!;
    const w = rawWire(live);
    await w.hello(undefined, { version: 2 });
    w.send(req2('cast', 1, { to: w0, request: { t: 'atom', v: 'poke' } }));
    expect(await w.answer(1)).toMatchObject({ type: 'ok' });
    w.send(req2('call', 2, { to: w0, request: { t: 'tuple', v: [{ t: 'atom', v: 'seen' }] } }));
    expect(await w.answer(2)).toMatchObject({ type: 'ok', result: { reply: { preview: '1' } } });
  });

  it('a call to nobody is the exit the caller would take: noproc', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    await w.hello(undefined, { version: 2 });
    w.send(req2('call', 1, { to: 'Nobody.Here', request: { t: 'atom', v: 'x' } }));
    expect(await w.answer(1)).toMatchObject({ type: 'ok', result: { exit: 'noproc' } });
    w.send(req2('cast', 2, { to: 'Nobody.Here', request: { t: 'atom', v: 'x' } }));
    expect(await w.answer(2)).toMatchObject({ type: 'error', code: 'noproc' });
  });

  it('refuses a request that is not a typed term, and a timeout out of bounds', async () => {
    live = await startLive(1, { capabilities: ['observe', 'control'] });
    const w = rawWire(live);
    await w.hello(undefined, { version: 2 });
    w.send(req2('call', 1, { to: 'x', request: 'val' }));
    expect(await w.answer(1)).toMatchObject({ type: 'error', code: 'bad_message' });
    w.send(req2('call', 2, { to: 'x', request: { t: 'atom', v: 'val' }, timeout: 0 }));
    expect(await w.answer(2)).toMatchObject({ type: 'error', code: 'bad_argument' });
  });
});
