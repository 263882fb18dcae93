// benches: scaling_2x scaling_2x_beam scaling_2x_vs_beam
// timeout: 420
/**
 * Scaling with cores: the same independent workload, one ring per scheduler (two rings of 1,000
 * generator processes, a counter making 1,000,000 hops round each, all at once), on a node of one
 * scheduler and on a node of two, in Node worker threads. The speed-up is the one-scheduler time
 * over the two-scheduler time. Beside it, in the same rounds, the BEAM's speed-up from `+S 1` to
 * `+S 2` on the same workload (test/bench/erl/scaling.erl). Rounds alternate Orchard and BEAM so
 * both meet the same load on a shared machine; each figure is the median over the rounds, and the
 * ratio is taken per round.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Pid, TIMEOUT } from '../../runtime/core/index.ts';
import { type OrchardNode, startNode } from '../../runtime/node/index.ts';
import { emit, median, note, round } from './lib/report.ts';

const ENTRY = new URL('./scaling/worker.ts', import.meta.url);
const ERL = fileURLToPath(new URL('./erl/scaling.erl', import.meta.url));
const RINGS = 2;
const SIZE = 1_000;
const HOPS = 1_000_000;
const ROUNDS = 7;

async function take(node: OrchardNode, match: (m: any) => boolean, what: string): Promise<any> {
  const m = await node.receive(match, { after: 120_000 });
  if (m === TIMEOUT) throw new Error(`scaling: no ${what} within 120 s`);
  return m;
}

/** Wall ms for the rings on a node of `schedulers`, one ring per scheduler (both on one when it has one). */
async function orchardOnce(schedulers: number, hops: number): Promise<number> {
  const node = await startNode({ schedulers, workerEntry: ENTRY, watchdog: false });
  try {
    const ids = node.schedulers;
    const rings: Pid[] = [];
    for (let i = 0; i < RINGS; i++) rings.push(node.spawn('scalingRing', [SIZE, hops, node.pid], { scheduler: ids[i % ids.length]! }));
    for (let i = 0; i < RINGS; i++) await take(node, (m) => m?.ringReady !== undefined, 'ring ready');
    for (const r of rings) node.send(r, 'go');
    let start = Infinity;
    let end = 0;
    for (let i = 0; i < RINGS; i++) {
      const d = await take(node, (m) => m?.ringDone !== undefined, 'ring done');
      start = Math.min(start, d.start);
      end = Math.max(end, d.end);
    }
    return end - start;
  } finally {
    node.stop();
  }
}

/** Wall ms for the same rings on the BEAM with `+S schedulers` (one run after a warm-up). */
function beamOnce(dir: string, schedulers: number): number {
  const r = spawnSync('erl', ['-pa', dir, '+S', String(schedulers), '-noshell', '-run', 'scaling', 'main', String(RINGS), String(SIZE), String(HOPS), '1'], {
    encoding: 'utf8', timeout: 120_000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || line === undefined) throw new Error(`scaling.erl +S ${schedulers} failed: ${r.stderr || r.error?.message || r.stdout}`);
  return (JSON.parse(line) as { value: number }).value;
}

const hasErl = spawnSync('erlc', ['-version'], { stdio: 'ignore' }).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'scaling-erl-'));
try {
  if (hasErl) {
    const c = spawnSync('erlc', ['-o', dir, ERL], { encoding: 'utf8' });
    if (c.status !== 0) throw new Error(`erlc ${ERL} failed: ${c.stderr}`);
  } else {
    note('erl/erlc not found: the BEAM side of scaling_2x is skipped');
  }
  // The JIT's turn, and the workers' first start.
  await orchardOnce(2, HOPS / 10);
  const ours: number[] = [];
  const beams: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const one = await orchardOnce(1, HOPS);
    const two = await orchardOnce(2, HOPS);
    const speedup = one / two;
    ours.push(speedup);
    let line = `round ${i + 1}: orchard ${one.toFixed(0)} ms on 1, ${two.toFixed(0)} ms on 2: ${speedup.toFixed(2)}x`;
    if (hasErl) {
      const b1 = beamOnce(dir, 1);
      const b2 = beamOnce(dir, 2);
      beams.push(b1 / b2);
      ratios.push(speedup / (b1 / b2));
      line += `; beam ${b1.toFixed(0)} ms with +S 1, ${b2.toFixed(0)} ms with +S 2: ${(b1 / b2).toFixed(2)}x`;
    }
    note(line);
  }
  const workload = { rings: RINGS, ringSize: SIZE, hopsPerRing: HOPS, form: 'generator' };
  emit({ bench: 'scaling_2x', value: round(median(ours)), unit: 'x', samples: ours.map(round), measures: 'wall time on 1 scheduler / on 2 schedulers (worker threads)', ...workload });
  if (hasErl) {
    emit({ bench: 'scaling_2x_beam', value: round(median(beams)), unit: 'x', runtime: 'beam', samples: beams.map(round), measures: 'wall time with +S 1 / with +S 2', ...workload });
    emit({ bench: 'scaling_2x_vs_beam', value: round(median(ratios)), unit: 'x beam', samples: ratios.map(round), target: '>= 0.9', measures: "Orchard's speed-up / BEAM's, per round" });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
