import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TIMEOUT,
  exit,
  link,
  receive,
  receiveLoop,
  self,
  send,
  setDefaultScheduler,
  spawn,
  type Pid,
} from '../../../runtime/core/index.ts';
import { type Proc, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('per-pair ordering (property)', () => {
  it('each receiver gets each sender\'s messages in send order, none lost or duplicated (Erlang reference manual, Processes, "Signal Delivery")', () => {
    const command = fc.record({
      sender: fc.nat(),
      receiver: fc.nat(),
      count: fc.integer({ min: 1, max: 5 }),
      // Run the scheduler after this command, or let more commands pile up first.
      run: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(command, { maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        (nSenders, nReceivers, budget, commands, choices) => {
          const h = setup({ budget });
          const senders: Pid[] = [];
          const logs: Array<Array<{ from: Pid; seq: number }>> = [];
          const receivers: Pid[] = [];
          for (let r = 0; r < nReceivers; r++) {
            const log: Array<{ from: Pid; seq: number }> = [];
            logs.push(log);
            // Receivers mix plain receives with selective ones on a chosen sender, so that
            // messages are taken out of arrival order across senders.
            receivers.push(
              spawn(function* (): Proc {
                for (let k = r; ; k++) {
                  const c = choices[k % choices.length]! % (nSenders + 1);
                  let m = c === nSenders ? TIMEOUT : yield receive({ from: senders[c] }, { after: 0 });
                  if (m === TIMEOUT) m = yield receive();
                  log.push(m);
                }
              }),
            );
          }
          for (let i = 0; i < nSenders; i++) {
            senders.push(
              spawn(function* (): Proc {
                let seq = 0;
                for (;;) {
                  const cmd = (yield receive()) as { to: number; count: number };
                  for (let j = 0; j < cmd.count; j++) send(receivers[cmd.to]!, { from: self(), seq: seq++ });
                }
              }),
            );
          }
          h.run();

          const expected = senders.map(() => receivers.map(() => [] as number[]));
          const next = senders.map(() => 0);
          for (const c of commands) {
            const i = c.sender % nSenders;
            const to = c.receiver % nReceivers;
            for (let j = 0; j < c.count; j++) expected[i]![to]!.push(next[i]!++);
            h.s.send(senders[i]!, { to, count: c.count });
            if (c.run) h.run();
          }
          h.run();

          for (let r = 0; r < nReceivers; r++) {
            for (let i = 0; i < nSenders; i++) {
              const got = logs[r]!.filter((m) => m.from === senders[i]).map((m) => m.seq);
              expect(got).toEqual(expected[i]![r]);
            }
            expect(logs[r]!.length).toBe(expected.reduce((n, perReceiver) => n + perReceiver[r]!.length, 0));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

// --- Reference model for exit-signal propagation ---

const HOST = -1;

interface Outcome {
  /** Index → exit reason, for every process that died. */
  dead: Map<number, unknown>;
  /** Index → the EXIT messages it received, as { from: index or HOST, reason }. */
  exits: Array<Array<{ from: number; reason: unknown }>>;
  /** Index → the indices it is still linked to. */
  links: Array<Set<number>>;
}

/**
 * Erlang's rules, written as plainly as possible (reference manual, "Receiving Exit Signals"):
 * a breadth-first walk over links from the first death. An untrappable kill (exit/2 with
 * 'kill') ends the receiver with 'killed'; a trapping receiver gets a message; a non-trapping
 * one ignores 'normal' and dies with any other reason, which it then passes on.
 */
function model(n: number, edges: Array<[number, number]>, traps: boolean[], victim: number, how: 'exit/1' | 'exit/2', reason: unknown): Outcome {
  const links = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    if (a !== b) {
      links[a]!.add(b);
      links[b]!.add(a);
    }
  }
  const dead = new Map<number, unknown>();
  const exits = Array.from({ length: n }, () => [] as Array<{ from: number; reason: unknown }>);
  const queue: number[] = [];
  const die = (i: number, r: unknown) => {
    dead.set(i, r);
    queue.push(i);
  };
  const signal = (to: number, from: number, r: unknown, viaLink: boolean) => {
    if (dead.has(to)) return;
    if (!viaLink && r === 'kill') return die(to, 'killed');
    if (traps[to]) return void exits[to]!.push({ from, reason: r });
    if (r === 'normal') return;
    die(to, r);
  };
  if (how === 'exit/2') signal(victim, HOST, reason, false);
  else die(victim, reason);
  for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
    for (const j of links[i]!) {
      links[j]!.delete(i);
      signal(j, i, dead.get(i), true);
    }
    links[i]!.clear();
  }
  return { dead, exits, links };
}

describe('exit-signal propagation (property)', () => {
  it('matches a reference model over random link graphs, trap_exit flags and a random exit (Erlang reference manual, Processes, "Receiving Exit Signals")', () => {
    const N = 8;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: N }),
        fc.array(fc.tuple(fc.nat(N - 1), fc.nat(N - 1)), { maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: N, maxLength: N }),
        fc.nat(N - 1),
        fc.constantFrom<'exit/1' | 'exit/2'>('exit/1', 'exit/2'),
        fc.constantFrom<unknown>('kill', 'normal', 'shutdown', 'killed', { custom: 'boom' }),
        (n, rawEdges, traps, rawVictim, how, reason) => {
          const edges = rawEdges.map(([a, b]) => [a % n, b % n] as [number, number]);
          const victim = rawVictim % n;
          const h = setup();
          const received: unknown[][] = [];
          const pids: Pid[] = [];
          for (let i = 0; i < n; i++) {
            const log: unknown[] = [];
            received.push(log);
            pids.push(
              spawn(
                () =>
                  receiveLoop((m) => {
                    const c = m as { cmd?: string; to?: Pid; reason?: unknown };
                    if (c.cmd === 'link') link(c.to!);
                    else if (c.cmd === 'exit') exit(c.reason);
                    else log.push(m);
                  }),
                [],
                { trapExit: traps[i] },
              ),
            );
          }
          for (const [a, b] of edges) if (a !== b) h.s.send(pids[a]!, { cmd: 'link', to: pids[b] });
          h.run();

          if (how === 'exit/2') h.exit(pids[victim]!, reason);
          else h.s.send(pids[victim]!, { cmd: 'exit', reason });
          h.run();

          const want = model(n, edges, traps, victim, how, reason);
          const indexOf = (pid: Pid) => (pid === h.s.hostPid ? HOST : pids.indexOf(pid));
          const key = (e: { from: number; reason: unknown }) => JSON.stringify([e.from, e.reason]);
          for (let i = 0; i < n; i++) {
            const info = h.s.info(pids[i]!);
            expect(info === undefined, `process ${i} dead`).toBe(want.dead.has(i));
            if (want.dead.has(i)) expect(h.exits.get(pids[i]!), `reason of ${i}`).toEqual(want.dead.get(i));
            else expect(info!.links.map(indexOf).sort(), `links of ${i}`).toEqual([...want.links[i]!].sort());
            const got = (received[i] as Array<{ type: string; from: Pid; reason: unknown }>)
              .map((m) => ({ from: indexOf(m.from), reason: m.reason }))
              .map(key)
              .sort();
            expect(got, `EXIT messages of ${i}`).toEqual(want.exits[i]!.map(key).sort());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
