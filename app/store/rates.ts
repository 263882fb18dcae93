/**
 * Each process's reductions per second over a sliding one-second window (slidingRate.ts), where
 * the protocol's row carries the cumulative count and the last tick's difference (mostly 0 for
 * a process that runs now and then). Fed from every snapshot and delta in the runtime store; one
 * tracker per store, made on first use. The node's rates live in the store's History.
 */
import type { Pid } from '../protocol.ts';
import type { RuntimeState, RuntimeStore } from './runtimeStore.ts';
import { RATE_WINDOW_MS, SlidingRate } from './slidingRate.ts';

export interface ProcessRates {
  /** Reductions per second of one process, 0 when it has not run in the last second. */
  of(pid: Pid): number;
  /**
   * The processes whose count grew within the last window, oldest growth first: every other
   * process's rate is 0. With 100,000 rows and 1% running, the table orders these ~1,000 by
   * rate and the rest by pid, instead of reading a rate for every row.
   */
  growing(): Iterable<Pid>;
}

const trackers = new WeakMap<RuntimeStore, ProcessRates>();

export function processRates(runtime: RuntimeStore): ProcessRates {
  let t = trackers.get(runtime);
  if (t === undefined) trackers.set(runtime, (t = new RateTracker(runtime)));
  return t;
}

/**
 * The rates of a store that shows recorded moments in any order (the replay store): each
 * process's reductions in the tick before the moment shown (its row's `reductionsDelta`) over
 * that tick's length, `tickMs()`. A sliding window would need the moments before, which a
 * scrub backwards or a jump does not pass through.
 */
export function replayRates(runtime: RuntimeStore, tickMs: () => number): void {
  trackers.set(runtime, new TickRates(runtime, tickMs));
}

class TickRates implements ProcessRates {
  private seenRevision = -1;
  private moving: Pid[] = [];

  constructor(
    private readonly runtime: RuntimeStore,
    private readonly tickMs: () => number,
  ) {}

  of(pid: Pid): number {
    const d = this.runtime.getState().processes.get(pid)?.reductionsDelta ?? 0;
    return d > 0 ? Math.round((d * 1000) / Math.max(1, this.tickMs())) : 0;
  }

  growing(): Iterable<Pid> {
    const s = this.runtime.getState();
    if (s.revision !== this.seenRevision) {
      this.seenRevision = s.revision;
      this.moving = [];
      for (const [pid, row] of s.processes) if (row.reductionsDelta > 0) this.moving.push(pid);
    }
    return this.moving;
  }
}

class RateTracker implements ProcessRates {
  private readonly rates = new Map<Pid, SlidingRate>();
  /** When each process's count last grew, in that order (a Map keeps insertion order). */
  private readonly grewAt = new Map<Pid, number>();
  private seenRevision = -1;
  private seenSeq = -1;

  constructor(private readonly runtime: RuntimeStore) {
    // Every tick must be seen, not only those a view happens to read.
    runtime.subscribe((s) => this.sync(s));
    this.sync(runtime.getState());
  }

  of(pid: Pid): number {
    const s = this.sync(this.runtime.getState());
    return Math.round(this.rates.get(pid)?.rate(s.at) ?? 0);
  }

  growing(): Iterable<Pid> {
    const s = this.sync(this.runtime.getState());
    const since = s.at - RATE_WINDOW_MS;
    for (const [pid, at] of this.grewAt) {
      if (at > since) break;
      this.grewAt.delete(pid);
    }
    return this.grewAt.keys();
  }

  /** Takes the store's last change if not yet taken (a view may read before this tracker's listener ran). */
  private sync(s: RuntimeState): RuntimeState {
    if (s.revision === this.seenRevision) return s;
    // A new subscription (after a pause) or a new runtime: the old samples say nothing about now.
    if (s.seq < this.seenSeq || s.processes.size === 0) {
      this.rates.clear();
      this.grewAt.clear();
    }
    this.seenSeq = s.seq;
    this.seenRevision = s.revision;
    const { added, updated, removed, full } = s.lastChange;
    if (full) for (const [pid, row] of s.processes) this.sample(pid, s.at, row.reductions);
    else for (const pid of added.concat(updated)) this.sample(pid, s.at, s.processes.get(pid)?.reductions);
    for (const row of removed) {
      this.rates.delete(row.pid);
      this.grewAt.delete(row.pid);
    }
    return s;
  }

  private sample(pid: Pid, at: number, reductions: number | undefined): void {
    if (reductions === undefined) return;
    let r = this.rates.get(pid);
    if (r === undefined) this.rates.set(pid, (r = new SlidingRate()));
    else if (reductions > (r.last ?? reductions)) {
      this.grewAt.delete(pid); // re-inserted last: the Map's order is the order of growth
      this.grewAt.set(pid, at);
    }
    r.add(at, reductions);
  }
}
