import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import type { Delta } from '../../../runtime/protocol/index.ts';
import { type Live, attach, startLive } from './harness.ts';

let live: Live | null = null;
afterEach(() => {
  live?.close();
  live = null;
});

describe('local attach', () => {
  it('subscribes, gets a snapshot and deltas, and a kill is followed by a restart', async () => {
    live = await startLive(3);
    const client = attach(live);
    await client.ready;
    expect(client.status).toBe('connected');
    const deltas: Delta[] = [];
    client.onMessage((m) => m.type === 'delta' && deltas.push(m));
    const subscribed = await client.subscribe({ rate: 50 });
    if (!subscribed.ok) throw new Error(subscribed.message);
    const snap = subscribed.value;
    const rows = new Map(snap.processes.map((r) => [r.pid, r]));
    const kids = await live.children();
    const w1 = kids.get('w1')!;
    expect(rows.get(w1)?.supervisor).toBe(live.sup);
    expect(rows.get(w1)?.childId).toBe('w1');
    expect(snap.supervisors.map((s) => s.pid)).toContain(live.sup);
    expect(await client.kill(w1)).toEqual({ ok: true, value: undefined });
    await vi.waitFor(() => {
      const removed = deltas.flatMap((d) => d.removed);
      expect(removed).toContain(w1);
      const added = deltas.flatMap((d) => d.processes).filter((r) => r.childId === 'w1' && r.pid !== w1);
      expect(added.length).toBeGreaterThan(0);
      expect(added.at(-1)!.restarts).toBe(1);
    });
    client.disconnect();
  });

  it('says noproc for a dead pid', async () => {
    live = await startLive(1);
    const client = attach(live);
    await expect(client.kill('<0.9999.0>' as Pid)).resolves.toMatchObject({ ok: false, code: 'noproc' });
  });
});
