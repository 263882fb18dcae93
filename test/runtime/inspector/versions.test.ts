/**
 * Protocol versions (messages.ts PROTOCOL_VERSIONS): a connection speaks the version its hello
 * asked for, both ways; version 1 is still served as it was.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Supervisor from '../../../runtime/behaviours/supervisor.ts';
import type { Pid } from '../../../runtime/core/index.ts';
import { PROTOCOL, T } from '../../../runtime/protocol/index.ts';
import { type Live, WORKER, rawWire, startLive } from './harness.ts';
import { sendExit } from '../../../runtime/core/exit.ts';

let live: Live | null = null;
afterEach(() => {
  live?.close();
  live = null;
});

const hello = (version: number) => ({
  protocol: PROTOCOL, version, type: 'hello', id: 0, capabilities: ['observe', 'control'], client: { name: 'test', version: '0' },
});

describe('version 2', () => {
  it('stamps every envelope with the version the hello settled', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    w.send(hello(2));
    expect(await w.answer(0)).toMatchObject({ type: 'welcome', version: 2, versions: [1, 2] });
    w.send({ protocol: PROTOCOL, version: 2, type: 'ping', id: 1 });
    expect(await w.answer(1)).toMatchObject({ type: 'pong', version: 2 });
    // A version-1 envelope on a version-2 connection is refused, as any other mismatch.
    w.send({ protocol: PROTOCOL, version: 1, type: 'ping', id: 2 });
    expect(await w.answer(2)).toMatchObject({ type: 'error', code: 'version_mismatch' });
  });

  it("carries a tick's events inside its delta, with the rows they explain, and sends no separate events message", async () => {
    live = await startLive(2);
    const w = rawWire(live);
    w.send(hello(2));
    await w.answer(0);
    w.send({ protocol: PROTOCOL, version: 2, type: 'subscribe', id: 1, rate: 20 });
    await w.answer(1);
    const w0 = (await live.children()).get('w0')!;
    const before = w.received.length;
    sendExit(live.s, w0, 'kill', live.s.hostPid);
    let delta: Record<string, unknown> | undefined;
    await vi.waitFor(() => {
      delta = w.received.slice(before).find((m) => m.type === 'delta' && (m.removed as string[]).includes(w0));
      expect(delta).toBeDefined();
    });
    // A death names the supervisor and the child id (the row it explains is removed in the same delta).
    expect(delta!.events).toContainEqual(expect.objectContaining({ type: 'orchard.process.exited', pid: w0, reason: 'killed', supervisor: live.sup, childId: 'w0' }));
    // The restart may fall in a later tick than the death: it rides in the delta that adds the successor's row.
    let added: Record<string, unknown> | undefined;
    await vi.waitFor(() => {
      added = w.received.slice(before).find((m) => m.type === 'delta' && (m.events as Array<Record<string, unknown>>).some((e) => e.type === 'orchard.supervisor.restarted'));
      expect(added).toBeDefined();
    });
    const restart = (added!.events as Array<Record<string, unknown>>).find((e) => e.type === 'orchard.supervisor.restarted')!;
    expect(restart).toMatchObject({ supervisor: live.sup, childId: 'w0', oldPid: w0, reason: 'killed', count: 1 });
    expect((added!.processes as Array<{ pid: string }>).map((r) => r.pid)).toContain(restart.newPid);
    expect(w.received.slice(before).filter((m) => m.type === 'events')).toEqual([]);
  });

  it('sends an escalation with the intensity and period exceeded and the exit that was one too many (supervisor docs, "Restart intensity")', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    w.send(hello(2));
    await w.answer(0);
    w.send({ protocol: PROTOCOL, version: 2, type: 'subscribe', id: 1, rate: 20 });
    await w.answer(1);
    const s = live.s;
    const strict = await new Promise<Pid>((resolve) => {
      s.spawn(function* starter() {
        const r = yield* Supervisor.startLink([{ id: 'only', start: [WORKER, [0]] as [string, unknown[]] }], { intensity: 0, period: 5 });
        if (r !== 'ignore' && r[0] === 'ok') resolve(r[1]);
        yield { match: () => false, after: -1, persistent: false, resume: () => {} };
      });
    });
    let child: Pid | null = null;
    await vi.waitFor(() => {
      const report = s.procs.get(strict)?.ext?.dict?.get('orchard.supervisor') as ((now: number) => { children: Array<{ pid: Pid | null }> }) | undefined;
      child = report?.(s.clock.now()).children[0]?.pid ?? null;
      expect(child).not.toBeNull();
    });
    sendExit(s, child!, 'kill', s.hostPid);
    await vi.waitFor(() => {
      const events = w.received.filter((m) => m.type === 'delta').flatMap((m) => m.events as Array<Record<string, unknown>>);
      expect(events).toContainEqual(expect.objectContaining({
        type: 'orchard.supervisor.intensity_exceeded', supervisor: strict, intensity: 0, period: 5, restarts: 1, childId: 'only', reason: 'killed',
      }));
    });
  });

  it('rejects a send marked typed whose message is not a term, and delivers one that is', async () => {
    live = await startLive(1);
    const w = rawWire(live);
    w.send(hello(2));
    await w.answer(0);
    w.send({ protocol: PROTOCOL, version: 2, type: 'send', id: 1, to: 'inspector_test_sup', message: { t: 'nope' }, typed: true });
    expect(await w.answer(1)).toMatchObject({ type: 'error', code: 'bad_message', message: expect.stringMatching(/\bterm\b/) });
    const w0 = (await live.children()).get('w0')!;
    w.send({ protocol: PROTOCOL, version: 2, type: 'send', id: 2, to: w0, message: T.map([T.atom('type'), T.atom('$gen_cast')], [T.atom('message'), T.int(7)]), typed: true });
    expect(await w.answer(2)).toMatchObject({ type: 'ok' });
    // The term arrived as the value termToValue makes of it: a cast the worker counted.
    await vi.waitFor(async () => {
      w.send({ protocol: PROTOCOL, version: 2, type: 'inspect', id: 3, pid: w0 });
      const detail = (await w.answer(3)).detail as { state: { preview: string } };
      w.received.splice(0);
      expect(detail.state.preview).toMatch(/seen: 1\b/);
    });
  });
});

describe('version 1, still served', () => {
  it("does not know version 2's requests: call and cast are answered unknown_type, as any type the version lacks", async () => {
    live = await startLive(1);
    const w = rawWire(live);
    w.send(hello(1));
    await w.answer(0);
    w.send({ protocol: PROTOCOL, version: 1, type: 'call', id: 1, to: 'Counter', request: T.atom('val') });
    expect(await w.answer(1)).toMatchObject({ type: 'error', code: 'unknown_type' });
    w.send({ protocol: PROTOCOL, version: 1, type: 'cast', id: 2, to: 'Counter', request: T.atom('val') });
    expect(await w.answer(2)).toMatchObject({ type: 'error', code: 'unknown_type' });
  });

  it('sends the events of a tick in their own message after the delta, as version 1 did', async () => {
    live = await startLive(2);
    const w = rawWire(live);
    w.send(hello(1));
    expect(await w.answer(0)).toMatchObject({ type: 'welcome', version: 1 });
    w.send({ protocol: PROTOCOL, version: 1, type: 'subscribe', id: 1, rate: 20 });
    await w.answer(1);
    const w0 = (await live.children()).get('w0')!;
    const before = w.received.length;
    sendExit(live.s, w0, 'kill', live.s.hostPid);
    await vi.waitFor(() => {
      const events = w.received.slice(before).filter((m) => m.type === 'events').flatMap((m) => m.events as Array<Record<string, unknown>>);
      expect(events).toContainEqual(expect.objectContaining({ type: 'orchard.process.exited', pid: w0 }));
    });
    for (const m of w.received.slice(before)) {
      expect(m.version).toBe(1);
      if (m.type === 'delta') expect(m).not.toHaveProperty('events');
    }
  });
});
