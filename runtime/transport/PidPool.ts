/**
 * Spawning on another scheduler returns the new pid at once, as spawn does, without a round
 * trip, however many spawns one turn makes. A pid `<0.N.S>` belongs to scheduler S, so N must be
 * unique on S although a spawner elsewhere picks it. The number space of every scheduler is split
 * so that it can be:
 *
 *   N < LOCAL_PID_LIMIT (10^12)   S's own counter: its own spawns, and blocks of consecutive
 *                                 numbers it reserves for each spawner (`grant`, NodeOptions.grant
 *                                 at first, then as many as the spawner used since it last asked;
 *                                 refilled asynchronously, when half is used).
 *   N = LOCAL_PID_LIMIT           the range of spawner X (a scheduler id, or NODE = -1): X mints
 *       + (X + 1) · RANGE + k     these for S by itself, k = 1, 2, … (RANGE = 10^9 per pair),
 *                                 when its blocks from S have run out before the next arrived.
 *
 * Blocks keep pid numbers short and close to those S gives out itself (its process table is
 * indexed by them); the ranges make a burst of any size work, as in Erlang, where spawn never
 * fails for want of pids, at the price of long numbers (`<0.1001000000017.1>` is the 17th pid
 * scheduler 0 minted for scheduler 1). Scheduler ids are never reused, so ranges never are.
 * Running out (10^12 local spawns, 10^9 minted for one scheduler) is `system_limit`, as when
 * an Erlang node runs out of process slots.
 *
 * `PidPool` is the spawner's side, one per target scheduler; `GrantLedger` the owner's, one per
 * spawner: it tells a signal for a pid still to be spawned from one for a pid that is gone.
 */
import { LOCAL_PID_LIMIT, OrchardError } from '../core/index.ts';

/** The spawner id standing for the node itself in grant ledgers and pools. */
export const NODE = -1;

/** Pid numbers each spawner may mint for each other scheduler. */
const RANGE = 1e9;

/** The number before spawner `spawner`'s first minted one, on every scheduler. */
function rangeBase(spawner: number): number {
  return LOCAL_PID_LIMIT + (spawner + 1) * RANGE;
}

/**
 * Whose range pid number `n` is in, and where in it: `[spawner, k]`, or null for a number the
 * owner gave out itself.
 */
export function mintedBy(n: number): [spawner: number, k: number] | null {
  if (n < LOCAL_PID_LIMIT) return null;
  const spawner = Math.floor((n - LOCAL_PID_LIMIT) / RANGE) - 1;
  return [spawner, n - rangeBase(spawner)];
}

/** Pid numbers for spawns from here on one other scheduler: its blocks in grant order, then our range. */
export class PidPool {
  /** Flat [next, end) pairs, oldest first. */
  private ranges: number[] = [];
  /** How many numbers of our range on that scheduler were minted. */
  private minted = 0;
  /** Numbers taken since the last request for more: how big the next grant should be. */
  takenSinceRequest = 0;
  private requested = false;

  /** `spawner`: who takes from this pool (a scheduler id, or NODE). */
  constructor(private readonly spawner: number) {}

  add(first: number, count: number): void {
    this.ranges.push(first, first + count);
    this.requested = false;
  }

  /** Numbers left in the blocks granted. */
  get available(): number {
    let n = 0;
    for (let i = 0; i < this.ranges.length; i += 2) n += this.ranges[i + 1]! - this.ranges[i]!;
    return n;
  }

  /**
   * Whether to ask the owner for more now: when the blocks left are under half of `grant` and no
   * request is out. Then marks one out and returns what to ask with (the numbers taken since the
   * last); else null.
   */
  requestDue(grant: number): number | null {
    if (this.requested || this.available >= grant / 2) return null;
    this.requested = true;
    const used = this.takenSinceRequest;
    this.takenSinceRequest = 0;
    return used;
  }

  take(): number {
    this.takenSinceRequest++;
    const r = this.ranges;
    while (r.length > 0) {
      if (r[0]! < r[1]!) return r[0]!++;
      r.splice(0, 2);
    }
    const n = rangeBase(this.spawner) + this.minted + 1;
    if (this.minted === RANGE - 1 || n > Number.MAX_SAFE_INTEGER) {
      this.takenSinceRequest--;
      throw new OrchardError('system_limit', `system_limit: spawn: the pids scheduler ${this.spawner} may mint for another scheduler are used up`);
    }
    this.minted++;
    return n;
  }
}

/**
 * What one spawner may still spawn here. A spawner takes numbers in order and its spawns arrive
 * in order, so in its blocks, and in its range, everything after the last spawned number is yet
 * to come: a signal for such a pid (sent by a third scheduler that learned the pid first) waits
 * for its spawn instead of finding no process.
 */
export class GrantLedger {
  private ranges: number[] = [];
  /** The last number spawned from `ranges[0..1]`. */
  private last = -1;
  /** The last k spawned from the spawner's range. */
  private lastMinted = 0;

  grant(first: number, count: number): void {
    this.ranges.push(first, first + count);
  }

  spawned(n: number): void {
    const minted = mintedBy(n);
    if (minted !== null) {
      this.lastMinted = minted[1];
      return;
    }
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (n >= r[i]! && n < r[i + 1]!) {
        if (i > 0) r.splice(0, i);
        this.last = n;
        return;
      }
    }
  }

  /** Whether `n`, one of this ledger's blocks or the spawner's range, is still to be spawned. */
  willSpawn(n: number): boolean {
    const minted = mintedBy(n);
    if (minted !== null) return minted[1] > this.lastMinted;
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (n >= r[i]! && n < r[i + 1]!) return i > 0 || n > this.last;
    }
    return false;
  }
}
