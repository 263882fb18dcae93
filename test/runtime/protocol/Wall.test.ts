import { describe, expect, it, vi } from 'vitest';
import { localWallPair, memoryWallPair, portWall, windowWall, type WindowLike } from '../../../runtime/protocol/index.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('memoryWallPair', () => {
  it('copies each message and delivers it later, never during send (as postMessage)', async () => {
    const [a, b] = memoryWallPair({ originA: 'https://a.test' });
    const got: unknown[] = [];
    const origins: unknown[] = [];
    b.listen((m, meta) => {
      got.push(m);
      origins.push(meta.origin);
    });
    const sent = { x: [1, 2] };
    a.send(sent);
    expect(got).toEqual([]);
    await tick();
    expect(got).toEqual([{ x: [1, 2] }]);
    expect(got[0]).not.toBe(sent);
    expect(origins).toEqual(['https://a.test']);
  });

  it('refuses what cannot be cloned, at the sender', () => {
    const [a] = memoryWallPair();
    expect(() => a.send({ f: () => 1 })).toThrow();
  });
});

describe('portWall', () => {
  it('carries messages over a MessageChannel both ways', async () => {
    const ch = new MessageChannel();
    const a = portWall(ch.port1);
    const b = portWall(ch.port2);
    const got = vi.fn();
    const off = b.listen(got);
    a.send({ hello: 1 });
    await vi.waitFor(() => expect(got).toHaveBeenCalledWith({ hello: 1 }, expect.anything()));
    off();
    ch.port1.close();
  });
});

describe('windowWall', () => {
  function fakeWindow() {
    const handlers = new Set<(e: MessageEvent) => void>();
    const win: WindowLike & { dispatch(e: Partial<MessageEvent>): void } = {
      addEventListener: (_t, fn) => void handlers.add(fn),
      removeEventListener: (_t, fn) => void handlers.delete(fn),
      dispatch: (e) => handlers.forEach((fn) => fn({ ports: [], ...e } as MessageEvent)),
    };
    return win;
  }

  it('posts to the exact target origin, never *', () => {
    const target = { postMessage: vi.fn() };
    windowWall({ self: fakeWindow(), target, targetOrigin: 'https://runtime.test' }).send({ a: 1 });
    expect(target.postMessage).toHaveBeenCalledWith({ a: 1 }, 'https://runtime.test', []);
    expect(() => windowWall({ self: fakeWindow(), target, targetOrigin: '*' })).toThrow(/\bexact target origin\b/);
  });

  it('takes messages only from the target window and its origin', () => {
    const self = fakeWindow();
    const target = { postMessage: vi.fn() };
    const got = vi.fn();
    windowWall({ self, target, targetOrigin: 'https://runtime.test' }).listen(got);
    self.dispatch({ data: 1, origin: 'https://evil.test', source: target as never });
    self.dispatch({ data: 2, origin: 'https://runtime.test', source: {} as never });
    self.dispatch({ data: 3, origin: 'https://runtime.test', source: target as never });
    expect(got.mock.calls.map((c) => c[0])).toEqual([3]);
  });
});

describe('localWallPair', () => {
  it('delivers in order, never during send; the runtime side hands over, the inspector side copies', async () => {
    const { runtime, inspector } = localWallPair();
    const atInspector: unknown[] = [];
    const atRuntime: unknown[] = [];
    inspector.listen((m) => atInspector.push(m));
    runtime.listen((m) => atRuntime.push(m));
    const rows = { processes: [{ pid: '<0.1.0>' }] };
    runtime.send(rows);
    runtime.send('second');
    const command = { type: 'kill', pid: '<0.1.0>' };
    inspector.send(command);
    expect(atInspector).toEqual([]);
    expect(atRuntime).toEqual([]);
    await vi.waitFor(() => expect(atInspector).toHaveLength(2));
    await vi.waitFor(() => expect(atRuntime).toHaveLength(1));
    expect(atInspector[0]).toBe(rows); // not copied
    expect(atInspector[1]).toBe('second');
    expect(atRuntime[0]).toEqual(command);
    expect(atRuntime[0]).not.toBe(command); // copied
  });

  it('refuses at send what could not cross a port, from the inspector side', () => {
    const { inspector } = localWallPair();
    expect(() => inspector.send({ f: () => 1 })).toThrow();
  });
});
