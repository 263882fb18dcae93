/**
 * What each Load chart plots, read from the store's History as uPlot's aligned arrays
 * ([x, y1, y2, …]), limited to the visible time window.
 */
import type { History } from '../../store/History.ts';
import type { RingBuffer } from '../../store/RingBuffer.ts';

export interface SeriesDef {
  label: string;
  color: string;
}

export interface ChartDef {
  id: string;
  title: string;
  /** Formats a y value for the axis and the legend. */
  unit: (v: number) => string;
  series(h: History): SeriesDef[];
  values(h: History, from: number): number[][];
  /** y range floor/ceiling, e.g. utilization is 0..1. */
  range?: [number, number];
  /** Without `range`, the y axis reaches at least this high (default 1). */
  minCeiling?: number;
  /** Why the chart has nothing to draw, when the runtime does not report its values; else null. */
  unavailable?: (h: History) => string | null;
}

const PALETTE = ['#7fbf6a', '#6aa7e0', '#e5b45a', '#b58be0', '#e0625a', '#5fc7c0', '#d88fb5', '#a3a86a'];

export const colorFor = (i: number): string => PALETTE[i % PALETTE.length]!;

/** Index of the first sample at or after `t` seconds (times only grow). */
export function firstIndexAtOrAfter(time: RingBuffer, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time.at(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const perScheduler = (map: Map<number, RingBuffer>): SeriesDef[] =>
  [...map.keys()].sort((a, b) => a - b).map((id, i) => ({ label: `Scheduler ${id}`, color: colorFor(i) }));

const perSchedulerValues = (map: Map<number, RingBuffer>, from: number): number[][] =>
  [...map.entries()].sort((a, b) => a[0] - b[0]).map(([, buf]) => buf.toArray(from));

const count = (v: number) =>
  v >= 10_000 ? `${(v / 1000).toFixed(0)}k` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : Number.isInteger(v) ? String(v) : v.toFixed(1);
const MIB = 1024 * 1024;
const mib = (v: number) => (v === 0 ? '0' : v < 1 ? `${Math.round(v * 1024)} KiB` : `${v >= 10 ? Math.round(v) : v.toFixed(1)} MiB`);

export const CHARTS: ChartDef[] = [
  {
    id: 'utilization',
    title: 'Scheduler utilization',
    unit: (v) => `${Math.round(v * 100)}%`,
    range: [0, 1],
    series: (h) => perScheduler(h.utilization),
    values: (h, from) => [h.time.toArray(from), ...perSchedulerValues(h.utilization, from)],
  },
  {
    id: 'runQueue',
    title: 'Run queues',
    unit: count,
    series: (h) => perScheduler(h.runQueue),
    values: (h, from) => [h.time.toArray(from), ...perSchedulerValues(h.runQueue, from)],
  },
  {
    id: 'throughput',
    title: 'Messages and reductions per second',
    unit: count,
    series: () => [
      { label: 'Messages/s', color: colorFor(1) },
      { label: 'Reductions/s', color: colorFor(2) },
    ],
    values: (h, from) => [h.time.toArray(from), h.messagesPerSecond.toArray(from), h.reductionsPerSecond.toArray(from)],
  },
  {
    id: 'processes',
    title: 'Processes',
    unit: count,
    series: () => [{ label: 'Processes', color: colorFor(0) }],
    values: (h, from) => [h.time.toArray(from), h.processes.toArray(from)],
  },
  {
    id: 'memory',
    title: 'Process memory (estimated)',
    // Plotted in MiB: uPlot picks decimal ticks, which read badly as raw bytes.
    unit: mib,
    minCeiling: 1 / 64,
    series: () => [{ label: 'Memory', color: colorFor(3) }],
    values: (h, from) => [h.time.toArray(from), h.memory.toArray(from).map((b) => b / MIB)],
  },
  {
    id: 'heap',
    title: 'JS heap (where the browser tells it)',
    unit: mib,
    series: () => [
      { label: 'Used', color: colorFor(5) },
      { label: 'Reserved', color: colorFor(7) },
    ],
    values: (h, from) => [h.time.toArray(from), h.heapUsed.toArray(from).map((b) => b / MIB), h.heapTotal.toArray(from).map((b) => b / MIB)],
    unavailable: (h) =>
      h.time.length > 0 && Number.isNaN(h.heapUsed.last() ?? NaN)
        ? 'The runtime reports no JS heap: browsers other than Chromium have no performance.memory to read it from (Node has process.memoryUsage), so this chart stays empty here.'
        : null,
  },
];
