/**
 * Throws thousands of random and malformed messages at the endpoint (DESIGN decision 8: "validates
 * every incoming message, answers bad input with an error message and carries on"). Each gets
 * the documented answer, the runtime keeps running, and without `control` no process is touched.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import { type ErrorCode, LIMITS, PROTOCOL, type Wall } from '../../../runtime/protocol/index.ts';
import { type Live, startLive } from './harness.ts';

let live: Live | null = null;
afterEach(() => {
  live?.close();
  live = null;
});

const CODES: readonly ErrorCode[] = [
  'bad_message', 'unknown_type', 'version_mismatch', 'not_permitted', 'origin_not_allowed', 'not_connected', 'noproc', 'not_found',
  'bad_argument', 'not_cloneable', 'too_large', 'rate_limited', 'internal',
];
const COMMANDS = ['kill', 'exit', 'send', 'trace', 'startApplication', 'stopApplication'] as const;
const OBSERVE = ['ping', 'subscribe', 'unsubscribe', 'resync', 'inspect', 'unwatch', 'tables', 'table'] as const;

/** Time moves 10 ms per reading, so the rate limit never trips; timers never fire (no ticks). */
function fuzzClock() {
  let t = 0;
  return { now: () => (t += 10), setTimeout: () => null, clearTimeout: () => {} };
}

/** A synchronous wire into the endpoint: deliver a message, collect what comes back. */
function wire(l: Live) {
  let deliver: (m: unknown) => void = () => {};
  const out: Array<Record<string, unknown>> = [];
  const wall: Wall = {
    listen(fn) {
      deliver = (m) => fn(m, {});
      return () => {};
    },
    send(m) {
      for (const x of Array.isArray(m) ? m : [m]) out.push(structuredClone(x) as Record<string, unknown>);
    },
  };
  const connection = l.exposed.endpoint.connect(wall, 'local')!;
  return {
    connection,
    out,
    async send(m: unknown): Promise<Array<Record<string, unknown>>> {
      const before = out.length;
      deliver(m);
      // The bridge flushes at the end of the microtask; async sources answer a little later.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return out.slice(before);
    },
  };
}

const pidArb = fc.oneof(
  fc.nat({ max: 400 }).map((n) => `<0.${n}.0>`),
  fc.string({ maxLength: 12 }),
);
const junkField = fc.oneof(fc.anything(), pidArb, fc.constant(undefined));

/** A message of a known type with random, often wrong, fields. */
const knownType = (types: readonly string[]) =>
  fc.record({
    type: fc.constantFrom(...types),
    id: fc.nat({ max: 1_000_000 }),
    pid: junkField,
    pids: fc.oneof(fc.array(pidArb, { maxLength: 3 }), junkField),
    to: junkField,
    message: junkField,
    reason: junkField,
    name: fc.oneof(fc.constantFrom('Counter', 'Pooly', ''), junkField),
    on: fc.oneof(fc.boolean(), junkField),
    rate: fc.oneof(fc.double(), junkField),
    table: junkField,
    processes: junkField,
  }).map((r) => {
    const m: Record<string, unknown> = { protocol: PROTOCOL, version: 1 };
    for (const [k, v] of Object.entries(r)) if (v !== undefined) m[k] = v;
    return m;
  });

const unknownType = fc.record({ type: fc.string({ maxLength: 20 }).filter((t) => !['hello', 'goodbye', ...COMMANDS, ...OBSERVE].includes(t)), id: fc.nat() })
  .map((r) => ({ protocol: PROTOCOL, version: 1, ...r }));
const wrongVersion = fc.record({ type: fc.constantFrom(...OBSERVE, ...COMMANDS), id: fc.nat(), version: fc.integer().filter((v) => v !== 1) })
  .map((r) => ({ protocol: PROTOCOL, ...r }));

function snapshotOfProcesses(l: Live): string {
  return JSON.stringify([...l.s.procs.values()].map((p) => [p.pid, p.reductions, p.mailboxLength, p.status]));
}

describe('fuzz', () => {
  it('answers every message of an observe-only inspector as documented, and touches no process', async () => {
    live = await startLive(5, { capabilities: ['observe'], clock: fuzzClock() });
    const w = wire(live);
    expect(await w.send({ protocol: PROTOCOL, version: 1, type: 'hello', id: 0, capabilities: ['observe', 'control'], client: { name: 'fuzz', version: '0' } })).toMatchObject([
      { type: 'welcome', granted: ['observe'] },
    ]);
    const before = snapshotOfProcesses(live);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: knownType(COMMANDS).map((m) => ({ m, kind: 'command' as const })), weight: 4 },
          { arbitrary: knownType(OBSERVE).map((m) => ({ m, kind: 'observe' as const })), weight: 3 },
          { arbitrary: unknownType.map((m) => ({ m, kind: 'unknown' as const })), weight: 1 },
          { arbitrary: wrongVersion.map((m) => ({ m, kind: 'version' as const })), weight: 1 },
          { arbitrary: fc.anything().map((m) => ({ m, kind: 'junk' as const })), weight: 2 },
        ),
        async ({ m, kind }) => {
          sent++;
          const replies = await w.send(m);
          for (const r of replies) {
            expect(r.protocol).toBe(PROTOCOL);
            expect(r.type).not.toBe('goodbye');
            if (r.type === 'error') expect(CODES).toContain(r.code);
          }
          const id = (m as { id?: unknown } | null)?.id;
          const mine = typeof id === 'number' ? replies.filter((r) => r.id === id) : replies;
          switch (kind) {
            case 'command':
              // Either malformed (bad_message / bad_argument) or refused: never carried out.
              expect(mine).toHaveLength(1);
              expect(mine[0]).toMatchObject({ type: 'error' });
              expect(['bad_message', 'bad_argument', 'not_permitted']).toContain(mine[0]!.code);
              break;
            case 'observe':
              expect(mine).toHaveLength(1);
              if (mine[0]!.type === 'error') expect(['bad_message', 'bad_argument', 'not_found', 'noproc']).toContain(mine[0]!.code);
              else expect(['pong', 'snapshot', 'ok', 'process_detail', 'tables']).toContain(mine[0]!.type);
              break;
            case 'unknown':
              expect(mine).toMatchObject([{ type: 'error', code: 'unknown_type', id }]);
              break;
            case 'version':
              expect(mine).toMatchObject([{ type: 'error', code: 'version_mismatch', id }]);
              break;
            case 'junk':
              // Anything at all: at most one answer per envelope, and only errors for non-envelopes.
              if (typeof m !== 'object' || m === null || (m as { protocol?: unknown }).protocol !== PROTOCOL) {
                for (const r of replies) expect(r.type).toBe('error');
              }
              break;
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(sent).toBeGreaterThanOrEqual(3000);
    expect(w.connection.state).toBe('open');
    w.connection.close(null, false);
    // No process was touched: same pids, same reductions, same mailboxes.
    expect(snapshotOfProcesses(live)).toBe(before);
  });

  it('keeps the runtime running under random commands with control', async () => {
    live = await startLive(5, { capabilities: ['observe', 'control'], clock: fuzzClock() });
    const w = wire(live);
    await w.send({ protocol: PROTOCOL, version: 1, type: 'hello', id: 0, capabilities: ['observe', 'control'], client: { name: 'fuzz', version: '0' } });
    await fc.assert(
      fc.asyncProperty(fc.oneof(knownType(COMMANDS), knownType(OBSERVE), fc.anything()), async (m) => {
        const replies = await w.send(m);
        for (const r of replies) if (r.type === 'error') expect(CODES).toContain(r.code);
      }),
      { numRuns: 1500 },
    );
    // Whatever was killed, the supervisor restarted (intensity 100) or was restarted around: the scheduler still runs work.
    const done = await new Promise<boolean>((resolve) => {
      live!.s.spawn(() => resolve(true));
      setTimeout(() => resolve(false), 2000);
    });
    expect(done).toBe(true);
  });

  it('refuses batches past the limit and hands each element of a batch to the same checks', async () => {
    live = await startLive(1, { clock: fuzzClock() });
    const w = wire(live);
    await w.send({ protocol: PROTOCOL, version: 1, type: 'hello', id: 0, capabilities: ['observe'], client: { name: 'fuzz', version: '0' } });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(knownType(OBSERVE), fc.anything()), { maxLength: LIMITS.maxBatch + 20 }), async (batch) => {
        const replies = await w.send(batch);
        if (batch.length > LIMITS.maxBatch) expect(replies).toMatchObject([{ type: 'error', code: 'too_large' }]);
        else expect(replies.length).toBeLessThanOrEqual(batch.length);
      }),
      { numRuns: 200 },
    );
  });

  it('never lets a pid typed by an inspector reach a process that is not its target', async () => {
    live = await startLive(3, { capabilities: ['observe', 'control'], clock: fuzzClock() });
    const kids = await live.children();
    const w = wire(live);
    await w.send({ protocol: PROTOCOL, version: 1, type: 'hello', id: 0, capabilities: ['observe', 'control'], client: { name: 'fuzz', version: '0' } });
    const others = [...kids.values()].filter((p) => p !== kids.get('w0'));
    const before = others.map((p) => live!.s.procs.get(p)!.reductions);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 16 }), async (text) => {
        if (others.includes(text as Pid)) return;
        await w.send({ protocol: PROTOCOL, version: 1, type: 'send', id: 1, to: text, message: 'x' });
      }),
      { numRuns: 500 },
    );
    expect(others.map((p) => live!.s.procs.get(p)!.reductions)).toEqual(before);
  });
});
