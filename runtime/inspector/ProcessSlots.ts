/**
 * What one view remembers of each live process, in columns (typed arrays) indexed by a slot:
 * the counters last read, the row's last change, whether the inspector has the row. A view of a
 * million processes keeps a million slots, so nothing here allocates per process, and a process
 * is found from its pid number through an open-addressing table (linear probing), not a Map
 * keyed by the record: a million-entry Map costs a few cache misses and some hundreds of ns a
 * lookup, and a tick with 10,000 changed processes looks up each of them twice.
 *
 * Pids that are alive at once have mostly consecutive numbers, so they fall in consecutive
 * buckets: a lookup reads one bucket and one slot. Deletion shifts the probe run back (no
 * tombstones), so lookups stay short however many processes come and go.
 */
import type { Process } from '../core/Process.ts';

const EMPTY = -1;

/** `<0.N.S>` as one number, N·1024 + S (a scheduler index is below 1024). */
function pidKey(pid: string): number {
  let i = pid.indexOf('.') + 1;
  let n = 0;
  for (let c = pid.charCodeAt(i); c >= 48 && c <= 57; c = pid.charCodeAt(++i)) n = n * 10 + (c - 48);
  let s = 0;
  for (let c = pid.charCodeAt(++i); c >= 48 && c <= 57; c = pid.charCodeAt(++i)) s = s * 10 + (c - 48);
  return n * 1024 + s;
}

export class ProcessSlots {
  /** The process in each slot; null for a free slot. */
  procs: Array<Process | null> = [];
  reductions = new Float64Array(0);
  /** Reductions in the last interval. */
  delta = new Float64Array(0);
  memory = new Float64Array(0);
  /** The sort key last given to the ranking. */
  key = new Float64Array(0);
  /** The tick in which it last changed. */
  changedAt = new Int32Array(0);
  scheduler = new Int32Array(0);
  /** 1 while the inspector holds this process's row (sent, and not removed since). */
  known = new Uint8Array(0);

  private readonly free: number[] = [];
  private count = 0;
  private bucketKeys = new Float64Array(1024).fill(EMPTY);
  private bucketSlots = new Int32Array(1024);
  private mask = 1023;

  get size(): number {
    return this.count;
  }

  /** Makes room for `n` processes at once (a snapshot knows how many there are), instead of growing by doubling. */
  reserve(n: number): void {
    if (n > this.reductions.length) this.growColumns(n);
    let capacity = this.mask + 1;
    while (capacity < 2 * n) capacity *= 2;
    if (capacity > this.mask + 1) this.rehash(capacity);
  }

  /** The slot of `p`, or -1. */
  find(p: Process): number {
    const key = pidKey(p.pid);
    const { bucketKeys, mask } = this;
    for (let b = this.home(key); ; b = (b + 1) & mask) {
      const k = bucketKeys[b]!;
      if (k === EMPTY) return -1;
      if (k === key) {
        const slot = this.bucketSlots[b]!;
        return this.procs[slot] === p ? slot : -1;
      }
    }
  }

  /** A slot for `p`, which must not have one; its columns start at 0. */
  add(p: Process, scheduler: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.procs.length;
      this.procs.push(p);
      if (slot >= this.reductions.length) this.growColumns(slot + 1);
    } else {
      this.procs[slot] = p;
    }
    this.reductions[slot] = 0;
    this.delta[slot] = 0;
    this.memory[slot] = 0;
    this.key[slot] = 0;
    this.changedAt[slot] = 0;
    this.scheduler[slot] = scheduler;
    this.known[slot] = 0;
    if (++this.count * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    this.insert(pidKey(p.pid), slot);
    return slot;
  }

  delete(slot: number): void {
    const p = this.procs[slot];
    if (p == null) return;
    const key = pidKey(p.pid);
    const { bucketKeys, bucketSlots, mask } = this;
    let b = this.home(key);
    while (!(bucketKeys[b] === key && bucketSlots[b] === slot)) b = (b + 1) & mask;
    // Backward-shift deletion: move later entries of the run into the hole when their home allows.
    let hole = b;
    for (let j = (hole + 1) & mask; bucketKeys[j] !== EMPTY; j = (j + 1) & mask) {
      const h = this.home(bucketKeys[j]!);
      const between = hole <= j ? h > hole && h <= j : h > hole || h <= j;
      if (between) continue;
      bucketKeys[hole] = bucketKeys[j]!;
      bucketSlots[hole] = bucketSlots[j]!;
      hole = j;
    }
    bucketKeys[hole] = EMPTY;
    this.procs[slot] = null;
    this.free.push(slot);
    this.count--;
    if (this.count * 8 < this.mask + 1 && this.mask + 1 > 1024) this.rehash((this.mask + 1) / 2);
  }

  clear(): void {
    this.procs = [];
    this.free.length = 0;
    this.count = 0;
    this.bucketKeys = new Float64Array(1024).fill(EMPTY);
    this.bucketSlots = new Int32Array(1024);
    this.mask = 1023;
  }

  /** Consecutive pid numbers get consecutive buckets; schedulers are spread apart. */
  private home(key: number): number {
    return (Math.floor(key / 1024) + Math.imul(key % 1024, 0x61c88647)) & this.mask;
  }

  private insert(key: number, slot: number): void {
    const { bucketKeys, mask } = this;
    let b = this.home(key);
    while (bucketKeys[b] !== EMPTY) b = (b + 1) & mask;
    bucketKeys[b] = key;
    this.bucketSlots[b] = slot;
  }

  private rehash(capacity: number): void {
    const keys = this.bucketKeys;
    const slots = this.bucketSlots;
    this.bucketKeys = new Float64Array(capacity).fill(EMPTY);
    this.bucketSlots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let b = 0; b < keys.length; b++) if (keys[b] !== EMPTY) this.insert(keys[b]!, slots[b]!);
  }

  private growColumns(min: number): void {
    let size = Math.max(64, this.reductions.length * 2);
    while (size < min) size *= 2;
    const grow = <A extends Float64Array | Int32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.reductions = grow(this.reductions, (n) => new Float64Array(n));
    this.delta = grow(this.delta, (n) => new Float64Array(n));
    this.memory = grow(this.memory, (n) => new Float64Array(n));
    this.key = grow(this.key, (n) => new Float64Array(n));
    this.changedAt = grow(this.changedAt, (n) => new Int32Array(n));
    this.scheduler = grow(this.scheduler, (n) => new Int32Array(n));
    this.known = grow(this.known, (n) => new Uint8Array(n));
  }
}
