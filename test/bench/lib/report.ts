/**
 * What every benchmark group needs: one JSON line per result on stdout, medians of repeated
 * samples, a forced garbage collection, and the names the runner asked for. The line format is
 * the runner's contract (see run.ts); everything else a group prints goes to stderr.
 */

export interface Result {
  bench: string;
  value: number;
  unit: string;
  /** Who measured it: 'orchard' for this project, 'beam' for the Erlang anchor. */
  runtime?: string;
  samples?: number[];
  /** The goal this bench is held to, as `<op> <number>`, e.g. '>= 5000000' or '<= 0.5'. */
  target?: string;
  /** Where the target comes from (a goal id in ../shared/research/runtime-perf-anchors.md). */
  goal?: string;
  [extra: string]: unknown;
}

export function emit(result: Result): void {
  process.stdout.write(`${JSON.stringify({ ...result, runtime: result.runtime ?? 'orchard' })}\n`);
}

/** Progress and notes for the person watching; stdout stays JSON lines only. */
export function note(text: string): void {
  process.stderr.write(`  ${text}\n`);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rounds for printing without losing what matters (4 significant digits, at least integers kept). */
export function round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}

const gcFn = (globalThis as { gc?: () => void }).gc;

/** A full collection, twice, so that heap figures are live objects only. Needs node --expose-gc. */
export function gc(): void {
  if (gcFn === undefined) {
    throw new Error('global.gc is missing: run this script with node --expose-gc (npm run bench does)');
  }
  gcFn();
  gcFn();
}

export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/**
 * The bench names the runner asked for (its arguments after the script); empty means all.
 * A group runs only the benches asked for, or all of them when asked by its group name.
 */
export function wanted(group: string): (bench: string) => boolean {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (names.length === 0 || names.includes(group)) return () => true;
  return (bench) => names.includes(bench);
}
