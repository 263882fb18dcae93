/**
 * Spawning on another scheduler returns the new pid at once, as spawn does: each scheduler
 * reserves blocks of its pid numbers for every other scheduler (and for the node), which
 * spawn under them without a round trip. `PidPool` is the spawner's side of a reservation,
 * `GrantLedger` the owner's.
 */

/** Pid numbers a scheduler reserved for spawns from here, used in grant order. */
export class PidPool {
  /** Flat [next, end) pairs, oldest first. */
  private ranges: number[] = [];
  /** Numbers taken since the last request for more: how big the next grant should be. */
  takenSinceRequest = 0;
  requested = false;

  add(first: number, count: number): void {
    this.ranges.push(first, first + count);
    this.requested = false;
  }

  get available(): number {
    let n = 0;
    for (let i = 0; i < this.ranges.length; i += 2) n += this.ranges[i + 1]! - this.ranges[i]!;
    return n;
  }

  take(): number | null {
    const r = this.ranges;
    while (r.length > 0) {
      if (r[0]! < r[1]!) {
        this.takenSinceRequest++;
        return r[0]!++;
      }
      r.splice(0, 2);
    }
    return null;
  }
}

/**
 * The blocks this scheduler reserved for one spawner. A spawner takes numbers in order and its
 * spawns arrive in order, so everything after the last spawned number is yet to come: a signal
 * for such a pid (sent by a third scheduler that learned the pid first) waits for its spawn
 * instead of finding no process.
 */
export class GrantLedger {
  private ranges: number[] = [];
  /** The last number spawned from `ranges[0..1]`. */
  private last = -1;

  grant(first: number, count: number): void {
    this.ranges.push(first, first + count);
  }

  spawned(n: number): void {
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (n >= r[i]! && n < r[i + 1]!) {
        if (i > 0) r.splice(0, i);
        this.last = n;
        return;
      }
    }
  }

  willSpawn(n: number): boolean {
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (n >= r[i]! && n < r[i + 1]!) return i > 0 || n > this.last;
    }
    return false;
  }
}
