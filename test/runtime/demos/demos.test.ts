/**
 * The demo applications behave as the books they come from say, on a manual clock.
 */
import { describe, expect, it, vi } from 'vitest';
import { type Pid, SUPERVISOR_REPORT, type SupervisorReport } from '../../../runtime/core/index.ts';
import { type RunningApplication, startApplication, stopApplication } from '../../../runtime/application/application.ts';
import { DEMOS, findDemo } from '../../../runtime/demos/index.ts';
import { CRASH_AFTER_MS } from '../../../runtime/demos/crashLoop.ts';
import { STRESS_BRANCHES, STRESS_LEAVES } from '../../../runtime/demos/stressTree.ts';
import { CACHE_TTL_MS, QUERY_TIMEOUT_MS, SWEEP_EVERY_MS } from '../../../runtime/demos/infoSys.ts';
import { type Harness, setup } from '../../utils.ts';

async function start(h: Harness, name: string): Promise<RunningApplication> {
  const spec = findDemo(name);
  if (spec === undefined) throw new Error(`no demo ${name}`);
  const started = startApplication(h.s, spec);
  h.run();
  return started;
}

function report(h: Harness, sup: Pid): SupervisorReport {
  const fn = h.s.procs.get(sup)?.ext?.dict?.get(SUPERVISOR_REPORT) as ((now: number) => SupervisorReport) | undefined;
  if (fn === undefined) throw new Error(`${sup} is not a live supervisor`);
  return fn(h.s.clock.now());
}

function childPids(h: Harness, sup: Pid): Pid[] {
  return report(h, sup).children.map((c) => c.pid).filter((p): p is Pid => p !== null);
}

describe('Pooly (The Little Elixir & OTP Guidebook, ch. 6)', () => {
  it('starts a pool of five workers under the worker supervisor', async () => {
    const h = setup();
    const app = await start(h, 'Pooly');
    const workerSup = h.s.whereis('Pooly.WorkerSupervisor')!;
    expect(childPids(h, workerSup)).toHaveLength(5);
    expect(report(h, app.root!).strategy).toBe('one_for_all');
  });

  it('is back to five workers after one is killed, with a new pid and a restart count of 1', async () => {
    const h = setup();
    await start(h, 'Pooly');
    const workerSup = h.s.whereis('Pooly.WorkerSupervisor')!;
    const before = childPids(h, workerSup);
    h.exit(before[2]!, 'kill');
    h.run();
    const after = childPids(h, workerSup);
    expect(after).toHaveLength(5);
    expect(after[2]).not.toBe(before[2]);
    expect(after.filter((p, i) => p === before[i])).toHaveLength(4);
    const child = report(h, workerSup).children[2]!;
    expect(child.restarts).toBe(1);
    expect(child.lastExitReason).toBe('killed');
  });

  it('restarts the whole pool when the pool server dies (one_for_all)', async () => {
    const h = setup();
    await start(h, 'Pooly');
    const server = h.s.whereis('Pooly.Server')!;
    const workerSup = h.s.whereis('Pooly.WorkerSupervisor')!;
    h.exit(server, 'kill');
    h.run();
    expect(h.s.whereis('Pooly.Server')).not.toBe(server);
    expect(h.s.whereis('Pooly.WorkerSupervisor')).not.toBe(workerSup);
    expect(childPids(h, h.s.whereis('Pooly.WorkerSupervisor')!)).toHaveLength(5);
  });
});

describe('Counter (Programming Phoenix, OTP chapter)', () => {
  it('counts with casts, answers val with a call, and restarts from its initial value', async () => {
    const h = setup();
    await start(h, 'Counter');
    const counter = h.s.whereis('Counter')!;
    h.s.send('Counter', { type: '$gen_cast', request: 'inc' });
    h.s.send('Counter', { type: '$gen_cast', request: 'inc' });
    h.s.send('Counter', { type: '$gen_cast', request: 'dec' });
    h.run();
    const state = h.s.procs.get(counter)!.ext!.reportState!();
    expect(state).toEqual({ count: 1 });
    h.exit(counter, 'kill');
    h.run();
    const restarted = h.s.whereis('Counter')!;
    expect(restarted).not.toBe(counter);
    expect(h.s.procs.get(restarted)!.ext!.reportState!()).toEqual({ count: 0 });
  });
});

describe('the rest_for_one chain and the one_for_all group (supervisor docs, "Restart Strategy")', () => {
  it('rest_for_one: killing cache restarts cache, api and web; db keeps its pid', async () => {
    const h = setup();
    const app = await start(h, 'Chain');
    const [db, cache, api, web] = childPids(h, app.root!);
    h.exit(cache!, 'kill');
    h.run();
    const after = childPids(h, app.root!);
    expect(after[0]).toBe(db);
    for (const [i, old] of [cache, api, web].entries()) expect(after[i + 1]).not.toBe(old);
  });

  it('one_for_all: killing one member restarts all four', async () => {
    const h = setup();
    const app = await start(h, 'Group');
    const before = childPids(h, app.root!);
    h.exit(before[2]!, 'kill');
    h.run();
    const after = childPids(h, app.root!);
    expect(after).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(after[i]).not.toBe(before[i]);
  });
});

describe('the crash loop (supervisor docs, "Restart Intensity and Period")', () => {
  it('exceeds 3 restarts in 5 s, and the escalation reaches the root, which gives up in turn', async () => {
    const h = setup();
    const intensity: Pid[] = [];
    const onExit = h.s.onEvent!;
    h.s.onEvent = (e) => {
      onExit(e);
      if (e.type === 'intensity') intensity.push(e.supervisor);
    };
    const app = await start(h, 'CrashLoop');
    const loopSup = childPids(h, app.root!)[0]!;
    for (let i = 0; i < 4; i++) h.advance(CRASH_AFTER_MS);
    // The 4th crash within 5 s: the loop supervisor exits with shutdown; the root restarts it once.
    expect(intensity[0]).toBe(loopSup);
    expect(h.exits.get(loopSup)).toBe('shutdown');
    expect(h.s.procs.has(app.root!)).toBe(true);
    for (let i = 0; i < 4; i++) h.advance(CRASH_AFTER_MS);
    // The second loop supervisor fails the same way: the root's intensity (1 in 30 s) is exceeded.
    expect(intensity).toHaveLength(3);
    expect(intensity[2]).toBe(app.root);
    expect(h.exits.get(app.root!)).toBe('shutdown');
    expect(h.s.procs.has(app.master)).toBe(false);
  });
});

describe('the stress tree', () => {
  it('holds 10,000 processes: a root, 99 supervisors and 9,900 workers', async () => {
    const h = setup();
    const app = await start(h, 'Stress');
    const branches = childPids(h, app.root!);
    expect(branches).toHaveLength(STRESS_BRANCHES);
    let workers = 0;
    for (const b of branches) workers += childPids(h, b).length;
    expect(workers).toBe(STRESS_BRANCHES * STRESS_LEAVES);
    expect(1 + branches.length + workers).toBe(10_000);
  });
});

describe('applications', () => {
  it('stop shuts the tree down in reverse start order and ends the master', async () => {
    const h = setup();
    const app = await start(h, 'Chain');
    const pids = childPids(h, app.root!);
    const order: Pid[] = [];
    const prev = h.s.onEvent!;
    h.s.onEvent = (e) => {
      prev(e);
      if (e.type === 'exit') order.push(e.pid);
    };
    stopApplication(h.s, app);
    h.run();
    expect(order.slice(0, 4)).toEqual([...pids].reverse());
    expect(h.s.procs.has(app.root!)).toBe(false);
    expect(h.s.procs.has(app.master)).toBe(false);
  });

  it('every demo in the catalog starts', async () => {
    for (const demo of DEMOS) {
      const h = setup();
      const app = await start(h, demo.name);
      expect(h.s.procs.has(app.root!), demo.name).toBe(true);
    }
  });
});

describe('InfoSys (Programming Phoenix, OTP chapter)', () => {
  it('takes the answers that arrive within the time limit, kills the late task, caches, and sweeps the cache', async () => {
    // Fixed dice: Wolfram answers in 100 ms, Wiki in 25 ms, Slowpoke would take 375 ms (> 250).
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      const h = setup();
      const exits: Array<[Pid, unknown]> = [];
      const prev = h.s.onEvent!;
      h.s.onEvent = (e) => {
        prev(e);
        if (e.type === 'exit') exits.push([e.pid, e.reason]);
      };
      await start(h, 'InfoSys');
      const client = h.s.whereis('InfoSys.Client')!;
      h.advance(700); // the client asks its first query
      h.advance(QUERY_TIMEOUT_MS);
      const state = h.s.procs.get(client)!.ext!.reportState!() as { asked: number; last: { answers: Array<{ backend: string }> } };
      expect(state.asked).toBe(1);
      expect(state.last.answers.map((a) => a.backend).sort()).toEqual(['Wiki', 'Wolfram']);
      // The late task was killed when the limit ran out; the client itself never crashed.
      expect(exits.some(([, r]) => r === 'killed')).toBe(true);
      expect(h.s.whereis('InfoSys.Client')).toBe(client);
      const cache = h.s.whereis('InfoSys.Cache')!;
      const entries = () => (h.s.procs.get(cache)!.ext!.reportState!() as { entries: number }).entries;
      expect(entries()).toBe(1);
      // Nothing new is asked of the backends while the answer is cached; the sweep drops it after the TTL.
      h.exit(client, 'kill'); // stop asking (the supervisor restarts it; its first ask is 700 ms away)
      h.run();
      for (let t = 0; t < CACHE_TTL_MS + SWEEP_EVERY_MS; t += 100) h.advance(100);
      expect((h.s.procs.get(cache)!.ext!.reportState!() as { swept: number }).swept).toBeGreaterThanOrEqual(1);
    } finally {
      random.mockRestore();
    }
  });
});
