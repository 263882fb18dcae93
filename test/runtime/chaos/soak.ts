/**
 * The chaos soak: a tree of about 1,000 processes over two schedulers (Node worker threads), every
 * supervisor strategy and restart type, clients calling the workers throughout, and rounds of
 * random kills with custom exit reasons. After each round it holds the tree to the model of OTP's
 * rules (model.ts): the shape, which pids are new, and the registered names. At the end it
 * restores the whole tree and checks that the process count and the schedulers' heaps come back
 * to their baseline, and that no message to a live process was lost or duplicated (the workers
 * and clients check sequence numbers, see modules.ts).
 *
 * Shared by the short run in `npm test` (chaos.test.ts) and the long one in
 * `npm run bench -- chaos` (test/bench/chaos.bench.ts).
 */
import { type Pid, TIMEOUT, isPid } from '../../../runtime/core/index.ts';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import type { RestartType, Strategy } from '../../../runtime/behaviours/index.ts';
import { type Expected, type Kill, type ModelGroup, applyKill, initialGroup } from './model.ts';
import { type ClientReport, type GroupSnapshot, type GroupSpec, type Violation, mulberry32 } from './modules.ts';

export const CHAOS_WORKER = new URL('./worker.ts', import.meta.url);

export interface SoakOptions {
  /** How long the kills go on, in ms. */
  durationMs: number;
  groups?: number;
  workersPerGroup?: number;
  clients?: number;
  seed?: number;
  /** How long a round may take to reach the model's shape before the soak fails, in ms. */
  settleMs?: number;
  /** How much the heap of a scheduler may grow over its baseline, as a share of it. */
  heapSlack?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  seed: number;
  /** Processes the schedulers counted before the kills (the tree, the clients, the probes). */
  processes: number;
  rounds: number;
  /** Kills that ended a process (an ignored `exit(Pid, normal)` is not counted). */
  kills: number;
  killsPerS: number;
  chaosMs: number;
  /** Messages to live processes lost, received twice or out of order, and calls to live workers never answered. */
  lost: number;
  duplicated: number;
  timeouts: number;
  violations: Violation[];
  sent: number;
  calls: number;
  callsToDead: number;
  baseline: { processes: number; heap: number[] };
  end: { processes: number; heap: number[] };
  /** What went wrong; empty when the soak passed. */
  failures: string[];
}

/** The exits inflicted: signals from the host, and stops of the workers' own, normal or not. */
const REASONS: Array<{ kind: 'exit' | 'stop'; reason: unknown }> = [
  { kind: 'exit', reason: 'kill' },
  { kind: 'exit', reason: 'shutdown' },
  { kind: 'exit', reason: { shutdown: 'chaos' } },
  { kind: 'exit', reason: 'normal' },
  { kind: 'stop', reason: 'normal' },
  { kind: 'stop', reason: { shutdown: 'chaos' } },
];

const STRATEGIES: Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];
const RESTARTS: RestartType[] = ['permanent', 'transient', 'temporary'];

export function startChaosNode(): Promise<OrchardNode> {
  // The default watchdog: a scheduler that a soak makes unresponsive is a failure too.
  return startNode({ schedulers: 2, workerEntry: CHAOS_WORKER });
}

/** The tree: groups of every strategy on both schedulers, workers of every restart type on both. */
export function chaosTree(groups: number, workersPerGroup: number, collector: Pid): GroupSpec[] {
  return Array.from({ length: groups }, (_, g) => ({
    id: `g${g}`,
    name: `chaos.g${g}`,
    strategy: STRATEGIES[g % STRATEGIES.length]!,
    scheduler: g % 2,
    collector,
    workers: Array.from({ length: workersPerGroup }, (_, w) => ({
      id: `w${w}`,
      name: `chaos.g${g}.w${w}`,
      restart: RESTARTS[w % RESTARTS.length]!,
      scheduler: (g + w) % 2,
    })),
  }));
}

export async function soak(node: OrchardNode, options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? (Date.now() % 1_000_000);
  const random = mulberry32(seed);
  const settleMs = options.settleMs ?? 20_000;
  const failures: string[] = [];
  const specs = chaosTree(options.groups ?? 30, options.workersPerGroup ?? 32, node.pid);
  let tag = 0;

  const host = node.spawn('chaos.host', [specs, node.pid], { scheduler: 0 });
  const started = (await expectInbox(node, (m: any) => m?.rootStarted !== undefined, 60_000, 'the root supervisor to start')).rootStarted;
  if (!Array.isArray(started) || started[0] !== 'ok') throw new Error(`the root supervisor did not start: ${JSON.stringify(started)}`);
  // One probe beside each group supervisor, so that reading a group is a call on its own scheduler.
  const probes = specs.map((g) => node.spawn('chaos.probe', [node.pid], { scheduler: g.scheduler }));
  const heapProbes = [0, 1].map((s) => probes[specs.findIndex((g) => g.scheduler === s)]!);
  const names = specs.flatMap((g) => g.workers.map((w) => w.name));
  const clientCount = options.clients ?? 8;
  const clients = Array.from({ length: clientCount }, (_, i) => node.spawn('chaos.client', [names, seed + i + 1, node.pid], { scheduler: i % 2 }));

  const model: ModelGroup[] = specs.map(initialGroup);
  const snapshot: GroupSnapshot[] = [];
  const up = await Promise.all(specs.map(async (g, i) => {
    const s = await settle(i, { group: model[i]!, supRestarted: true, fresh: new Set(g.workers.map((w) => w.id)), effective: true }, null);
    if (s !== null) snapshot[i] = s;
    return s !== null;
  }));
  if (up.includes(false)) return finish();
  log(`tree up: ${specs.length * (1 + specs[0]!.workers.length) + 1} supervisors and workers in ${specs.length} groups, ${clientCount} clients`);
  await pause(500);
  const baseline = { processes: await processCount(null), heap: await heaps() };
  log(`baseline: ${baseline.processes} processes, heaps ${baseline.heap.map(mb).join(' + ')} MB`);

  // Each group goes through its own rounds, concurrently with the others: a kill, then a wait
  // until the group matches the model (so that the model knows the order of what happened in it).
  let rounds = 0;
  let kills = 0;
  const t0 = performance.now();
  const stopAt = t0 + options.durationMs;
  // The heaps as the kills go on (for the log): a leak grows with the kills, a warm-up does not.
  const sampler = (async () => {
    for (let next = t0 + 10_000; next < stopAt - 5_000 && failures.length === 0; next += 10_000) {
      await pause(next - performance.now());
      log(`${kills} kills: heaps ${(await heaps()).map(mb).join(' + ')} MB`);
    }
  })();
  const loops = await Promise.all(specs.map(async (_, g) => {
    while (performance.now() < stopAt && failures.length === 0) {
      // Several children at once in a one_for_one group: each is restarted alone, so the order
      // in which the supervisor sees their exits does not matter; one at a time elsewhere.
      const chosen = chooseKills(model[g]!, random);
      let e: Expected = { group: model[g]!, supRestarted: false, fresh: new Set(), effective: false };
      let effective = 0;
      for (const kill of chosen) {
        const step = applyKill(e.group, kill);
        e = { group: step.group, supRestarted: e.supRestarted || step.supRestarted, fresh: new Set([...e.fresh, ...step.fresh]), effective: e.effective || step.effective };
        if (step.effective) effective++;
        inflict(model[g]!, kill, snapshot[g]!);
      }
      const next = await settle(g, e, snapshot[g]!);
      if (next === null) return false;
      kills += effective;
      rounds++;
      snapshot[g] = next;
      model[g] = e.group;
    }
    return true;
  }));
  await sampler;
  if (loops.includes(false)) return finish();
  const chaosMs = performance.now() - t0;
  log(`${kills} kills in ${(chaosMs / 1000).toFixed(1)} s`);

  // Restore the whole tree: each group supervisor killed, and restarted by the root from its spec.
  const restored = await Promise.all(model.map(async (group, g) => {
    inflict(group, { kind: 'sup' }, snapshot[g]!);
    const e = applyKill(group, { kind: 'sup' });
    const next = await settle(g, e, snapshot[g]!);
    if (next === null) return false;
    snapshot[g] = next;
    model[g] = e.group;
    return true;
  }));
  if (restored.includes(false)) return finish();
  await pause(500);
  const end = { processes: await processCount(baseline.processes), heap: await heaps() };
  log(`end: ${end.processes} processes, heaps ${end.heap.map(mb).join(' + ')} MB`);
  if (end.processes !== baseline.processes) failures.push(`process count: ${end.processes} after the soak, ${baseline.processes} before`);
  const slack = options.heapSlack ?? 0.25;
  end.heap.forEach((h, i) => {
    const b = baseline.heap[i]!;
    if (h > b * (1 + slack)) failures.push(`scheduler ${i}'s heap: ${mb(h)} MB after the soak, ${mb(b)} MB before (more than ${slack * 100}% over)`);
  });
  return finish({ chaosMs, baseline, end });

  // --- Steps ---

  async function finish(extra?: { chaosMs: number; baseline: SoakResult['baseline']; end: SoakResult['end'] }): Promise<SoakResult> {
    for (const c of clients) node.send(c, { halt: true });
    const reports: ClientReport[] = [];
    for (let i = 0; i < clients.length; i++) {
      const r = await node.receive((m: any) => m?.clientReport !== undefined, { after: 30_000 });
      if (r === TIMEOUT) {
        failures.push(`${clients.length - i} client(s) did not report`);
        break;
      }
      reports.push((r as { clientReport: ClientReport }).clientReport);
    }
    const violations: Violation[] = [];
    for (;;) {
      const v = await node.receive((m: any) => m?.violation !== undefined, { after: 0 });
      if (v === TIMEOUT) break;
      violations.push(v as Violation);
    }
    const sum = (kind: Violation['violation'][]): number => violations.filter((v) => kind.includes(v.violation)).reduce((a, v) => a + v.count, 0);
    const result: SoakResult = {
      seed,
      processes: extra?.baseline.processes ?? 0,
      rounds,
      kills,
      killsPerS: extra === undefined ? 0 : kills / (extra.chaosMs / 1000),
      chaosMs: extra?.chaosMs ?? 0,
      lost: sum(['gap', 'lost']),
      duplicated: sum(['duplicate']),
      timeouts: violations.filter((v) => v.violation === 'timeout').length,
      violations,
      sent: reports.reduce((a, r) => a + r.sent, 0),
      calls: reports.reduce((a, r) => a + r.calls, 0),
      callsToDead: reports.reduce((a, r) => a + r.callsToDead, 0),
      baseline: extra?.baseline ?? { processes: 0, heap: [] },
      end: extra?.end ?? { processes: 0, heap: [] },
      failures,
    };
    for (const v of violations.slice(0, 10)) failures.push(`${v.violation}: ${v.detail}`);
    node.exit(host, 'kill');
    for (const p of probes) node.exit(p, 'kill');
    // The tree goes down with its host (they are linked): wait until its names are free again.
    for (let i = 0; i < 500 && node.registered().some((n) => n.startsWith('chaos.')); i++) await pause(20);
    log(`${rounds} rounds, ${kills} kills (${result.killsPerS.toFixed(0)}/s); ${result.calls} calls, ${result.sent} messages; lost ${result.lost}, duplicated ${result.duplicated}, timeouts ${result.timeouts}`);
    return result;
  }

  /** Kills as the soak chose: the host sends the exit signal, or asks the worker to stop itself. */
  function inflict(group: ModelGroup, kill: Kill, snap: GroupSnapshot): void {
    if (kill.kind === 'sup') {
      // A supervisor traps exits: only `kill` ends it from outside.
      node.exit(snap.sup!, 'kill');
      return;
    }
    const at = group.children.findIndex((c) => c.spec.id === kill.child);
    const pid = snap.children![indexIn(snap, kill.child)]!.pid;
    if (at < 0 || !isPid(pid)) throw new Error(`${group.spec.id}/${kill.child} has no pid to kill`);
    if (kill.kind === 'exit') node.exit(pid, kill.reason);
    else node.send(pid, { stop: kill.reason });
  }

  /**
   * Polls group `g`'s probe until the group matches what is expected (shape, new and kept pids,
   * registered names); null (and a failure) if that does not happen within `settleMs`.
   */
  async function settle(g: number, expected: Expected, before: GroupSnapshot | null): Promise<GroupSnapshot | null> {
    const deadline = performance.now() + settleMs;
    let diff: string[] = [];
    for (;;) {
      const snap = await probe(g);
      diff = compare(expected, snap, before);
      if (diff.length === 0) return snap;
      if (performance.now() > deadline || failures.length > 0) break;
      await pause(2);
    }
    failures.push(`${specs[g]!.id} did not reach the expected shape within ${settleMs} ms (seed ${seed}): ${diff.slice(0, 8).join('; ')}`);
    return null;
  }

  function compare(e: Expected, snap: GroupSnapshot, before: GroupSnapshot | null): string[] {
    const out: string[] = [];
    const g = e.group.spec;
    if (snap.sup === null || snap.children === null) return [`${g.id}: not running`];
    if (before !== null && (snap.sup !== before.sup) !== e.supRestarted) {
      out.push(`${g.id}: supervisor ${e.supRestarted ? 'not restarted' : 'restarted unexpectedly'}`);
    }
    if (node.whereis(g.name) !== snap.sup) out.push(`${g.name} is registered to ${String(node.whereis(g.name))}, not ${snap.sup}`);
    const ids = e.group.children.map((c) => c.spec.id);
    const got = snap.children.map((c) => c.id);
    if (ids.join() !== got.join()) return [...out, `${g.id}: children [${got.join()}], expected [${ids.join()}]`];
    e.group.children.forEach((c, i) => {
      const pid = snap.children![i]!.pid;
      const old = before === null || e.supRestarted ? null : before.children![indexIn(before, c.spec.id)]?.pid ?? null;
      if (!c.running) {
        if (pid !== null) out.push(`${g.id}/${c.spec.id}: ${String(pid)}, expected not running`);
      } else if (!isPid(pid)) {
        out.push(`${g.id}/${c.spec.id}: ${String(pid)}, expected running`);
      } else if (e.fresh.has(c.spec.id) ? pid === old : pid !== old) {
        out.push(`${g.id}/${c.spec.id}: ${e.fresh.has(c.spec.id) ? 'not restarted' : `restarted unexpectedly (${String(old)} → ${pid})`}`);
      }
      const registered = node.whereis(c.spec.name);
      if (registered !== (c.running && isPid(pid) ? pid : undefined)) out.push(`${c.spec.name} is registered to ${String(registered)}, expected ${String(pid)}`);
    });
    return out;
  }

  async function probe(g: number): Promise<GroupSnapshot> {
    const t = ++tag;
    node.send(probes[g]!, { snapshot: t, groups: [specs[g]] });
    return (await expectInbox(node, (m: any) => m?.snapshot === t, settleMs, 'a snapshot of the tree')).groups[0];
  }

  /** The processes the schedulers count, once their counters are fresh (and equal to `want`, if it comes within 10 s). */
  async function processCount(want: number | null): Promise<number> {
    const deadline = performance.now() + 10_000;
    let count = -1;
    while (performance.now() < deadline) {
      const since = Date.now();
      await pause(250);
      const counters = node.counters();
      if (counters.length !== 2 || counters.some((c) => c.at < since)) continue;
      count = counters.reduce((a, c) => a + c.processes, 0);
      if (want === null || count === want) break;
    }
    return count;
  }

  async function heaps(): Promise<number[]> {
    const out: number[] = [];
    for (const p of heapProbes) {
      const t = ++tag;
      node.send(p, { heap: t });
      out.push((await expectInbox(node, (m: any) => m?.heap === t, 30_000, 'a heap figure')).bytes);
    }
    return out;
  }
}

function chooseKills(group: ModelGroup, random: () => number): Kill[] {
  if (random() < 0.04) return [{ kind: 'sup' }];
  const running = group.children.filter((c) => c.running).map((c) => c.spec.id);
  const count = group.spec.strategy === 'one_for_one' ? Math.min(running.length, 1 + Math.floor(random() * 6)) : 1;
  const kills: Kill[] = [];
  for (let i = 0; i < count; i++) kills.push(chooseKill(running.splice(Math.floor(random() * running.length), 1)[0]!, random));
  return kills;
}

function chooseKill(child: string, random: () => number): Kill {
  const r = Math.floor(random() * (REASONS.length + 2));
  // Besides the fixed reasons, a custom one, as an exit signal or as the child's own stop.
  if (r === REASONS.length) return { kind: 'exit', child, reason: { chaos: Math.floor(random() * 1000) } };
  if (r === REASONS.length + 1) return { kind: 'stop', child, reason: { chaos: Math.floor(random() * 1000) } };
  return { ...REASONS[r]!, child };
}

function indexIn(snap: GroupSnapshot, id: string): number {
  return snap.children!.findIndex((c) => c.id === id);
}

async function expectInbox(node: OrchardNode, match: (m: unknown) => boolean, after: number, what: string): Promise<any> {
  const m = await node.receive(match, { after });
  if (m === TIMEOUT) throw new Error(`waited ${after} ms for ${what}`);
  return m;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
