import { describe, expect, it, vi } from 'vitest';
import { Bridge, PROTOCOL, PROTOCOL_VERSION, type InspectorToRuntime, type RuntimeToInspector, type Wall } from '../../../runtime/protocol/index.ts';

/** A fake Wall of two vi.fn()s (React DevTools' bridge tests do the same). */
function fakeWall() {
  let deliver: ((m: unknown) => void) | null = null;
  const wall = {
    listen: vi.fn((fn: (m: unknown) => void) => {
      deliver = fn;
      return () => {
        deliver = null;
      };
    }),
    send: vi.fn(),
  } satisfies Wall;
  return { wall, deliver: (m: unknown) => deliver?.(m), listening: () => deliver !== null };
}

describe('Bridge', () => {
  it('batches the sends of one microtask into one wire message, in order', async () => {
    const { wall } = fakeWall();
    const bridge = new Bridge<RuntimeToInspector, InspectorToRuntime>(wall);
    bridge.send('pong', {}, 1);
    bridge.send('ok', {}, 2);
    expect(wall.send).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(wall.send).toHaveBeenCalledTimes(1);
    expect(wall.send.mock.calls[0]![0]).toEqual([
      { protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'pong', id: 1 },
      { protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'ok', id: 2 },
    ]);
  });

  it('sends a lone envelope as itself, not as a batch of one', async () => {
    const { wall } = fakeWall();
    const bridge = new Bridge<RuntimeToInspector, InspectorToRuntime>(wall);
    bridge.send('error', { code: 'noproc', message: 'gone' }, 7);
    await Promise.resolve();
    expect(wall.send.mock.calls[0]![0]).toMatchObject({ type: 'error', code: 'noproc', id: 7 });
  });

  it('takes incoming batches apart in order and ignores what is not an envelope', () => {
    const { wall, deliver } = fakeWall();
    const bridge = new Bridge<InspectorToRuntime, RuntimeToInspector>(wall);
    const got: string[] = [];
    const other = vi.fn();
    bridge.listen((m) => got.push(m.type), other);
    deliver([{ protocol: PROTOCOL, version: 1, type: 'pong' }, 'junk', { protocol: PROTOCOL, version: 1, type: 'ok' }]);
    deliver({ protocol: 'someone-else', type: 'x' });
    expect(got).toEqual(['pong', 'ok']);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it('shutdown flushes what is queued, stops listening, and warns on later sends', () => {
    const { wall, listening } = fakeWall();
    const warn = vi.fn();
    const bridge = new Bridge<RuntimeToInspector, InspectorToRuntime>(wall, { warn });
    bridge.listen(() => {});
    bridge.send('goodbye', { reason: 'bye' });
    bridge.shutdown();
    expect(wall.send).toHaveBeenCalledTimes(1);
    expect(listening()).toBe(false);
    bridge.send('pong', {});
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\bafter shutdown\b/));
    expect(wall.send).toHaveBeenCalledTimes(1);
  });

  it('survives a wall whose send throws (the other side is gone)', async () => {
    const { wall } = fakeWall();
    wall.send.mockImplementation(() => {
      throw new Error('port closed');
    });
    const warn = vi.fn();
    const bridge = new Bridge<RuntimeToInspector, InspectorToRuntime>(wall, { warn });
    bridge.send('pong', {});
    await Promise.resolve();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\bsend failed\b/));
  });
});
