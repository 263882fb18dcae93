/**
 * The worker's answers to the node's inspector calls (InspectCalls): each call runs the
 * scheduler's own inspector source, views are addressed by the node's ids, and a call this
 * worker does not know is refused with an error rather than crashing it.
 */
import { describe, expect, it } from 'vitest';
import { receiveLoop } from '../../../runtime/core/index.ts';
import type { SourceSnapshot } from '../../../runtime/inspector/index.ts';
import type { InspectRequest } from '../../../runtime/transport/inspectCalls.ts';
import { InspectionHost } from '../../../runtime/worker/InspectionHost.ts';
import { setup } from '../../utils.ts';

describe('InspectionHost', () => {
  it('answers source calls and view calls by the view id the node gave', async () => {
    const h = setup();
    const pid = h.s.spawn(() => receiveLoop(() => {}), [], { name: 'answerer' });
    h.run();
    const host = new InspectionHost(h.s, []);
    expect(await host.handle({ op: 'openView', args: [7, { limit: 10, sortBy: 'reductions', include: [] }] })).toBe(null);
    const snap = (await host.handle({ op: 'snapshot', args: [7] })) as SourceSnapshot;
    expect(snap.processes.map((p) => p.pid)).toContain(pid);
    expect(await host.handle({ op: 'send', args: ['answerer', 'hi'] })).toBe('ok');
    expect(await host.handle({ op: 'exit', args: [pid, 'kill'] })).toBe('ok');
    h.run();
    expect(await host.handle({ op: 'detail', args: [pid, 10] })).toBe(null);
    expect(await host.handle({ op: 'closeView', args: [7] })).toBe(null);
    // @ts-expect-error the op and its arguments are checked together (detail takes a pid and a limit)
    void host.handle({ op: 'detail', args: [7] }).catch(() => {});
    await expect(host.handle({ op: 'delta', args: [7] })).rejects.toThrow(/\bno open view 7\b/);
  });

  it('refuses a call it does not know, even one named like an Object method', async () => {
    const h = setup();
    const host = new InspectionHost(h.s, []);
    for (const op of ['format_disk', 'constructor', 'toString']) {
      await expect(host.handle({ op, args: [] } as unknown as InspectRequest)).rejects.toThrow(/\bunknown inspector call\b/);
    }
  });
});
