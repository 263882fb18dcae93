/**
 * The benchmark runner: `npm run bench [-- NAME ...] [--beam] [--alternate N] [--list]`.
 *
 * Convention (a new group is one new file; nothing here needs editing):
 *
 * - A benchmark group is a standalone script `test/bench/<group>.bench.ts`. Its first line is
 *   `// benches: name1 name2 ...`, the names of the results it prints. An optional
 *   `// timeout: SECONDS` among its first lines replaces the default limit (300 s).
 * - The runner starts each group in its own process, one after the other:
 *       node --expose-gc --import ./test/bench/lib/register.mjs test/bench/<group>.bench.ts [NAME ...]
 *   register.mjs transpiles TypeScript with esbuild as the app's build does (tsx is used
 *   instead, with a warning, if esbuild cannot be found, or when BENCH_LOADER=tsx). The NAMEs
 *   asked for on the command line are passed on; a group may run only those (lib/report.ts
 *   `wanted`) or ignore them and run everything.
 * - A group prints one JSON line per result on stdout, and nothing else there:
 *       {"bench":"ring_1k_x_1k","value":7102403,"unit":"msgs/s","samples":[...]}
 *   `value` is the median of several measurements made inside the group; `samples` lists them.
 *   Optional fields the runner reads: `runtime` (default "orchard"), `target` ("<= 0.5",
 *   ">= 5000000", or "<= beam" for BEAM's figure in the same run: the goal the result is held
 *   to), `goal` (its id in
 *   ../shared/research/runtime-perf-anchors.md) and `beam` (the BEAM bench to compare with,
 *   when the name differs). Any other field is passed through. Progress goes to stderr.
 *   Browser benchmarks (Playwright driving Chromium) follow the same convention.
 * - `npm run bench` runs every group; `npm run bench -- NAME` only the groups that declare NAME
 *   or are called NAME. The whole run must stay under 10 minutes on a 2-core machine.
 * - `--beam` also compiles and runs ../shared/anchors/beam_anchor.erl (BEAM with one
 *   scheduler, `+S 1`) in the same run, BEAM_RUNS times (default 3), prints its medians as
 *   JSON lines with "runtime":"beam", and a side-by-side table on stderr.
 * - `--alternate N` (implies `--beam`) runs each selected group and then the BEAM anchor once, N
 *   rounds (core, BEAM, behaviours, BEAM, ...), so that both sides meet the same load on a shared
 *   machine. Each figure is the median of its N rounds. A line with a `beam_target` (e.g.
 *   "<= 0.75": Orchard's value divided by BEAM's) then also gets a ratio line,
 *   {"bench":"<name>_vs_beam","value":<median of the N per-round ratios>,"unit":"x beam",
 *   "target":<beam_target>,...}, in the table with the others.
 *
 * Groups run with NODE_ENV=production unless it is set: they measure what production builds run.
 *
 * stdout carries the JSON lines only; tables, progress and errors go to stderr. The exit
 * status is 1 when a group failed or timed out (a missed target is reported, not a failure).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Group {
  name: string;
  file: string;
  benches: string[];
  timeoutS: number;
}

interface Line {
  bench: string;
  value: number;
  unit: string;
  runtime?: string;
  target?: string;
  beam?: string;
  [extra: string]: unknown;
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '../..');
const BEAM_ANCHOR = findAnchor();
const DEFAULT_TIMEOUT_S = 300;
const BEAM_TIMEOUT_S = 120;
const BUDGET_S = 600;

const log = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/**
 * ../shared beside the repository; from a linked worktree (git worktree add elsewhere), beside
 * the main checkout, found through git's common directory.
 */
function findAnchor(): string {
  const beside = resolve(ROOT, '../shared/anchors/beam_anchor.erl');
  if (existsSync(beside)) return beside;
  const git = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: ROOT, encoding: 'utf8' });
  const common = git.status === 0 ? git.stdout.trim() : '';
  const main = common === '' ? beside : resolve(dirname(common), '../shared/anchors/beam_anchor.erl');
  return existsSync(main) ? main : beside;
}

function readGroups(): Group[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => {
      const file = join(BENCH_DIR, f);
      const head = readFileSync(file, 'utf8').split('\n', 5);
      const declared = /^\/\/\s*benches:(.*)$/.exec(head[0] ?? '');
      if (declared === null) throw new Error(`${relative(ROOT, file)}: the first line must be "// benches: name1 name2 ..."`);
      const timeout = head.map((l) => /^\/\/\s*timeout:\s*(\d+)/.exec(l)).find((m) => m !== null);
      return {
        name: f.slice(0, -'.bench.ts'.length),
        file,
        benches: declared[1]!.trim().split(/\s+/).filter(Boolean),
        timeoutS: timeout ? Number(timeout[1]) : DEFAULT_TIMEOUT_S,
      };
    });
}

/** How a group script is started: esbuild transpilation (as the app ships), else tsx. */
function loaderArgs(): string[] {
  const register = ['--import', join(BENCH_DIR, 'lib/register.mjs')];
  if (process.env.BENCH_LOADER === 'tsx') return ['--import', 'tsx'];
  try {
    createRequire(join(ROOT, 'package.json')).resolve('esbuild');
    return register;
  } catch {
    log('bench: esbuild not found; running groups with tsx, whose keepNames adds bytes and time per closure');
    return ['--import', 'tsx'];
  }
}

let running: ChildProcess | null = null;

/** Kills the child's whole process group (a browser group's Chromium too). */
function killRunning(): void {
  const child = running;
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

process.on('SIGINT', () => {
  killRunning();
  process.exit(130);
});

/**
 * Runs one command to completion with a time limit, handing each stdout line to `onLine`.
 * Resolves with an error text, or null on success.
 */
function runChild(cmd: string, args: string[], timeoutS: number, onLine: (line: string) => void): Promise<string | null> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    running = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killRunning();
    }, timeoutS * 1000);
    let rest = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const l of lines) if (l.trim() !== '') onLine(l);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      running = null;
      done(e.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running = null;
      if (rest.trim() !== '') onLine(rest);
      if (timedOut) done(`timed out after ${timeoutS} s`);
      else if (code !== 0) done(`exited with ${code ?? signal}`);
      else done(null);
    });
  });
}

function parseLine(text: string): Line | null {
  try {
    const v = JSON.parse(text) as Line;
    return typeof v === 'object' && v !== null && typeof v.bench === 'string' && typeof v.value === 'number' ? v : null;
  } catch {
    return null;
  }
}

// --- BEAM ---

function hasCommand(cmd: string): boolean {
  const r = spawnSync(cmd, ['-version'], { stdio: 'ignore', input: '' });
  return !(r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT');
}

/** Runs beam_anchor.erl `runs` times with one scheduler; returns its medians as JSON lines. */
async function runBeam(runs: number): Promise<{ lines: Line[]; error: string | null }> {
  const r = await runBeamRounds(runs);
  return { lines: r.error === null ? mergeRounds(r.rounds, 'beam') : [], error: r.error };
}

/** Runs beam_anchor.erl `runs` times with one scheduler; returns each run's lines. */
async function runBeamRounds(runs: number): Promise<{ rounds: Line[][]; error: string | null }> {
  if (!hasCommand('erl') || !hasCommand('erlc')) {
    return { rounds: [], error: 'erl/erlc not found: BEAM side skipped (install Erlang, e.g. apt-get install -y erlang-nox)' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'beam_anchor-'));
  try {
    const c = spawnSync('erlc', ['-o', dir, BEAM_ANCHOR], { encoding: 'utf8' });
    if (c.status !== 0) return { rounds: [], error: `erlc ${BEAM_ANCHOR} failed: ${c.stderr || c.error?.message}` };
    const rounds: Line[][] = [];
    for (let i = 0; i < runs; i++) {
      const args = ['-pa', dir, '+S', '1', '+P', '4000000', '-noshell', '-s', 'beam_anchor', 'main'];
      const round: Line[] = [];
      const err = await runChild('erl', args, BEAM_TIMEOUT_S, (l) => {
        const v = parseLine(l);
        if (v === null) return log(`[beam] ${l}`);
        round.push(v);
      });
      if (err !== null) return { rounds: [], error: `beam_anchor ${err}` };
      rounds.push(round);
    }
    return { rounds, error: null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One line per bench from several rounds: the median of the rounds' values, each round's value
 * kept in `samples` (a round's own samples are dropped: its value is already their median).
 */
function mergeRounds(rounds: Line[][], runtime?: string): Line[] {
  const seen = new Map<string, Line[]>();
  for (const round of rounds) {
    for (const v of round) {
      const key = `${v.runtime ?? ''}|${v.bench}`;
      const list = seen.get(key) ?? [];
      list.push(v);
      seen.set(key, list);
    }
  }
  return [...seen.values()].map((vs): Line => {
    const samples = vs.map((v) => v.value);
    const { samples: _inner, ...first } = vs[0]!;
    return { ...first, value: median(samples), ...(runtime === undefined ? {} : { runtime }), samples, ...(rounds.length > 1 ? { rounds: rounds.length } : {}) };
  });
}

/**
 * For each bench with a `beam_target`: Orchard's value over BEAM's, pair by pair (`ours[i]` and
 * `beam[i]` ran one right after the other, under much the same load), and the median of those ratios.
 */
function ratioLines(ours: Line[][], beam: Line[][]): Line[] {
  const out: Line[] = [];
  const seen = new Set<string>();
  for (const l of ours.flat()) {
    const key = `${l.runtime ?? 'orchard'}|${l.bench}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (typeof l.beam_target !== 'string' || parseTarget(l.beam_target) === null) continue;
    const bName = typeof l.beam === 'string' ? l.beam : l.bench;
    const ratios: number[] = [];
    for (let i = 0; i < Math.min(ours.length, beam.length); i++) {
      const o = ours[i]!.find((x) => x.bench === l.bench && (x.runtime ?? 'orchard') === (l.runtime ?? 'orchard'));
      const b = beam[i]!.find((x) => x.bench === bName);
      if (o !== undefined && b !== undefined && b.value !== 0) ratios.push(o.value / b.value);
    }
    if (ratios.length === 0) continue;
    out.push({
      bench: `${l.bench}_vs_beam`, value: Number(median(ratios).toFixed(3)), unit: 'x beam', runtime: 'orchard', target: l.beam_target,
      samples: ratios.map((r) => Number(r.toFixed(3))), of: l.bench, against: bName, measures: `orchard ${l.bench} / beam ${bName}, per round`,
    });
  }
  return out;
}

// --- The table ---

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** `<op> <number>`, or `<op> beam`: held to BEAM's figure for the same bench in this run. */
function parseTarget(t: unknown): { op: string; n: number | 'beam' } | null {
  const m = typeof t === 'string' ? /^\s*(<=|>=|<|>)\s*([-+0-9.eE]+|beam)\s*$/.exec(t) : null;
  if (m === null) return null;
  return { op: m[1]!, n: m[2] === 'beam' ? 'beam' : Number(m[2]) };
}

function higherIsBetter(l: Line): boolean {
  const t = parseTarget(l.target);
  if (t !== null) return t.op.startsWith('>');
  return l.unit.endsWith('/s');
}

function meets(l: Line, beam: Line | undefined): string {
  const t = parseTarget(l.target);
  const n = t === null ? undefined : t.n === 'beam' ? beam?.value : t.n;
  if (t === null || n === undefined) return '—';
  const v = l.value;
  const ok = t.op === '<=' ? v <= n : t.op === '>=' ? v >= n : t.op === '<' ? v < n : v > n;
  return ok ? 'yes' : 'NO';
}

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(3);
}

function printTable(ours: Line[], beam: Line[] | null, beamFilter: (name: string) => boolean): void {
  const byName = new Map((beam ?? []).map((l) => [l.bench, l]));
  const used = new Set<string>();
  const header = beam === null ? ['bench', 'unit', 'orchard', 'target', 'met'] : ['bench', 'unit', 'orchard', 'beam', 'orchard/beam', 'vs BEAM', 'target', 'met'];
  const rows: string[][] = [];
  for (const l of ours) {
    // Lines measured for another library (peers.bench.ts) name it beside the bench.
    const who = typeof l.runtime === 'string' && l.runtime !== 'orchard' ? ` [${l.runtime}${typeof l.version === 'string' ? ` ${l.version}` : ''}]` : '';
    const row = [l.bench + who, l.unit, fmt(l.value)];
    const bName = typeof l.beam === 'string' ? l.beam : l.bench;
    const b = byName.get(bName);
    if (beam !== null) {
      if (b !== undefined) used.add(bName);
      const ratio = b === undefined ? undefined : l.value / b.value;
      const adv = ratio === undefined ? undefined : higherIsBetter(l) ? ratio : 1 / ratio;
      const vs = adv === undefined ? '—' : adv >= 1 ? `${adv.toFixed(2)}× better` : `${(1 / adv).toFixed(2)}× worse`;
      row.push(b === undefined ? '—' : `${fmt(b.value)}${bName === l.bench ? '' : ` (${bName})`}`, ratio === undefined ? '—' : ratio.toFixed(3), vs);
    }
    const t = parseTarget(l.target);
    const goal = typeof l.goal === 'string' ? ` (${l.goal})` : '';
    row.push(t === null ? '—' : `${t.op} ${t.n === 'beam' ? 'beam' : fmt(t.n)}${goal}`, meets(l, b));
    rows.push(row);
  }
  for (const b of beam ?? []) {
    if (used.has(b.bench) || !beamFilter(b.bench)) continue;
    rows.push([b.bench, b.unit, '—', fmt(b.value), '—', '—', '—', '—']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  log('');
  log(line(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) log(line(r));
  log('');
}

// --- Main ---

async function main(): Promise<number> {
  const t0 = performance.now();
  const argv = process.argv.slice(2);
  const names: string[] = [];
  const flags: string[] = [];
  let alternate = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^--alternate(?:=(.*))?$/.exec(a);
    if (eq !== null) {
      const text = eq[1] ?? argv[++i];
      alternate = Number(text);
      if (!Number.isInteger(alternate) || alternate < 1 || alternate > 50) {
        log(`bench: --alternate needs a number of rounds from 1 to 50, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
        return 2;
      }
    } else if (a.startsWith('-')) {
      flags.push(a);
    } else {
      names.push(a);
    }
  }
  const withBeam = flags.includes('--beam') || alternate > 0;
  const groups = readGroups();

  if (flags.includes('--list') || flags.includes('--help')) {
    log('usage: npm run bench [-- NAME ...] [--beam] [--alternate N] [--list]   (see test/bench/README.md)');
    for (const g of groups) log(`  ${g.name.padEnd(12)} ${g.benches.join(' ')}`);
    return 0;
  }
  const unknownFlags = flags.filter((a) => a !== '--beam');
  if (unknownFlags.length > 0) {
    log(`bench: unknown option ${unknownFlags.join(' ')} (known: --beam, --alternate N, --list)`);
    return 2;
  }

  const selected = names.length === 0 ? groups : groups.filter((g) => names.includes(g.name) || g.benches.some((b) => names.includes(b)));
  const known = new Set(groups.flatMap((g) => [g.name, ...g.benches]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) log(`bench: no group declares ${unknown.join(', ')}${withBeam ? ' (BEAM figures only, if the anchor has them)' : ''}`);
  if (selected.length === 0 && !withBeam) {
    log(`bench: nothing to run; groups: ${groups.map((g) => g.name).join(', ')}`);
    return 2;
  }

  /** The benches of a group that this run asks for. */
  const asked = (g: Group): string[] => (names.length === 0 || names.includes(g.name) ? g.benches : g.benches.filter((b) => names.includes(b)));
  const loader = loaderArgs();
  // Benchmarks measure what production builds run (Scheduler option freezeMessages off);
  // a bench that wants development behaviour asks for it (pingpong_rtt_dev).
  process.env.NODE_ENV ??= 'production';
  let failed = 0;
  /** One pass over the selected groups; prints their lines at once unless rounds are merged later. */
  const runGroups = async (print: boolean, only: Group[] = selected): Promise<Line[]> => {
    const lines: Line[] = [];
    for (const g of only) {
      log(`▶ ${g.name}: ${asked(g).join(' ')}`);
      const start = performance.now();
      const args = ['--expose-gc', ...loader, g.file, ...names];
      const err = await runChild(process.execPath, args, g.timeoutS, (l) => {
        const v = parseLine(l);
        if (v === null) return log(`[${g.name}] ${l}`);
        if (print) process.stdout.write(`${l}\n`);
        lines.push(v);
      });
      const took = ((performance.now() - start) / 1000).toFixed(1);
      if (err === null) log(`✓ ${g.name} ${took} s`);
      else {
        failed++;
        log(`✗ ${g.name}: ${err} (${took} s)`);
      }
    }
    return lines;
  };

  if (alternate > 0) return alternateRounds(alternate, selected, runGroups, () => failed, t0, names, selected.flatMap(asked));

  const ours = await runGroups(true);
  let beam: Line[] | null = null;
  let beamError: string | null = null;
  // With names, only the BEAM figures that face a selected bench or a name asked for.
  const wantedBeam = new Set([...names, ...selected.flatMap(asked), ...ours.map((l) => (typeof l.beam === 'string' ? l.beam : l.bench))]);
  const beamFilter = (n: string) => names.length === 0 || wantedBeam.has(n);
  if (withBeam) {
    const runs = Math.max(1, Number(process.env.BEAM_RUNS ?? 3) || 3);
    log(`▶ beam: ${relative(ROOT, BEAM_ANCHOR)}, erl +S 1, ${runs} runs`);
    const start = performance.now();
    const r = await runBeam(runs);
    beamError = r.error;
    if (r.error !== null) log(`✗ beam: ${r.error}`);
    else {
      log(`✓ beam ${((performance.now() - start) / 1000).toFixed(1)} s`);
      beam = r.lines.filter((l) => beamFilter(l.bench));
      for (const l of beam) process.stdout.write(`${JSON.stringify(l)}\n`);
    }
  }

  printTable(ours, withBeam ? (beam ?? []) : null, beamFilter);
  if (beamError !== null) log(`BEAM: ${beamError}`);
  const total = (performance.now() - t0) / 1000;
  log(`total wall time ${total.toFixed(1)} s${total > BUDGET_S ? ` — over the ${BUDGET_S} s budget` : ''}`);
  if (failed > 0) log(`${failed} group(s) failed`);
  return failed > 0 ? 1 : 0;
}

/**
 * `--alternate N`: each group, then one BEAM run right after it (so each ratio pairs two runs made
 * seconds apart), N rounds; the medians of the rounds, and for each line with a `beam_target` the
 * median of the per-round ratios.
 */
async function alternateRounds(
  n: number, groups: Group[], runGroups: (print: boolean, only: Group[]) => Promise<Line[]>, failures: () => number, t0: number, names: string[],
  asked: string[],
): Promise<number> {
  /** Per round: every group's lines, and the BEAM run that followed each group (paired below). */
  const rounds: Line[][] = [];
  const ours: Line[][] = [];
  const beam: Line[][] = [];
  let beamError: string | null = null;
  for (let i = 0; i < n; i++) {
    log(`● round ${i + 1} of ${n}`);
    const round: Line[] = [];
    for (const g of groups) {
      const lines = await runGroups(false, [g]);
      round.push(...lines);
      if (beamError !== null) continue;
      log(`▶ beam: ${relative(ROOT, BEAM_ANCHOR)}, erl +S 1`);
      const start = performance.now();
      const r = await runBeamRounds(1);
      beamError = r.error;
      if (r.error !== null) log(`✗ beam: ${r.error}`);
      else {
        log(`✓ beam ${((performance.now() - start) / 1000).toFixed(1)} s`);
        ours.push(lines);
        beam.push(r.rounds[0]!);
      }
    }
    rounds.push(round);
  }
  const merged = mergeRounds(rounds);
  const ratios = ratioLines(ours, beam);
  const wantedBeam = new Set([...names, ...asked, ...merged.map((l) => (typeof l.beam === 'string' ? l.beam : l.bench))]);
  const beamFilter = (name: string) => names.length === 0 || wantedBeam.has(name);
  const beamLines = mergeRounds(beam, 'beam').filter((l) => beamFilter(l.bench));
  for (const l of [...merged, ...ratios, ...beamLines]) process.stdout.write(`${JSON.stringify(l)}\n`);
  log(`\nmedians of ${n} alternating rounds (Orchard groups, then BEAM), ratios per round`);
  printTable([...merged, ...ratios], beamLines, beamFilter);
  if (beamError !== null) log(`BEAM: ${beamError}`);
  const total = (performance.now() - t0) / 1000;
  log(`total wall time ${total.toFixed(1)} s${total > BUDGET_S ? ` — over the ${BUDGET_S} s budget` : ''}`);
  if (failures() > 0) log(`${failures()} group(s) failed`);
  return failures() > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
