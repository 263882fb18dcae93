/**
 * A selective receive looks at each message once while it waits. The BEAM keeps a receive's
 * position in the mailbox between wake-ups (erts beam_emu.c `loop_rec` / `wait`: "the message
 * queue save pointer"), so a process waiting for `{stop}` under a flood of other messages pays
 * for the new ones only; without it, each incoming batch rescans the whole mailbox and a
 * scheduler that accepts millions of messages stalls past its watchdog.
 */
import { describe, expect, it } from 'vitest';
import { TIMEOUT, receive, self, send } from '../../../runtime/core/index.ts';
import { type Proc, setup } from '../../utils.ts';

describe('selective receive under a flood', () => {
  it('checks each message against a waiting receive once, however many batches arrive (reference manual, "Receive")', () => {
    const h = setup();
    let looks = 0;
    let got: unknown = null;
    const pid = h.s.spawn(function* (): Proc {
      got = yield receive((m: any) => {
        looks++;
        return m?.stop === true;
      });
    });
    h.run();
    const batches = 50;
    const perBatch = 1_000;
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < perBatch; i++) h.s.send(pid, { b, i });
      h.run();
    }
    // Rescanning would look ~ batches² × perBatch / 2 = 1.25 M times.
    expect(looks).toBe(batches * perBatch);
    h.s.send(pid, { stop: true });
    h.run();
    expect(got).toEqual({ stop: true });
    expect(looks).toBe(batches * perBatch + 1);
  });

  it('looks again from the start at the next receive, after a match or a timeout', () => {
    const h = setup();
    const seen: unknown[] = [];
    const pid = h.s.spawn(function* (): Proc {
      // Waits for 'a' while 'x' and 'y' pile up, then times out waiting for 'b'...
      seen.push(yield receive((m) => m === 'a'));
      seen.push(yield receive((m) => m === 'b', { after: 10 }));
      // ... and a later receive still finds what the earlier ones skipped.
      seen.push(yield receive((m) => m === 'x'));
      seen.push(yield receive((m) => m === 'y'));
      send(self(), 'done');
    });
    h.run();
    for (let i = 0; i < 20; i++) h.s.send(pid, i % 2 === 0 ? 'x' : 'z');
    h.run();
    h.s.send(pid, 'y');
    h.s.send(pid, 'a');
    h.run();
    h.advance(10);
    expect(seen).toEqual(['a', TIMEOUT, 'x', 'y']);
  });
});
