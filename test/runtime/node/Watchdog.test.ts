import { describe, expect, it } from 'vitest';
import { Watchdog } from '../../../runtime/node/Watchdog.ts';

function setup() {
  let now = 0;
  const pinged: number[] = [];
  const silent: number[] = [];
  const w = new Watchdog({ intervalMs: 100, timeoutMs: 1_000 }, () => now, { ping: (id) => pinged.push(id), silent: (id) => silent.push(id) });
  return { w, pinged, silent, advance: (ms: number) => (now += ms) };
}

describe('Watchdog', () => {
  it('with warnOnly, says a silent scheduler is silent once per silence, keeps pinging it and never gives it up', () => {
    let now = 0;
    const pinged: number[] = [];
    const silent: number[] = [];
    const w = new Watchdog({ intervalMs: 100, timeoutMs: 1_000, warnOnly: true }, () => now, { ping: (id) => pinged.push(id), silent: (id) => silent.push(id) });
    w.watch(0);
    for (let i = 0; i < 30; i++) {
      now += 100;
      w.tick();
    }
    expect(silent).toEqual([0]);
    expect(pinged.length).toBe(30);
    // Heard again (the developer resumed in DevTools), then silent again: said again.
    w.heard(0);
    for (let i = 0; i < 12; i++) {
      now += 100;
      w.tick();
    }
    expect(silent).toEqual([0, 0]);
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
