import { afterEach, describe, expect, it } from 'vitest';
import * as GenServer from '../../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../../runtime/behaviours/supervisor.ts';
import * as Table from '../../../runtime/behaviours/table.ts';
import { type Pid, link, receive, setDefaultScheduler, spawn } from '../../../runtime/core/index.ts';
import { type InspectorSource, type SourceDelta, type SourceSnapshot, createSchedulerSource } from '../../../runtime/inspector/index.ts';
import { type Harness, type Proc, collector, setup } from '../../utils.ts';
import { exitProcess } from '../../../runtime/core/exit.ts';

afterEach(() => setDefaultScheduler(null));

GenServer.define('SourceTest.Worker', {
  init: (n: number) => ['ok', { n }],
  handleCast: (_m: unknown, s: { n: number }) => ['noreply', { n: s.n + 1 }],
  formatStatus: (s) => s,
});

function* idle(): Proc {
  yield receive(() => false);
}

function view(h: Harness, limit = 2000, sortBy: 'reductions' | 'mailbox' | 'pid' = 'reductions', include: Pid[] = []) {
  const source = createSchedulerSource(h.s, { epoch: 0 });
  const v = source.openView({ limit, sortBy, include });
  return { source, v, snapshot: () => v.snapshot() as SourceSnapshot, delta: () => v.delta() as SourceDelta };
}

function startSupervisor(h: Harness, n: number): Pid {
  let sup: Pid | null = null;
  h.s.spawn(function* starter(): Proc {
    const r = yield* Supervisor.startLink(
      Array.from({ length: n }, (_, i) => ({ id: `w${i}`, start: ['SourceTest.Worker', [i]] as [string, unknown[]] })),
      { intensity: 10, period: 5 },
    );
    if (r !== 'ignore' && r[0] === 'ok') sup = r[1];
    yield receive(() => false);
  });
  h.run();
  if (sup === null) throw new Error('supervisor did not start');
  return sup;
}

describe('costs nothing while nobody watches (DESIGN decision 7)', () => {
  it('leaves the scheduler unwatched until a view opens, and again after it closes', () => {
    const h = setup();
    h.s.onEvent = null; // the harness's own listener
    const source = createSchedulerSource(h.s, { epoch: 0, flightRecorder: false });
    expect(h.s.watch).toBeNull();
    expect(h.s.onEvent).toBeNull();
    const v = source.openView({ limit: 10, sortBy: 'reductions', include: [] });
    expect(h.s.watch).not.toBeNull();
    expect(h.s.onEvent).not.toBeNull();
    v.close();
    expect(h.s.watch).toBeNull();
    expect(h.s.onEvent).toBeNull();
  });

  it('keeps the original onEvent listener working beside the inspector', () => {
    const h = setup();
    const exits: Pid[] = [];
    h.s.onEvent = (e) => {
      if (e.type === 'exit') exits.push(e.pid);
    };
    const { snapshot } = view(h);
    snapshot();
    const pid = spawn(() => {});
    h.run();
    expect(exits).toContain(pid);
  });
});

describe('snapshot', () => {
  it('holds every process with its row, the node and the scheduler', () => {
    const h = setup();
    const a = spawn(idle, [], { label: 'alpha', name: 'a_name' });
    const b = spawn(function* (): Proc {
      link(a);
      yield receive(() => false);
    });
    h.run();
    const snap = view(h).snapshot();
    expect(snap.processTotal).toBe(2);
    const rowA = snap.processes.find((r) => r.pid === a)!;
    expect(rowA).toMatchObject({ name: 'a_name', label: 'alpha', status: 'waiting', mailbox: 0, scheduler: 0, links: [b] });
    expect(snap.node.processes).toBe(2);
    expect(snap.node.memory.processes).toBeGreaterThan(0);
    expect(snap.schedulers).toHaveLength(1);
  });

  it('limits the list to the top N by the chosen key, counting the rest (LiveDashboard at 10^5)', () => {
    const h = setup();
    const c = Array.from({ length: 10 }, () => collector(h));
    for (let i = 0; i < 10; i++) for (let k = 0; k < i; k++) h.s.send(c[i]!.pid, k);
    h.run();
    const snap = view(h, 3).snapshot();
    expect(snap.processTotal).toBe(10);
    expect(snap.processes.map((r) => r.pid)).toEqual([c[9]!.pid, c[8]!.pid, c[7]!.pid]);
  });

  it('sends a big list over several messages, best first, each row once, reading the runtime a part at a time', () => {
    const h = setup();
    const all = Array.from({ length: 60 }, () => spawn(idle));
    h.run();
    const source = createSchedulerSource(h.s, { epoch: 0, chunk: { rows: 10, scan: 25 } });
    const v = source.openView({ limit: 2000, sortBy: 'pid', include: [] });
    const snap = v.snapshot() as SourceSnapshot;
    // The first part of the runtime read, its best ten rows; the count says how many there are.
    expect(snap.processes).toHaveLength(10);
    expect(snap.processTotal).toBe(h.s.procs.size);
    const keys = snap.processes.map((r) => Number(r.pid.split('.')[1]));
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
    const got = snap.processes.map((r) => r.pid);
    for (let i = 0; i < 20; i++) {
      const d = v.delta() as SourceDelta;
      expect(d.processes.length).toBeLessThanOrEqual(10);
      expect(d.removed).toEqual([]);
      got.push(...d.processes.map((r) => r.pid));
    }
    expect(new Set(got).size).toBe(got.length);
    for (const pid of all) expect(got).toContain(pid);
    expect(got).toHaveLength(h.s.procs.size);
  });

  it('ends with exactly the top N when a snapshot is read over several messages, removing rows it sent too early', () => {
    const h = setup();
    const all = Array.from({ length: 60 }, () => spawn(idle));
    h.run();
    const source = createSchedulerSource(h.s, { epoch: 0, chunk: { rows: 5, scan: 30 } });
    const v = source.openView({ limit: 20, sortBy: 'pid', include: [] });
    // What an inspector holds: rows added, removed rows dropped.
    const held = new Set((v.snapshot() as SourceSnapshot).processes.map((r) => r.pid));
    for (let i = 0; i < 12; i++) {
      const d = v.delta() as SourceDelta;
      for (const pid of d.removed) expect(held.delete(pid)).toBe(true);
      for (const r of d.processes) held.add(r.pid);
    }
    const pidNo = (pid: string) => Number(pid.split('.')[1]);
    const top = [...h.s.procs.keys()].sort((a, b) => pidNo(b) - pidNo(a)).slice(0, 20);
    expect([...held].sort()).toEqual([...top].sort());
    expect(top).toContain(all[59]);
  });

  it('always shows the included pids', () => {
    const h = setup();
    const c = Array.from({ length: 5 }, () => collector(h));
    const snap = view(h, 1, 'pid', [c[0]!.pid]).snapshot();
    expect(snap.processes.map((r) => r.pid)).toContain(c[0]!.pid);
  });

  it('reads supervisors and marks their children with supervisor, child id and restarts', () => {
    const h = setup();
    const sup = startSupervisor(h, 3);
    const snap = view(h).snapshot();
    const row = snap.supervisors.find((s) => s.pid === sup)!;
    expect(row.strategy).toBe('one_for_one');
    expect(row.children.map((c) => c.id)).toEqual(['w0', 'w1', 'w2']);
    const w1 = row.children[1]!.pid!;
    expect(snap.processes.find((r) => r.pid === w1)).toMatchObject({ supervisor: sup, childId: 'w1', restarts: 0, behaviour: 'GenServer' });
  });
});

describe('delta', () => {
  it('holds only the processes that changed since the last look', () => {
    const h = setup();
    const c = Array.from({ length: 5 }, () => collector(h));
    const { snapshot, delta } = view(h);
    snapshot();
    expect(delta().processes).toEqual([]);
    h.s.send(c[2]!.pid, 'x');
    h.run();
    const d = delta();
    expect(d.processes.map((r) => r.pid)).toEqual([c[2]!.pid]);
    expect(d.processes[0]!.reductionsDelta).toBe(1);
  });

  it('sends a process that ran last tick and not this one as quiet (reductionsDelta now 0)', () => {
    const h = setup();
    const c = collector(h);
    const { snapshot, delta } = view(h);
    snapshot();
    h.s.send(c.pid, 'x');
    h.run();
    delta();
    const d = delta();
    expect(d.processes).toEqual([]);
    expect(d.quiet).toEqual([c.pid]);
  });

  it('adds spawned processes and removes exited ones', () => {
    const h = setup();
    const c = collector(h);
    const { snapshot, delta } = view(h);
    snapshot();
    const n = spawn(idle);
    h.exit(c.pid, 'kill');
    h.run();
    const d = delta();
    expect(d.processes.map((r) => r.pid)).toEqual([n]);
    expect(d.removed).toEqual([c.pid]);
    expect(d.processTotal).toBe(1);
  });

  it('sends nothing for a process that was spawned and exited between two ticks', () => {
    const h = setup();
    const { snapshot, delta } = view(h);
    snapshot();
    spawn(() => {});
    h.run();
    const d = delta();
    expect(d.processes).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('updates a linked process whose link went away when its partner exited', () => {
    const h = setup();
    const a = spawn(idle);
    const b = spawn(function* (): Proc {
      link(a);
      yield receive(() => false);
    });
    h.run();
    const { snapshot, delta } = view(h);
    snapshot();
    h.exit(b, 'normal'); // a normal exit signal from outside: ignored, b lives
    exitProcess(h.s, h.s.procs.get(b)!, 'normal');
    h.run();
    const d = delta();
    expect(d.removed).toEqual([b]);
    expect(d.processes.find((r) => r.pid === a)?.links).toEqual([]);
  });

  it('keeps the memory estimate in step without scanning', () => {
    const h = setup();
    const c = collector(h);
    const { snapshot, delta } = view(h);
    const before = snapshot().node.memory.processes;
    h.s.procs.get(c.pid)!.mbox = null;
    spawn(function* (): Proc {
      yield receive(() => false);
    });
    h.run();
    expect(delta().node.memory.processes).toBeGreaterThan(before);
  });

  it('re-ranks the top N with the changed processes, dropping those overtaken', () => {
    const h = setup();
    const c = Array.from({ length: 4 }, () => collector(h));
    for (let i = 0; i < 4; i++) for (let k = 0; k <= i; k++) h.s.send(c[i]!.pid, k);
    h.run();
    const { snapshot, delta } = view(h, 2);
    expect(snapshot().processes.map((r) => r.pid)).toEqual([c[3]!.pid, c[2]!.pid]);
    for (let k = 0; k < 10; k++) h.s.send(c[0]!.pid, k);
    h.run();
    const d = delta();
    expect(d.processes.map((r) => r.pid)).toEqual([c[0]!.pid]);
    expect(d.removed).toEqual([c[2]!.pid]);
  });

  it("shows a child's restart in the supervisor row and in the new child's row", () => {
    const h = setup();
    const sup = startSupervisor(h, 2);
    const { snapshot, delta } = view(h);
    const snap = snapshot();
    const old = snap.supervisors[0]!.children[0]!.pid!;
    h.exit(old, 'kill');
    h.run();
    const d = delta();
    expect(d.removed).toContain(old);
    const row = d.supervisors.find((s) => s.pid === sup)!;
    expect(row.children[0]).toMatchObject({ id: 'w0', restarts: 1, lastExitReason: 'killed' });
    expect(row.restartsInWindow).toBe(1);
    const fresh = d.processes.find((r) => r.childId === 'w0')!;
    expect(fresh.pid).not.toBe(old);
    expect(fresh).toMatchObject({ supervisor: sup, restarts: 1, lastExitReason: 'killed' });
  });

  it('carries the events since the last look, with the restart among them', () => {
    const h = setup();
    startSupervisor(h, 1);
    const { snapshot, delta } = view(h);
    const old = snapshot().supervisors[0]!.children[0]!.pid!;
    h.exit(old, 'kill');
    h.run();
    const types = delta().events.map((e) => e.type);
    expect(types).toContain('orchard.process.exited');
    expect(types).toContain('orchard.supervisor.restarted');
    expect(types).toContain('orchard.process.spawned');
  });
});

describe('commands', () => {
  function src(h: Harness): InspectorSource {
    return createSchedulerSource(h.s, { epoch: 0 });
  }

  it('exit with a chosen reason reaches the process as exit/2 from the host', () => {
    const h = setup();
    const c = collector(h, { trapExit: true });
    expect(src(h).exit(c.pid, 'bye')).toBe('ok');
    h.run();
    expect(c.messages).toEqual([{ type: 'EXIT', from: h.s.hostPid, reason: 'bye' }]);
  });

  it('answers noproc for a dead pid and an unregistered name', () => {
    const h = setup();
    expect(src(h).exit('<0.999.0>' as Pid, 'kill')).toBe('noproc');
    expect(src(h).send('nobody', 1)).toBe('noproc');
  });

  it('sends to a registered name', () => {
    const h = setup();
    const c = collector(h, { name: 'target' });
    expect(src(h).send('target', { hi: 1 })).toBe('ok');
    h.run();
    expect(c.messages).toEqual([{ hi: 1 }]);
  });

  it('traces sends and receives of the chosen pids only, while watched', () => {
    const h = setup();
    const c = collector(h);
    const other = collector(h);
    const source = src(h);
    const v = source.openView({ limit: 100, sortBy: 'pid', include: [] });
    v.snapshot();
    expect(source.trace([c.pid, '<0.999.0>' as Pid], true)).toEqual(['<0.999.0>']);
    h.s.send(c.pid, 'traced');
    h.s.send(other.pid, 'not traced');
    h.run();
    const events = (v.delta() as SourceDelta).events.filter((e) => e.type.startsWith('orchard.trace'));
    expect(events).toEqual([expect.objectContaining({ type: 'orchard.trace.receive', pid: c.pid, message: '"traced"' })]);
    source.trace([c.pid], false);
    h.s.send(c.pid, 'again');
    h.run();
    expect((v.delta() as SourceDelta).events.filter((e) => e.type.startsWith('orchard.trace'))).toEqual([]);
  });
});

describe('details', () => {
  it("previews the mailbox and the GenServer's state (format_status)", () => {
    const h = setup();
    const sup = startSupervisor(h, 1);
    const source = createSchedulerSource(h.s, { epoch: 0 });
    const snap = source.openView({ limit: 10, sortBy: 'pid', include: [] }).snapshot() as SourceSnapshot;
    const w = snap.supervisors.find((s) => s.pid === sup)!.children[0]!.pid!;
    const d = source.detail(w, 10) as Exclude<ReturnType<InspectorSource['detail']>, Promise<unknown> | null>;
    expect(d.state?.preview).toBe('{n: 0}');
    expect(d.row.supervisor).toBe(sup);
    expect(d.ancestors[0]).toBe(sup);
    const c = collector(h);
    h.s.procs.get(c.pid)!.mbox = ['a', { b: 1 }];
    const detail = source.detail(c.pid, 1) as Exclude<ReturnType<InspectorSource['detail']>, Promise<unknown>>;
    expect(detail!.mailboxTotal).toBe(2);
    expect(detail!.mailbox).toEqual([{ index: 0, arrivedAt: null, value: { preview: '"a"', truncated: false } }]);
  });

  it('answers null for a process that is not there', () => {
    const h = setup();
    expect(createSchedulerSource(h.s).detail('<0.77.0>' as Pid, 10)).toBeNull();
  });
});

describe('several schedulers in one thread', () => {
  it('shows every scheduler and routes commands by the pid', async () => {
    const { Scheduler } = await import('../../../runtime/core/index.ts');
    const { ManualClock } = await import('../../../runtime/core/index.ts');
    const clock = new ManualClock();
    const s0 = new Scheduler({ id: 0, clock, yieldToHost: () => {} });
    const s1 = new Scheduler({ id: 1, clock, yieldToHost: () => {} });
    const a = s0.spawn(idle);
    const b = s1.spawn(idle);
    s0.runUntilIdle();
    s1.runUntilIdle();
    const source = createSchedulerSource([s0, s1], { epoch: 0 });
    const v = source.openView({ limit: 10, sortBy: 'pid', include: [] });
    const snap = v.snapshot() as SourceSnapshot;
    expect(snap.schedulers.map((s) => s.id)).toEqual([0, 1]);
    expect(snap.processes.find((r) => r.pid === b)?.scheduler).toBe(1);
    expect(source.exit(b, 'kill')).toBe('ok');
    expect(s1.procs.has(b)).toBe(false);
    expect(s0.procs.has(a)).toBe(true);
    const d = v.delta() as SourceDelta;
    expect(d.removed).toEqual([b]);
    expect(d.node.processes).toBe(1);
    v.close();
    expect(s0.watch).toBeNull();
    expect(s1.watch).toBeNull();
  });
});

describe('two sources on one scheduler', () => {
  it('both see every change, and watching stops only when the last view closes', () => {
    const h = setup();
    const c = collector(h);
    const one = view(h);
    const two = view(h);
    one.snapshot();
    two.snapshot();
    h.s.send(c.pid, 'x');
    h.run();
    expect(one.delta().processes.map((r) => r.pid)).toEqual([c.pid]);
    expect(two.delta().processes.map((r) => r.pid)).toEqual([c.pid]);
    one.v.close();
    expect(h.s.watch).not.toBeNull();
    two.v.close();
    expect(h.s.watch).toBeNull();
  });
});

describe('tables (the Observer\'s Table Viewer; ets:info/1, ets:tab2list/1)', () => {
  it('lists every table with its owner, type, access and size, and pages a table\'s objects as previews', () => {
    const h = setup();
    let owner: Pid | null = null;
    h.s.spawn(function* tableOwner(): Proc {
      owner = h.s.current!.pid;
      Table.new('scores', { type: 'ordered_set', access: 'public', named: true });
      for (let i = 0; i < 30; i++) Table.insert('scores', [`k${String(i).padStart(2, '0')}`, i]);
      Table.new('secrets', { access: 'private', named: true });
      Table.insert('secrets', ['pin', 1234]);
      yield receive(() => false);
    });
    h.run();
    const source = createSchedulerSource(h.s, { epoch: 0 });
    const rows = source.tables() as Array<{ name: string; owner: Pid; type: string; access: string; size: number }>;
    expect(rows.map((r) => [r.name, r.owner, r.type, r.access, r.size]).sort()).toEqual([
      ['scores', owner, 'ordered_set', 'public', 30],
      ['secrets', owner, 'set', 'private', 1],
    ]);
    const page = source.table('scores', 10, 5) as { total: number; rows: Array<{ preview: string }> };
    expect(page.total).toBe(30);
    expect(page.rows.map((r) => r.preview)).toEqual(['["k10", 10]', '["k11", 11]', '["k12", 12]', '["k13", 13]', '["k14", 14]']);
    // A private table shows its size, never its objects (OTP's observer cannot read them either).
    expect(source.table('secrets', 0, 10)).toEqual({ total: 1, rows: [] });
    expect(source.table('nope', 0, 10)).toBeNull();
  });
});

describe('rows stay small whatever a process is linked to', () => {
  it('cuts links in a row to LIMITS.rowPids with the whole count, and lists more in a detail', async () => {
    const h = setup();
    let hub: Pid | null = null;
    h.s.spawn(function* linker(): Proc {
      for (let i = 0; i < 300; i++) link(h.s.spawn(idle));
      yield receive(() => false);
    });
    h.run();
    for (const r of view(h, 2000, 'pid').snapshot().processes) if (r.links.length > 1 || r.linkCount !== undefined) hub = r.pid;
    const { snapshot, source } = view(h, 2000, 'pid');
    const row = snapshot().processes.find((r) => r.pid === hub)!;
    expect(row.links).toHaveLength(64);
    expect(row.linkCount).toBe(300);
    const member = snapshot().processes.find((r) => r.pid === row.links[0])!;
    expect(member.links).toEqual([hub]);
    expect(member.linkCount).toBeUndefined();
    const detail = (await source.detail(hub!, 10))!;
    expect(detail.row.links).toHaveLength(300);
    expect(detail.row.linkCount).toBeUndefined();
  });
});
