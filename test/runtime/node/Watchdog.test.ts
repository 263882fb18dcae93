import { describe, expect, it } from 'vitest';
import { DEFAULT_WATCHDOG, DEVELOPMENT_WATCHDOG, Watchdog, type WatchdogOptions, defaultWatchdog } from '../../../runtime/node/Watchdog.ts';

function setup(options: WatchdogOptions = { intervalMs: 100, timeoutMs: 1_000 }) {
  let now = 0;
  const pinged: number[] = [];
  const warned: number[] = [];
  const silent: number[] = [];
  const w = new Watchdog(options, () => now, { ping: (id) => pinged.push(id), warn: (id) => warned.push(id), silent: (id) => silent.push(id) });
  return { w, pinged, warned, silent, advance: (ms: number) => (now += ms) };
}

describe('Watchdog', () => {
  it('with warnOnly, says a silent scheduler is silent once per silence, keeps pinging it and never gives it up', () => {
    const t = setup({ intervalMs: 100, timeoutMs: 1_000, warnOnly: true });
    t.w.watch(0);
    for (let i = 0; i < 30; i++) {
      t.advance(100);
      t.w.tick();
    }
    expect(t.warned).toEqual([0]);
    expect(t.silent).toEqual([]);
    expect(t.pinged.length).toBe(30);
    // Heard again (the developer resumed in DevTools), then silent again: said again.
    t.w.heard(0);
    for (let i = 0; i < 12; i++) {
      t.advance(100);
      t.w.tick();
    }
    expect(t.warned).toEqual([0, 0]);
  });

  it('with warnMs under the limit (development builds), warns once at warnMs and replaces at timeoutMs', () => {
    const t = setup(DEVELOPMENT_WATCHDOG);
    t.w.watch(0);
    for (let i = 0; i < 11; i++) {
      t.advance(100);
      t.w.tick();
    }
    expect(t.warned).toEqual([0]);
    expect(t.silent).toEqual([]);
    // A heap snapshot of a few seconds ends: the scheduler is heard of again, and lives.
    t.w.heard(0);
    for (let i = 0; i < 30; i++) {
      t.advance(100);
      t.w.heard(0);
      t.w.tick();
    }
    expect(t.silent).toEqual([]);
    for (let i = 0; i < 51; i++) {
      t.advance(100);
      t.w.tick();
    }
    expect(t.warned).toEqual([0, 0]);
    expect(t.silent).toEqual([0]);
  });

  it('defaults to 1 s in production builds and test runs, and to a warning at 1 s and a replacement at 5 s in development builds', () => {
    const env = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'test';
      expect(defaultWatchdog()).toBe(DEFAULT_WATCHDOG);
      process.env.NODE_ENV = 'production';
      expect(defaultWatchdog()).toBe(DEFAULT_WATCHDOG);
      process.env.NODE_ENV = 'development';
      expect(defaultWatchdog()).toBe(DEVELOPMENT_WATCHDOG);
      expect(DEVELOPMENT_WATCHDOG).toMatchObject({ warnMs: DEFAULT_WATCHDOG.timeoutMs, timeoutMs: 5_000 });
    } finally {
      process.env.NODE_ENV = env;
    }
  });

  it('pings every watched scheduler on each tick', () => {
    const t = setup();
    t.w.watch(0);
    t.w.watch(1);
    t.advance(100);
    t.w.tick();
    expect(t.pinged).toEqual([0, 1]);
  });

  it('declares a scheduler silent once it has not been heard of for longer than timeoutMs (DESIGN decision 2)', () => {
    const t = setup();
    t.w.watch(0);
    t.w.watch(1);
    for (let i = 0; i < 11; i++) {
      t.advance(100);
      t.w.heard(0);
      t.w.tick();
    }
    expect(t.silent).toEqual([1]);
    expect(t.warned).toEqual([]);
    t.advance(100);
    t.w.tick();
    expect(t.silent).toEqual([1]);
  });

  it("does not hold the node's own stall against the schedulers", () => {
    const t = setup();
    t.w.watch(0);
    t.advance(5_000); // the page was busy; the answers wait unread
    t.w.tick();
    expect(t.silent).toEqual([]);
  });
});
