import { describe, expect, it } from 'vitest';
import type { AnyRuntimeMessage, InspectorEvent, Pid, ProcessRow } from '../../app/protocol.ts';
import { createReplay } from '../../app/replay/createReplay.ts';
import { partialFrame } from '../../app/replay/stepThrough.ts';
import { Recording } from '../../app/store/recording.ts';
import { RecordingError, exportRecording, openRecording } from '../../app/store/recordingFile.ts';
import { type RuntimeState, createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { delta, pid, row, smallTree, snapshot, supervisor } from './fixtures.ts';

// A worker_1 kill under one_for_one (OTP supervisor docs, "one_for_one": only the child that
// died is restarted): the death, then the restart with a new pid, in one v2 delta.
const death = { type: 'orchard.process.exited', at: 10_250, pid: pid(2), reason: 'killed', supervisor: pid(1), childId: 'worker_1' } as const;
const restart = { type: 'orchard.supervisor.restarted', at: 10_250, supervisor: pid(1), childId: 'worker_1', oldPid: pid(2), newPid: pid(9), reason: 'killed', count: 1 } as const;
const killAndRestart = (seq: number, at: number) =>
  delta(seq, at, {
    events: [death, { type: 'orchard.process.spawned', at: 10_250, pid: pid(9), parent: pid(1), initialCall: 'Pool.Worker' }, restart],
    processes: [row(9, { label: 'worker_1', behaviour: 'gen_server', supervisor: pid(1), parent: pid(1), childId: 'worker_1', restarts: 1, lastExitReason: 'killed' })],
    removed: [pid(2)],
    supervisors: [{ ...supervisor(1, [['worker_1', pid(9)], ['worker_2', pid(3)]]), restartsInWindow: 1 }],
  });
const busy = (seq: number, at: number, n: number) => delta(seq, at, { processes: [row(3, { reductions: 10 + n * 5, reductionsDelta: 5, mailbox: n })] });

function stream(): AnyRuntimeMessage[] {
  return [snapshot(1, 10_000, smallTree()), busy(2, 10_100, 1), busy(3, 10_200, 2), killAndRestart(4, 10_300), busy(5, 10_400, 3), busy(6, 10_500, 4)];
}

/** What a view sees of a state: rows by pid, supervisors' children, the departed and why. */
function seen(s: RuntimeState) {
  return {
    rows: [...s.processes.values()].sort((a, b) => a.pid.localeCompare(b.pid)),
    children: [...s.supervisors.values()].map((sup) => sup.children.map((c) => [c.id, c.pid, c.restarts])),
    departed: [...s.departed.values()].map((d) => [d.row.pid, d.reason]),
    events: s.events.length,
  };
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** A live store and its replay, fed `messages` one per 100 ms; returns what the live store showed after each. */
function record(messages: AnyRuntimeMessage[], options: { windowMs?: number; stepMs?: number } = {}) {
  let t = 50_000;
  const live = createRuntimeStore();
  const replay = createReplay(live, { now: () => t, ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}) });
  const after: Array<ReturnType<typeof seen>> = [];
  for (const m of messages) {
    t += options.stepMs ?? 100;
    live.getState().ingest(m);
    after.push(seen(live.getState()));
  }
  return { live, replay, after };
}

describe('the recording ring', () => {
  it('shows every recorded moment as the live store showed it then, from frozen envelopes (ingest never writes into one)', () => {
    const { replay, after } = record(stream().map(deepFreeze));
    const rec = replay.live;
    expect(rec.frameCount).toBe(6);
    // Backwards, forwards, and jumps: each frame's state is the live one after that frame.
    for (const n of [5, 0, 3, 2, 4, 1, 5, 3]) {
      replay.seek(n);
      expect(seen(replay.runtime.getState())).toEqual(after[n]);
    }
    // Before the kill: the old pid; after it, the new one with restarts 1.
    replay.seek(2);
    expect(replay.runtime.getState().processes.has(pid(2))).toBe(true);
    replay.seek(3);
    expect(replay.runtime.getState().processes.get(pid(9))?.restarts).toBe(1);
    expect(replay.runtime.getState().departed.get(pid(2))?.reason).toBe('killed');
  });

  it('restores from keyframes taken as it goes, and still matches the live store', () => {
    // 11 s between frames: a keyframe after every snapshot or delta.
    const { replay, after } = record(stream(), { stepMs: 11_000 });
    for (const n of [4, 1, 5, 0, 3]) {
      replay.seek(n);
      expect(seen(replay.runtime.getState())).toEqual(after[n]);
    }
  });

  it('keeps what the live store changes later out of its keyframes (departed reasons are copied, not shared)', () => {
    const live = createRuntimeStore();
    let t = 0;
    const replay = createReplay(live, { now: () => (t += 11_000) });
    live.getState().ingest(snapshot(1, 10_000, smallTree()));
    // A v1 runtime: the delta removes worker_1, its reason follows in an `events` message and is written into the departed entry.
    live.getState().ingest(delta(2, 10_100, { removed: [pid(2)] }));
    replay.seek(1);
    expect(replay.runtime.getState().departed.get(pid(2))?.reason).toBe(null);
    live.getState().ingest({ ...delta(3, 10_200), type: 'events', events: [death] } as unknown as AnyRuntimeMessage);
    expect(live.getState().departed.get(pid(2))?.reason).toBe('killed');
    replay.seek(0);
    replay.seek(1);
    expect(replay.runtime.getState().departed.get(pid(2))?.reason).toBe(null);
    replay.seek(2);
    expect(replay.runtime.getState().departed.get(pid(2))?.reason).toBe('killed');
  });

  it('drops what is older than its window, keeping a keyframe to start from', () => {
    const messages = [snapshot(1, 10_000, smallTree()), ...Array.from({ length: 40 }, (_, i) => busy(i + 2, 10_100 + i * 100, i))];
    const { replay, after } = record(messages, { windowMs: 20_000, stepMs: 1_000 });
    const rec = replay.live;
    expect(rec.firstN).toBeGreaterThan(0);
    expect(rec.endT - rec.startT).toBeLessThanOrEqual(20_000 + 10_000);
    replay.seek(rec.firstN);
    expect(seen(replay.runtime.getState())).toEqual(after[rec.firstN]);
  });

  it('marks the kill-and-restart frame, and jumps to it with the marker keys', () => {
    const { replay } = record(stream());
    const markers = replay.live.markers;
    expect(markers.map((m) => [m.n, m.kind])).toEqual([[3, 'restart']]);
    expect(markers[0]!.label).toContain('worker_1 <0.2.0> → <0.9.0> (killed)');
    replay.jump(-1);
    expect(replay.state.getState()).toMatchObject({ mode: 'replay', position: 3 });
    replay.goLive();
    expect(replay.state.getState().mode).toBe('live');
  });

  it('refuses commands while replaying, saying why', async () => {
    const { replay } = record(stream());
    replay.seek(1);
    const r = await replay.attach.getState().session.kill(pid(3));
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('commands go to the present only') });
    expect(replay.runtime.getState().connection.granted).toEqual(['observe']);
  });

  it('never hands the live store itself to the replay (its Maps, its actions)', () => {
    const { live, replay } = record(stream(), { stepMs: 11_000 });
    for (const n of [5, 2, 0]) {
      replay.seek(n);
      const r = replay.runtime.getState();
      expect(r.ingest).not.toBe(live.getState().ingest);
      expect(r.processes).not.toBe(live.getState().processes);
      expect(r.departed).not.toBe(live.getState().departed);
      expect(r.history).not.toBe(live.getState().history);
    }
  });
});

describe('stepping through a restart', () => {
  it('shows the death first (the child has no pid), then the new child', () => {
    const { replay } = record(stream());
    const marker = replay.live.markers[0]!;
    replay.stepInto(marker);
    const sup = () => replay.runtime.getState().supervisors.get(pid(1))!.children.find((c) => c.id === 'worker_1')!;
    expect(replay.state.getState().step?.texts).toEqual([
      'worker_1 <0.2.0> exits: killed (child worker_1 of Pool.Supervisor <0.1.0>)',
      'Pool.Supervisor <0.1.0> (one_for_one) restarts worker_1: <0.2.0> → <0.9.0>, restart 1',
    ]);
    expect(sup().pid).toBe(pid(2));
    replay.stepTo(1);
    expect(sup().pid).toBe(null);
    expect(replay.runtime.getState().processes.has(pid(2))).toBe(false);
    expect(replay.runtime.getState().processes.has(pid(9))).toBe(false);
    replay.stepTo(2);
    expect(sup().pid).toBe(pid(9));
    expect(replay.runtime.getState().processes.get(pid(9))?.restarts).toBe(1);
    replay.stepTo(0);
    expect(sup().pid).toBe(pid(2));
  });

  it('starts from the death when the supervisor restarts a tick later (one_for_all: the death, the siblings taken down, the new children)', () => {
    // OTP supervisor docs, "one_for_all": the other children are terminated, then all are restarted.
    const sibling = { type: 'orchard.process.exited', at: 10_350, pid: pid(3), reason: 'shutdown', supervisor: pid(1), childId: 'worker_2' } as const;
    const again = (child: string, old: number, fresh: number) => ({ type: 'orchard.supervisor.restarted', at: 10_350, supervisor: pid(1), childId: child, oldPid: pid(old), newPid: pid(fresh), reason: 'killed', count: 1 }) as const;
    const { replay } = record([
      snapshot(1, 10_000, smallTree(), { supervisors: [{ ...supervisor(1, [['worker_1', pid(2)], ['worker_2', pid(3)]]), strategy: 'one_for_all' }] }),
      delta(2, 10_250, { events: [death], removed: [pid(2)] }),
      delta(3, 10_350, {
        events: [sibling, again('worker_1', 2, 9), again('worker_2', 3, 10)],
        removed: [pid(3)],
        processes: [row(9, { supervisor: pid(1), childId: 'worker_1', restarts: 1 }), row(10, { supervisor: pid(1), childId: 'worker_2', restarts: 1 })],
        supervisors: [{ ...supervisor(1, [['worker_1', pid(9)], ['worker_2', pid(10)]]), strategy: 'one_for_all' }],
      }),
    ]);
    const marker = replay.live.markers.find((m) => m.kind === 'restart')!;
    replay.stepInto(marker);
    const step = () => replay.state.getState().step!;
    expect(step().from).toBe(1);
    expect(step().texts).toEqual([
      'worker_1 <0.2.0> exits: killed (child worker_1 of Pool.Supervisor <0.1.0>)',
      'Pool.Supervisor <0.1.0> (one_for_all) takes down worker_2 <0.3.0>: shutdown',
      'Pool.Supervisor <0.1.0> (one_for_all) restarts worker_1: <0.2.0> → <0.9.0>, restart 1',
      'Pool.Supervisor <0.1.0> (one_for_all) restarts worker_2: <0.3.0> → <0.10.0>, restart 1',
    ]);
    const alive = () => [...replay.runtime.getState().processes.keys()].sort();
    expect(alive()).toEqual([pid(1), pid(2), pid(3)]);
    replay.stepTo(1);
    expect(alive()).toEqual([pid(1), pid(3)]);
    replay.stepTo(2);
    expect(alive()).toEqual([pid(1)]);
    replay.stepTo(3);
    expect(alive()).toEqual([pid(1), pid(9)]);
    replay.stepTo(4);
    expect(alive()).toEqual([pid(1), pid(10), pid(9)]);
  });

  it('cuts a delta after its k-th fact and keeps only the rows those facts explain', () => {
    const live = createRuntimeStore();
    live.getState().ingest(snapshot(1, 10_000, smallTree()));
    const m = killAndRestart(2, 10_100);
    const facts = m.events!.filter((e: InspectorEvent) => e.type !== 'orchard.process.spawned');
    expect(partialFrame(m, facts, 0, live.getState())).toBe(null);
    expect(partialFrame(m, facts, 2, live.getState())).toBe(m);
    const first = partialFrame(m, facts, 1, live.getState()) as typeof m;
    expect(first.events).toEqual([death]);
    expect(first.removed).toEqual([pid(2)]);
    expect(first.processes).toEqual([]);
  });
});

describe('recording files', () => {
  const rows = (s: Partial<RuntimeState>): ProcessRow[] => [...s.processes!.values()].sort((a, b) => a.pid.localeCompare(b.pid));

  it('a file opens to the same frames and the same moments (rows written as their changes)', async () => {
    const { replay } = record(stream());
    const blob = await exportRecording(replay.live, { target: 'this page' });
    expect(new Uint8Array(await blob.slice(0, 2).arrayBuffer())).toEqual(new Uint8Array([0x1f, 0x8b]));
    const { header, recording } = await openRecording(blob);
    expect(header).toMatchObject({ format: 'orchard-recording', version: 1, protocol: 2, frames: 6, target: 'this page', omitted: [] });
    expect([...recording.frames()].map((f) => f.m)).toEqual([...replay.live.frames()].map((f) => f.m));
    for (let n = 0; n < 6; n++) expect(rows(recording.stateAfter(recording.firstN + n))).toEqual(rows(replay.live.stateAfter(n)));
    expect(recording.markers.map((m) => m.kind)).toEqual(['restart']);
  });

  it('keeps every frame and its arrival time across keyframes', async () => {
    const { replay } = record(stream(), { stepMs: 11_000 });
    const times = [...replay.live.frames()].map((f) => f.t);
    expect(times).toEqual([61_000, 72_000, 83_000, 94_000, 105_000, 116_000]);
    for (let n = 0; n < 6; n++) expect(replay.live.frame(n)?.t).toBe(times[n]);
    const { header, recording } = await openRecording(await exportRecording(replay.live));
    expect([header.from, header.to]).toEqual([61_000, 116_000]);
    expect([...recording.frames()].map((f) => f.t)).toEqual(times);
    expect(recording.frameAt(83_000)).toBe(recording.firstN + 2);
  });

  it('exports a span: the state at its start, then its frames', async () => {
    const { replay } = record(stream());
    const { recording } = await openRecording(await exportRecording(replay.live, { from: 3, to: 4 }));
    expect(recording.frameCount).toBe(2);
    expect(rows(recording.stateAfter(recording.firstN - 1))).toEqual(rows(replay.live.stateAfter(2)));
    expect(rows(recording.stateAfter(recording.lastN))).toEqual(rows(replay.live.stateAfter(4)));
  });

  it('leaves mailbox contents and state out when asked', async () => {
    const live = createRuntimeStore();
    const replay = createReplay(live);
    live.getState().ingest(snapshot(1, 10_000, smallTree()));
    const detail = { row: row(3), monitoredBy: [], ancestors: [], mailbox: [{ index: 0, arrivedAt: null, value: { preview: '{:card, "4111 1111"}', truncated: false } }], mailboxTotal: 1, state: { preview: '%{secret: 42}', truncated: false }, events: [] };
    live.getState().ingest({ protocol: 'orchard-inspector', version: 2, type: 'process_detail', pid: pid(3), detail } as AnyRuntimeMessage);
    const kept = await (await openRecording(await exportRecording(replay.live))).recording;
    expect(JSON.stringify(kept.stateAfter(kept.lastN).details!.get(pid(3)))).toContain('4111 1111');
    const { header, recording } = await openRecording(await exportRecording(replay.live, { omitContents: true }));
    expect(header.omitted).toEqual(['contents']);
    const text = JSON.stringify(recording.stateAfter(recording.lastN).details!.get(pid(3)));
    expect(text).not.toContain('4111');
    expect(text).not.toContain('secret');
    expect(text).toContain('left out of this recording');
  });

  it('says plainly why a file does not open: not gzip, not a recording, another version', async () => {
    const gz = async (text: string) => new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
    await expect(openRecording(new Blob(['hello, world']))).rejects.toThrow(/not an Orchard recording: a recording is a gzip file, and this one starts with "hello, world"/);
    await expect(openRecording(await gz('{"some":"json"}\n'))).rejects.toThrow(/not an Orchard recording/);
    await expect(openRecording(await gz('{"format":"orchard-recording","version":7}\n'))).rejects.toThrow(/format version 7; this Observer reads version 1\. It was written by a newer Observer/);
    await expect(openRecording(await gz('{"format":"orchard-recording","version":0}\n'))).rejects.toThrow(/format version 0; .*nothing older can be read/);
    await expect(openRecording(await gz('{"format":"orchard-recording","version":1,"protocol":2}\n{"t":1,"state":'))).rejects.toThrow(RecordingError);
  });

  it('opens a recording of a protocol v1 runtime (facts in an events message after the delta)', async () => {
    const v1 = [snapshot(1, 10_000, smallTree()), { ...delta(2, 10_100, { removed: [pid(2)] }), version: 1 }, { protocol: 'orchard-inspector', version: 1, type: 'events', events: [death, restart] }];
    const { replay } = record(v1 as AnyRuntimeMessage[]);
    const { header, recording } = await openRecording(await exportRecording(replay.live, { protocol: 1 }));
    expect(header.protocol).toBe(1);
    expect(recording.stateAfter(recording.lastN).departed!.get(pid(2) as Pid)?.reason).toBe('killed');
    expect(recording.markers.map((m) => m.kind)).toEqual(['restart']);
  });

  it('an empty ring has nothing to export', async () => {
    await expect(exportRecording(new Recording())).rejects.toThrow(/nothing recorded/);
  });
});

describe('a scrubbed moment, as the views take it', () => {
  /**
   * A pool of 20 workers under <0.1.0>: every tick a few of them run (new reductions), now and
   * then one's mailbox fills, a row goes quiet, or a worker is killed and restarted with a new
   * pid. Ticks 3 s apart, so keyframes come every few frames and a seek may restore one.
   */
  function busyPool(ticks: number) {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const ids = Array.from({ length: 20 }, (_, i) => i + 2);
    const worker = (n: number, patch: Partial<ProcessRow> = {}) => row(n, { label: `w${n}`, supervisor: pid(1), parent: pid(1), childId: `w${n}`, ...patch });
    const rows = new Map(ids.map((n) => [n, worker(n)]));
    const messages: AnyRuntimeMessage[] = [snapshot(1, 10_000, [row(1, { behaviour: 'supervisor' }), ...rows.values()])];
    let next = 100;
    let ran: number[] = [];
    for (let i = 0; i < ticks; i++) {
      const changed: ProcessRow[] = [];
      const quiet = ran.filter(() => rand(2) === 0);
      const removed: Pid[] = [];
      ran = [];
      for (let k = 0; k < 4; k++) {
        const n = ids[rand(ids.length)]!;
        const r = rows.get(n)!;
        const updated = { ...r, reductions: r.reductions + 5, reductionsDelta: 5, mailbox: rand(5) === 0 ? 3 : 0 };
        rows.set(n, updated);
        changed.push(updated);
        ran.push(n);
      }
      if (i % 7 === 3) {
        const at = rand(ids.length);
        const old = ids[at]!;
        ids[at] = next;
        rows.delete(old);
        rows.set(next, worker(next, { restarts: 1 }));
        changed.push(rows.get(next)!);
        removed.push(pid(old));
        next++;
      }
      messages.push(delta(i + 2, 10_000 + (i + 1) * 100, { processes: changed, removed, quiet: quiet.filter((n) => rows.has(n)).map((n) => pid(n)) }));
    }
    return messages;
  }

  const content = (s: RuntimeState) => new Map([...s.processes].map(([p, r]) => [p, JSON.stringify(r)]));

  it('names the rows that moved since the moment shown before, one revision on, whichever way and however far it goes', () => {
    const { replay } = record(busyPool(60), { stepMs: 3_000 });
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    replay.seek(30);
    let followed = 0;
    for (let i = 0; i < 80; i++) {
      const before = replay.runtime.getState();
      const was = content(before);
      // Small steps both ways (a drag), and now and then a jump across keyframes.
      const n = i % 10 === 9 ? rand(61) : Math.max(0, Math.min(60, before.seq - 1 + rand(9) - 4));
      replay.seek(n);
      const s = replay.runtime.getState();
      const now = content(s);
      if (s.lastChange.full) continue;
      followed++;
      expect(s.revision).toBe(before.revision + 1);
      const { added, updated, removed } = s.lastChange;
      expect(new Set(added)).toEqual(new Set([...now.keys()].filter((p) => !was.has(p))));
      expect(new Set(removed.map((r) => r.pid))).toEqual(new Set([...was.keys()].filter((p) => !now.has(p))));
      // Every row that reads differently is named (a row named but equal is harmless: a re-render).
      for (const [p, text] of now) if (was.has(p) && was.get(p) !== text) expect(updated).toContain(p);
      expect(s.membership === before.membership).toBe(added.length === 0 && removed.length === 0);
    }
    // Most moves are followed as changes; only a snapshot among the frames, or too many rows, says "everything".
    expect(followed).toBeGreaterThan(60);
  });

  it('gives the table the order a fresh sort gives, moment after moment (the pid order follows the changes)', async () => {
    const { pidOrder } = await import('../../app/store/pidOrder.ts');
    const { replay } = record(busyPool(60), { stepMs: 3_000 });
    replay.seek(60);
    const order = pidOrder(replay.runtime);
    const byPid = (s: RuntimeState) => [...s.processes.keys()].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    for (const n of [59, 57, 50, 51, 52, 20, 24, 60, 3, 0, 45]) {
      replay.seek(n);
      expect(order.pids()).toEqual(byPid(replay.runtime.getState()));
    }
  });

  it("reads a recorded moment's reductions per second off the tick before it, whichever way the scrub came", async () => {
    const { processRates } = await import('../../app/store/rates.ts');
    const { replay } = record(stream());
    const rates = processRates(replay.runtime);
    // busy(): <0.3.0> ran 5 reductions in each 100 ms tick: 50 a second, seen from either side.
    for (const n of [5, 1, 4, 2]) {
      replay.seek(n);
      expect(rates.of(pid(3))).toBe(50);
      expect([...rates.growing()]).toContain(pid(3));
    }
    // The snapshot's moment: no tick before it, and its rows say they have not run.
    replay.seek(0);
    expect(rates.of(pid(3))).toBe(0);
  });
});
