/**
 * Property: random sends among processes on several schedulers keep per-pair order, and no
 * message to a live process is lost or duplicated (Erlang reference manual, Processes,
 * "Signal Delivery": signals between a pair arrive in the order sent).
 *
 * Each run spreads six `propPeer` processes over three schedulers and gives them a random
 * program: rounds of `[to, count]` sends, each round one handler turn, some payloads large
 * enough to make batches big. Every process then says `done` to every other one; per-pair
 * order puts that behind all its messages, so a receiver that has every `done` has everything.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pid, TIMEOUT } from '../../../runtime/core/index.ts';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);
const PEERS = 6;


type Send = [to: number, count: number, pad: unknown];

const program = fc.array(
  fc.record({
    from: fc.integer({ min: 0, max: PEERS - 1 }),
    sends: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: PEERS - 1 }),
        fc.integer({ min: 1, max: 400 }),
        // A large string makes big batches; a Date does not encode for the rings, so its batch
        // takes the port while the others take the ring, and the two must stay in order.
        fc.oneof(fc.constant<unknown>(''), fc.constant<unknown>('x'.repeat(2_000)), fc.constant<unknown>(new Date(0))),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  { minLength: 1, maxLength: 30 },
);

let run = 0;

/** As in a cross-origin isolated page (shared memory) and as in a plain one. */
const NAMES = { shared: 'shared', batched: 'replicated' } as const;

for (const transport of ['shared', 'batched'] as const) {
  describe(`per-pair order across schedulers, ${transport} transport`, () => {
    let node: OrchardNode;

    beforeAll(async () => {
      // A small flow-control window, so that senders are held back and resumed many times.
      node = await startNode({ schedulers: 3, workerEntry: ENTRY, transport, names: NAMES[transport], window: 500, watchdog: { intervalMs: 100, timeoutMs: 5_000 } });
    });

    afterAll(() => node?.stop());

    it('holds for random sends, with no loss and no duplicates (property)', async () => {
      await fc.assert(
        fc.asyncProperty(program, async (rounds) => {
          run++;
          const pids: Pid[] = [];
          for (let i = 0; i < PEERS; i++) pids.push(node.spawn('propPeer', [i, node.pid], { scheduler: i % 3 }));
          for (const p of pids) node.send(p, { peers: pids });
          const expected = Array.from({ length: PEERS }, () => new Array<number>(PEERS).fill(0));
          for (const r of rounds) {
            node.send(pids[r.from]!, { sends: r.sends satisfies Send[] });
            for (const [to, count] of r.sends) expected[r.from]![to]! += count;
          }
          for (const p of pids) node.send(p, { finish: run });
          for (let i = 0; i < PEERS; i++) {
            const report = (await node.receive((m: any) => m?.report === i, { after: 10_000 })) as { received: Array<[number, number[]]> } | typeof TIMEOUT;
            if (report === TIMEOUT) throw new Error(`process ${i} never heard 'done' from every peer`);
            const got = new Map(report.received);
            for (let from = 0; from < PEERS; from++) {
              const seqs = got.get(from) ?? [];
              const want = expected[from]![i]!;
              expect(seqs.length, `messages from ${from} to ${i}`).toBe(want);
              for (let k = 0; k < seqs.length; k++) {
                if (seqs[k] !== k) throw new Error(`from ${from} to ${i}: message ${k} had seq ${seqs[k]} (out of order, lost or duplicated)`);
              }
            }
          }
          for (const p of pids) node.exit(p, 'kill');
        }),
        { numRuns: 25 },
      );
    });

    it('held senders back with the small window while it ran (flow control was exercised)', async () => {
      await new Promise((r) => setTimeout(r, 250));
      const held = node.counters().reduce((n, c) => n + c.held, 0);
      expect(held).toBeGreaterThan(0);
    });
  });
}
