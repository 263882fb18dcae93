import { describe, expect, it, vi } from 'vitest';
import { createSession } from '../../app/client/createSession.ts';
import { type AnyRuntimeMessage, type ConnectionStatus, type InspectorClient, envelope } from '../../runtime/protocol/index.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { createUiStore } from '../../app/store/uiStore.ts';
import { pid, smallTree, snapshot } from './fixtures.ts';

/** A client whose runtime answers every request `ok`, and `kill` with `noproc`. */
function fakeClient() {
  const listeners: Array<(m: AnyRuntimeMessage) => void> = [];
  const statuses: Array<(s: ConnectionStatus) => void> = [];
  const client = {
    reason: null as { code: string; message: string } | null,
    request: vi.fn(async (type: string, _payload: unknown) => {
      const answer = type === 'kill' ? envelope('error', { code: 'noproc', message: 'no such process' }) : envelope('ok', {});
      listeners.forEach((f) => f(answer as AnyRuntimeMessage));
      return answer.type === 'error' ? { ok: false, code: answer.code, message: answer.message } : { ok: true, value: answer };
    }),
    onMessage: (fn: (m: AnyRuntimeMessage) => void) => (listeners.push(fn), () => {}),
    onStatus: (fn: (s: ConnectionStatus) => void) => (statuses.push(fn), () => {}),
    disconnect: vi.fn(),
  };
  return {
    conn: client as unknown as InspectorClient,
    request: client.request,
    push: (m: AnyRuntimeMessage) => listeners.forEach((f) => f(m)),
    end: (r: string) => {
      client.reason = { code: 'disconnected', message: r };
      statuses.forEach((f) => f('disconnected'));
    },
  };
}

describe('createSession', () => {
  it('subscribes at the UI refresh rate, hiding the inspector, and writes the stream into the store', () => {
    const f = fakeClient();
    const runtime = createRuntimeStore();
    createSession(f.conn, runtime, createUiStore({ refreshMs: 250 }));
    expect(f.request).toHaveBeenCalledWith('subscribe', expect.objectContaining({ rate: 4, hideInspector: true }));
    f.push(snapshot(1, 10_000, smallTree()));
    expect(runtime.getState().processes.size).toBe(3);
  });

  it('unsubscribes on pause, drops what is still in flight, and subscribes again on resume', () => {
    const f = fakeClient();
    const runtime = createRuntimeStore();
    const ui = createUiStore();
    createSession(f.conn, runtime, ui);
    ui.getState().setPaused(true);
    expect(f.request).toHaveBeenLastCalledWith('unsubscribe', {});
    f.push(snapshot(1, 10_000, smallTree()));
    expect(runtime.getState().revision).toBe(0);
    ui.getState().setPaused(false);
    expect(f.request).toHaveBeenLastCalledWith('subscribe', expect.anything());
  });

  it('subscribes again at a new refresh rate, but not while paused', () => {
    const f = fakeClient();
    const ui = createUiStore();
    createSession(f.conn, createRuntimeStore(), ui);
    ui.getState().setRefreshMs(1000);
    expect(f.request).toHaveBeenLastCalledWith('subscribe', expect.objectContaining({ rate: 1 }));
    ui.getState().setPaused(true);
    const calls = f.request.mock.calls.length;
    ui.getState().setRefreshMs(500);
    expect(f.request.mock.calls.length).toBe(calls);
    ui.getState().setPaused(false);
    expect(f.request).toHaveBeenLastCalledWith('subscribe', expect.objectContaining({ rate: 2 }));
  });

  it('watches a process once however many views ask, and unwatches after the last', () => {
    const f = fakeClient();
    const session = createSession(f.conn, createRuntimeStore(), createUiStore());
    const a = session.watch(pid(2));
    const b = session.watch(pid(2));
    expect(f.request.mock.calls.filter((c) => c[0] === 'inspect')).toHaveLength(1);
    a();
    expect(f.request.mock.calls.filter((c) => c[0] === 'unwatch')).toHaveLength(0);
    b();
    expect(f.request).toHaveBeenLastCalledWith('unwatch', { pid: pid(2) });
  });

  it('answers a command with a value, the runtime error included', async () => {
    const f = fakeClient();
    const session = createSession(f.conn, createRuntimeStore(), createUiStore());
    await expect(session.kill(pid(9))).resolves.toEqual({ ok: false, code: 'noproc', message: 'no such process' });
    await expect(session.send(pid(2), { work: 1 })).resolves.toEqual({ ok: true, result: undefined });
  });

  it('marks the runtime gone when the connection ends', () => {
    const f = fakeClient();
    const runtime = createRuntimeStore();
    createSession(f.conn, runtime, createUiStore());
    f.end('the window was closed');
    expect(runtime.getState().connection).toMatchObject({ status: 'gone', message: 'the window was closed' });
  });
});
