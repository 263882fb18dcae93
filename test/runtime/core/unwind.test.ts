/**
 * A dead process runs no more code (DESIGN decision 9). A process killed by an exit signal while
 * its own code is on the stack is unwound with EXIT_UNWIND; whatever the code's try/catch does,
 * nothing it does afterwards has an effect. On the BEAM a process that receives an exit signal it
 * does not trap is terminated at once: no catch, no `after` clause of its own runs again
 * (Erlang reference manual, Processes, "Receiving Exit Signals": "the receiver process is
 * terminated"; erlang:exit/2 docs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXIT_UNWIND, ProcessExit, exit, isUnwind, self, setDefaultScheduler, spawn,
} from '../../../runtime/core/index.ts';
import { setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('the unwind marker', () => {
  it('is what the code of a process killed under its own feet catches, and isUnwind tells it from errors (erlang:exit/2 docs)', () => {
    const h = setup();
    const caught: unknown[] = [];
    spawn(() => {
      try {
        exit(self(), 'die');
      } catch (e) {
        caught.push(e);
      }
    });
    h.run();
    expect(caught).toEqual([EXIT_UNWIND]);
    expect(isUnwind(caught[0])).toBe(true);
    expect(isUnwind(new ProcessExit('die'))).toBe(false);
    expect(isUnwind({ unwind: true })).toBe(false);
    expect(isUnwind(new Error('unwind'))).toBe(false);
  });

  it('is a frozen value: code that catches it cannot change it for other processes', () => {
    expect(Object.isFrozen(EXIT_UNWIND)).toBe(true);
  });
});
