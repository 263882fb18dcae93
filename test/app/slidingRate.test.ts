import { describe, expect, it } from 'vitest';
import { NodeRates, RestartingTotal, SlidingRate } from '../../app/store/slidingRate.ts';

describe('SlidingRate', () => {
  it('counts what the last second added, even when most ticks saw nothing', () => {
    // A process that runs every 300 ms, sampled at 10 Hz: 7 ticks of 10 read 0.
    const r = new SlidingRate();
    let total = 0;
    for (let t = 0; t <= 3_000; t += 100) {
      if (t % 300 === 0) total += 30;
      r.add(t, total);
    }
    // 300 ms, 600 and 900 fell within (2000, 3000]: 4 runs of 30 at 2100, 2400, 2700, 3000.
    expect(r.rate(3_000)).toBe(120);
  });

  it('falls to 0 a second after the last increase', () => {
    const r = new SlidingRate();
    r.add(0, 0);
    r.add(100, 50);
    expect(r.rate(900)).toBeCloseTo(50 / 0.9);
    expect(r.rate(1_100)).toBe(0);
  });

  it('is 0 with one sample, and never negative', () => {
    const r = new SlidingRate();
    expect(r.rate(0)).toBe(0);
    r.add(0, 10);
    expect(r.rate(0)).toBe(0);
    r.add(1_500, 5);
    expect(r.rate(1_500)).toBe(0);
  });
});

describe('NodeRates', () => {
  it('reads messages per second from the schedulers\' deliveries, across a restarted scheduler', () => {
    const n = new NodeRates();
    const node = { reductions: 0 };
    for (let t = 0; t <= 2_000; t += 100) n.update(t, node, [{ id: 0, messagesIn: t / 10 }, { id: 1, messagesIn: t / 20 }]);
    expect(n.messagesPerSecond(2_000)).toBe(150);
    // Scheduler 1 replaced: its counter starts again from 0; the rate does not go negative or jump.
    for (let t = 2_100; t <= 3_000; t += 100) n.update(t, node, [{ id: 0, messagesIn: t / 10 }, { id: 1, messagesIn: (t - 2_000) / 20 }]);
    expect(n.messagesPerSecond(3_000)).toBe(150);
  });

  it('adds a restarted counter\'s new value', () => {
    const t = new RestartingTotal();
    t.update(1, 10);
    t.update(1, 25);
    t.update(1, 4);
    expect(t.total).toBe(19);
  });
});
