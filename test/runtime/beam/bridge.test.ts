import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BeamSource, createBeamSource } from '../../../runtime/beam/beamSource.ts';
import { serveWebSocket } from '../../../runtime/beam/serveWebSocket.ts';
import { TypedTerm } from '../../../runtime/inspector/source.ts';
import { Tuple, atom, tuple } from '../../../runtime/beam/etf.ts';
import { PASS } from '../../../runtime/beam/expressions.ts';
import { pidNumbers, rankedPass } from '../../../runtime/beam/translate.ts';
import type { Pid } from '../../../runtime/core/pid.ts';
import { T } from '../../../runtime/protocol/term.ts';
import { TEST_COOKIE, type TargetNode, startTargetNode } from '../../beam/targetNode.ts';

// The bridge against a real Erlang node (test/beam/fixture), read over distribution by the
// probe node. The node and the probes are stopped when the tests end, whatever happened.

let target: TargetNode;
let source: BeamSource;
let checker: BeamSource;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(50);
  }
}

/** Modules loaded on the target (with their files) and its processes (but the one reading them), read by a second probe that stays connected. */
async function targetState(): Promise<{ modules: Array<[string, string]>; processes: string[]; libDir: string; probeLoaded: boolean }> {
  const v = (await checker.model.eval(
    "{[{atom_to_binary(M), list_to_binary(F)} || {M, F} <- code:all_loaded(), is_list(F)], erlang:processes() -- [self()], list_to_binary(code:lib_dir()), code:is_loaded(orchard_probe)}.",
    [],
  )) as unknown[];
  return { modules: (v[0] as unknown[][]).map((x) => [String(x[0]), String(x[1])]), processes: v[1] as string[], libDir: String(v[2]), probeLoaded: v[3] !== false };
}

beforeAll(async () => {
  target = await startTargetNode();
  [source, checker] = await Promise.all([
    createBeamSource({ node: target.node, cookie: TEST_COOKIE }),
    createBeamSource({ node: target.node, cookie: TEST_COOKIE }),
  ]);
}, 120_000);

afterAll(async () => {
  source?.stop();
  checker?.stop();
  await target?.stop();
});

describe('a session', () => {
  it("reads the trees: Pooly's one_for_all top, its server and a worker supervisor with five workers, and the rest_for_one chain", async () => {
    const view = source.openView({ limit: 2000, sortBy: 'reductionsDelta', include: [] });
    const snap = await view.snapshot();
    const pooly = snap.applications.find((a) => a.name === 'pooly')!;
    const top = snap.supervisors.find((s) => s.pid === pooly.root)!;
    expect(top.strategy).toBe('one_for_all');
    expect(top.children.map((c) => [c.id, c.type])).toEqual([['pooly_server', 'worker'], ['pooly_worker_sup', 'supervisor']]);
    const workers = snap.supervisors.find((s) => s.pid === top.children[1]!.pid)!;
    expect(workers.children.map((c) => c.id)).toEqual(['{worker,1}', '{worker,2}', '{worker,3}', '{worker,4}', '{worker,5}']);
    const chain = snap.supervisors.find((s) => s.pid === snap.applications.find((a) => a.name === 'chain')!.root)!;
    expect(chain.strategy).toBe('rest_for_one');
    expect(snap.node.beam).toMatchObject({ node: target.node, otpRelease: expect.stringMatching(/^\d+$/) as string });
    expect(snap.node.beam!.memoryByType.total).toBeGreaterThan(0);
    view.close();
  }, 30_000);

  it('sends a typed term as a real Erlang term: the worker stores {hello, 42} with hello an atom', async () => {
    const view = source.openView({ limit: 2000, sortBy: 'reductionsDelta', include: [] });
    const snap = await view.snapshot();
    const worker = snap.supervisors.find((s) => s.children.length === 5)!.children[0]!.pid!;
    expect(await source.send(worker, new TypedTerm(T.tuple(T.atom('hello'), T.int(42))))).toBe('ok');
    const detail = await until('the message in the state', () => source.detail(worker, 10), (d) => /last => \{hello,42\}/.test(d?.state?.preview ?? ''));
    expect(detail!.row.initialCall).toBe('pooly_worker:init/1');
    expect(await source.send('no_such_name', new TypedTerm(T.atom('x')))).toBe('noproc');
    view.close();
  }, 30_000);

  it('ranks every process by what it did since the previous pass, by reductions and by pid, with the pids asked for (process_info/2 reductions, erlang docs)', async () => {
    const view = source.openView({ limit: 10, sortBy: 'reductionsDelta', include: [] });
    const worker = (await view.snapshot()).supervisors.find((s) => s.children.length === 5)!.children[2]!.pid!;
    view.close();
    const pass = async () => {
      const wants = [tuple(3, atom('reductionsDelta'), []), tuple(3, atom('reductions'), [pidNumbers(worker)]), tuple(5, atom('pid'), [])];
      return rankedPass(await source.probe.request(tuple(atom('pass'), PASS, [tuple(atom('Item'), atom('reductions'))], 10_000, wants, [pidNumbers(worker)])), 3);
    };
    await pass();
    // 20,000 messages make the worker the busiest process since the last pass, by far.
    await checker.model.eval('[W ! {tick, I} || I <- lists:seq(1, 20000)], ok.', [['W', checker.model.pidTerm(worker)]]);
    await until('the messages handled', () => checker.model.eval('erlang:process_info(W, message_queue_len).', [['W', checker.model.pidTerm(worker)]]), (v) => v instanceof Tuple && v[1] === 0);
    const r = await pass();
    expect(r.total).toBeGreaterThan(40);
    const [byDelta, byReductions, byPid] = r.views as [Array<{ pid: Pid; reductions: number; delta: number }>, Array<{ pid: Pid; reductions: number }>, Array<{ pid: Pid }>];
    expect(byDelta).toHaveLength(3);
    expect(byDelta[0]).toMatchObject({ pid: worker, delta: expect.any(Number) as number });
    expect(byDelta[0]!.delta).toBeGreaterThan(20_000);
    expect(byDelta[1]!.delta).toBeGreaterThanOrEqual(byDelta[2]!.delta);
    // The top three by reductions, largest first, then the worker asked for (unless it is among them).
    const top = byReductions.slice(0, 3).map((x) => x.reductions);
    expect(top).toEqual([...top].sort((a, b) => b - a));
    expect(byReductions.map((x) => x.pid)).toContain(worker);
    // The lowest pids first: <0.0.0> is init.
    expect(byPid.map((x) => x.pid)[0]).toBe('<0.0.0>');
    expect(byPid.map((x) => Number(x.pid.split('.')[1]))).toEqual([...byPid.map((x) => Number(x.pid.split('.')[1]))].sort((a, b) => a - b));
    expect(r.tree).toEqual([expect.objectContaining({ pid: worker })]);
  }, 30_000);

  it('pages a public ETS table and shows a private one by its size only', async () => {
    const tables = await source.tables();
    expect(tables.find((t) => t.name === 'pooly_checkouts')).toMatchObject({ access: 'public', size: 5, type: 'set' });
    const page = await source.table('pooly_checkouts', 1, 2);
    expect(page!.total).toBe(5);
    expect(page!.rows).toHaveLength(2);
    expect(page!.rows[0]!.preview).toMatch(/^\{\d,free,<<"worker \d">>\}$/);
  }, 30_000);

  it('is agent-less: after the session no module of ours is loaded on the target and no process of ours is left', async () => {
    const before = await targetState();
    const session = await createBeamSource({ node: target.node, cookie: TEST_COOKIE });
    const view = session.openView({ limit: 2000, sortBy: 'reductionsDelta', include: [] });
    const snap = await view.snapshot();
    await view.delta();
    await session.tables();
    await session.detail(snap.supervisors[0]!.pid, 10);
    const during = await targetState();
    session.stop();
    expect(during.probeLoaded).toBe(false);
    // Modules loaded since: only OTP's own (erl_eval and the like, loaded on demand), from OTP's lib directory.
    const known = new Set(before.modules.map(([m]) => m));
    const added = during.modules.filter(([m]) => !known.has(m));
    for (const [m, file] of added) expect(`${m} ${file}`).toContain(` ${during.libDir}/`);
    const after = await until('the session to leave', targetState, (s) => s.processes.filter((p) => !before.processes.includes(p)).length === 0);
    expect(after.processes.filter((p) => !before.processes.includes(p))).toEqual([]);
  }, 60_000);
});

describe('refusals', () => {
  it('the WebSocket refuses a wrong token and a wrong origin, and welcomes the right ones with observe only', async () => {
    const server = await serveWebSocket(source, {
      host: '127.0.0.1', port: 0, token: 'right', allowedOrigins: ['http://127.0.0.1:5173'], capabilities: ['observe'], name: target.node,
    });
    const first = (url: string, origin: string) =>
      new Promise<{ type: string; code?: string; reason?: string; granted?: string[] }>((resolve, reject) => {
        const ws = new WebSocket(url, { origin });
        ws.on('open', () => ws.send(JSON.stringify({ protocol: 'orchard-inspector', version: 2, type: 'hello', id: 0, capabilities: ['observe', 'control'], client: { name: 't', version: '0' } })));
        ws.on('message', (d) => {
          resolve(JSON.parse(d.toString()));
          ws.close();
        });
        ws.on('error', reject);
      });
    try {
      const base = `ws://127.0.0.1:${server.port}/?token=`;
      expect(await first(`${base}wrong`, 'http://127.0.0.1:5173')).toMatchObject({ type: 'refused', code: 'not_permitted', reason: expect.stringMatching(/wrong token/) as string });
      expect(await first(`${base}right`, 'http://evil.example')).toMatchObject({ type: 'refused', code: 'origin_not_allowed' });
      expect(await first(`${base}right`, 'http://127.0.0.1:5173')).toMatchObject({ type: 'welcome', granted: ['observe'] });
    } finally {
      await server.close();
    }
  }, 30_000);

  it('says plainly when there is no such node, and when erl is missing', async () => {
    await expect(createBeamSource({ node: `nobody_here@${hostname().split('.')[0]}`, cookie: TEST_COOKIE })).rejects.toThrow(/no node named nobody_here/);
    await expect(createBeamSource({ node: target.node, cookie: TEST_COOKIE, erl: '/nonexistent/erl' })).rejects.toThrow(/Erlang\/OTP is not installed/);
  }, 60_000);
});

describe('the node goes down and comes back', () => {
  it('says node down with the reason, then reconnects to the new incarnation', async () => {
    const name = target.node.split('@')[0]!;
    const creation = source.info.creation;
    const view = source.openView({ limit: 100, sortBy: 'reductionsDelta', include: [] });
    await view.snapshot();
    await target.stop();
    const down = await until('node down', () => view.delta(), (d) => d.node.beam?.down != null);
    expect(down.node.beam!.down!.reason).toMatch(/connection_closed|noconnection|net_tick_timeout|disconnect/);
    target = await startTargetNode({ name });
    const back = await until('the node back', () => view.delta(), (d) => d.node.beam?.down === null && d.processes.length > 0, 30_000);
    expect(source.info.creation).not.toBe(creation);
    expect(back.applications.map((a) => a.name)).toContain('pooly');
    view.close();
  }, 90_000);
});
