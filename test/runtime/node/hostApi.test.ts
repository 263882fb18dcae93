/**
 * The host's API checks its arguments as the BIFs do in a process (erlang docs: send/2 and
 * exit/2 fail with `badarg` when Dest is not a pid, port or registered name; whereis/1 with
 * `badarg` when its argument is not an atom; spawn/3 of a module that does not exist fails with
 * `undef`, here at the call as `spawn` of an undefined module does in a process). Misuse throws
 * an OrchardError whose `code` is OTP's error atom (STYLE G7), and the node carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pid, TIMEOUT } from '../../../runtime/core/index.ts';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';

const ENTRY = new URL('./fixtures/worker.ts', import.meta.url);
let node: OrchardNode;

beforeAll(async () => {
  node = await startNode({ schedulers: 2, workerEntry: ENTRY });
});
afterAll(() => node?.stop());

function thrownBy(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('the node as a host', () => {
  it.each([
    ['send to a malformed pid', () => node.send('<0.x.0>' as Pid, 'm')],
    ['send to a truncated pid', () => node.send('<junk' as Pid, 'm')],
    ['send to a number', () => node.send(42 as unknown as Pid, 'm')],
    ['exit of a truncated pid', () => node.exit('<zz' as Pid, 'kill')],
    ['whereis of a number', () => node.whereis(42 as unknown as string)],
  ])('%s is badarg', (_what, f) => {
    const e = thrownBy(f);
    expect(e.code).toBe('badarg');
    expect(e.message).toMatch(/\bbadarg\b/);
  });

  it("spawn of a module no worker defines is undef, and names the module", () => {
    const e = thrownBy(() => node.spawn('no_such_module'));
    expect(e.code).toBe('undef');
    expect(e.message).toMatch(/\bno_such_module\b/);
  });

  it('keeps working after each refusal', async () => {
    const echo = node.spawn('echo', [], { scheduler: 1 });
    node.send(echo, { ping: 'ok', replyTo: node.pid });
    expect(await node.receive({ pong: 'ok' }, { after: 5_000 })).not.toBe(TIMEOUT);
    expect(node.whereis('nobody')).toBeUndefined();
  });
});
