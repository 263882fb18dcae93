import { afterEach, describe, expect, it } from 'vitest';
import { receive, setDefaultScheduler, spawn } from '../../../runtime/core/index.ts';
import { type Proc, dead, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('process termination', () => {
  it("returning from the function ends the process with 'normal' (Erlang reference manual, Processes, \"Process Termination\")", () => {
    const h = setup();
    const plain = spawn(() => 42);
    const gen = spawn(function* (): Proc {
      yield receive();
      return 'done';
    });
    h.run();
    expect(h.exits.get(plain)).toBe('normal');
    expect(dead(h, gen)).toBe(false);
    h.s.send(gen, 'go');
    h.run();
    expect(h.exits.get(gen)).toBe('normal');
  });

  it('a thrown JS error ends the process with {error: {name, message, stack}} (Erlang reference manual, Errors, "Exit Reasons")', () => {
    const h = setup();
    const pid = spawn(function* (): Proc {
      yield receive();
      throw new RangeError('out of range');
    });
    h.run();
    h.s.send(pid, 'go');
    h.run();
    const reason = h.exits.get(pid) as { error: { name: string; message: string; stack?: string } };
    expect(reason.error.name).toBe('RangeError');
    expect(reason.error.message).toBe('out of range');
    expect(reason.error.stack).toMatch(/out of range/);
  });

  it('a thrown non-Error value also becomes an {error} reason (Erlang reference manual, Errors, "Exit Reasons")', () => {
    const h = setup();
    const pid = spawn(() => {
      throw { oops: 1 };
    });
    h.run();
    expect(h.exits.get(pid)).toEqual({ error: { name: 'throw', message: '{"oops":1}' } });
  });

  it('an exited process keeps no state the scheduler can reach (Erlang reference manual, Processes, "Process Termination")', () => {
    const h = setup();
    const pid = spawn(function* (): Proc {
      yield receive({ never: true }, { after: 1000 });
    });
    h.run();
    h.s.send(pid, 'pending');
    expect(h.s.timers.size).toBe(1);
    h.exit(pid, 'kill');
    expect(dead(h, pid)).toBe(true);
    expect(h.s.timers.size).toBe(0);
    expect(h.s.stats().processes).toBe(0);
  });
});
