/**
 * Chart history: one ring buffer per series, all the same length, so index i of every series
 * is the same instant. A sample is taken at most once per `sampleMs` of runtime time, which
 * is the Load view's "sample rate"; the capacity covers the longest time window at the
 * fastest rate.
 */
import type { NodeStats, SchedulerRow } from '../protocol.ts';
import { RingBuffer } from './RingBuffer.ts';
import { NodeRates } from './slidingRate.ts';

export const HISTORY_CAPACITY = 6_000; // 10 minutes at 10 samples per second

export class History {
  readonly time = new RingBuffer(HISTORY_CAPACITY); // seconds since the epoch (uPlot's x unit)
  readonly processes = new RingBuffer(HISTORY_CAPACITY);
  /** The runtime's estimate of its processes' memory, bytes. */
  readonly memory = new RingBuffer(HISTORY_CAPACITY);
  /** The JS heap in use and reserved, bytes, where the host tells it (NaN otherwise). */
  readonly heapUsed = new RingBuffer(HISTORY_CAPACITY);
  readonly heapTotal = new RingBuffer(HISTORY_CAPACITY);
  readonly reductionsPerSecond = new RingBuffer(HISTORY_CAPACITY);
  readonly messagesPerSecond = new RingBuffer(HISTORY_CAPACITY);
  /** Per scheduler id; a scheduler that appears later is NaN before it existed. */
  readonly utilization = new Map<number, RingBuffer>();
  readonly runQueue = new Map<number, RingBuffer>();
  /** Reductions and messages per second over a sliding second, fed every tick (not only per sample). */
  readonly rates = new NodeRates();
  sampleMs = 500;
  private lastAt = -Infinity;

  /** Records a sample if `sampleMs` has passed since the last one. Returns whether it did. */
  sample(at: number, node: NodeStats, schedulers: readonly SchedulerRow[]): boolean {
    this.rates.update(at, node, schedulers);
    if (at - this.lastAt < this.sampleMs) return false;
    this.lastAt = at;
    const n = this.time.length;
    this.time.push(at / 1000);
    this.processes.push(node.processes);
    this.memory.push(node.memory.processes);
    this.heapUsed.push(node.memory.heap ?? NaN);
    this.heapTotal.push(node.memory.total ?? NaN);
    this.reductionsPerSecond.push(this.rates.reductionsPerSecond(at));
    this.messagesPerSecond.push(this.rates.messagesPerSecond(at));
    const seen = new Set<number>();
    for (const s of schedulers) {
      seen.add(s.id);
      seriesFor(this.utilization, s.id, n).push(s.utilization);
      seriesFor(this.runQueue, s.id, n).push(s.runQueue);
    }
    for (const [id, buf] of this.utilization) if (!seen.has(id)) buf.push(NaN);
    for (const [id, buf] of this.runQueue) if (!seen.has(id)) buf.push(NaN);
    return true;
  }

  clear(): void {
    this.lastAt = -Infinity;
    this.rates.clear();
    for (const b of [this.time, this.processes, this.memory, this.heapUsed, this.heapTotal, this.reductionsPerSecond, this.messagesPerSecond]) b.clear();
    this.utilization.clear();
    this.runQueue.clear();
  }
}

function seriesFor(map: Map<number, RingBuffer>, id: number, backfill: number): RingBuffer {
  let buf = map.get(id);
  if (buf === undefined) {
    buf = new RingBuffer(HISTORY_CAPACITY);
    for (let i = 0; i < Math.min(backfill, HISTORY_CAPACITY); i++) buf.push(NaN);
    map.set(id, buf);
  }
  return buf;
}
