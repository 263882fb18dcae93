/**
 * Restart intensity as supervisor.erl's add_restart/3 computes it: pure functions of the restart
 * times and `now`, so the rule is checked without any process (STYLE G6, G9).
 */
import { describe, expect, it } from 'vitest';
import { addRestart, exceeded, restartsInWindow } from '../../../runtime/behaviours/restartIntensity.ts';

describe('addRestart', () => {
  it('appends the new restart and keeps those within the last period, oldest first (supervisor.erl add_restart/3)', () => {
    expect(addRestart([], 1000, 5)).toEqual([1000]);
    expect(addRestart([1000, 2000], 3000, 5)).toEqual([1000, 2000, 3000]);
  });

  it('drops the restarts older than the period (supervisor docs, "Restart intensity and period")', () => {
    expect(addRestart([0, 100, 6000], 6001, 6)).toEqual([100, 6000, 6001]);
    expect(addRestart([0, 1000], 10_000, 5)).toEqual([10_000]);
  });

  it('keeps a restart exactly one period old: the window includes its start (supervisor.erl add_restart/3: R >= Now - Period)', () => {
    expect(addRestart([0], 5000, 5)).toEqual([0, 5000]);
    expect(addRestart([0], 5001, 5)).toEqual([5001]);
  });
});

describe('restartsInWindow', () => {
  it('counts the restarts in the window at a given time, without adding one (supervisor docs, "Restart intensity and period")', () => {
    const restarts = [0, 2000, 4000];
    expect(restartsInWindow(restarts, 4000, 5)).toBe(3);
    expect(restartsInWindow(restarts, 5000, 5)).toBe(3); // the one at 0 is exactly one period old
    expect(restartsInWindow(restarts, 5001, 5)).toBe(2);
    expect(restartsInWindow(restarts, 10_000, 5)).toBe(0);
    expect(restarts).toEqual([0, 2000, 4000]);
  });
});

describe('exceeded', () => {
  it('is true only when the window holds more than intensity restarts (supervisor.erl add_restart/1: CurI =< I is ok)', () => {
    expect(exceeded([1, 2, 3], 3)).toBe(false);
    expect(exceeded([1, 2, 3, 4], 3)).toBe(true);
    expect(exceeded([], 0)).toBe(false);
    expect(exceeded([1], 0)).toBe(true);
  });
});
