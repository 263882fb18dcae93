/**
 * The shown processes of a limited view: a min-heap on the sort key, so that a changed process
 * is re-ranked in O(log N) and one from outside displaces the lowest shown only when it beats
 * it. With N = 2,000 and 1,000 changes a tick that is some 11,000 comparisons, not a sort.
 *
 * Items are slots (small integers, see ProcessSlots.ts) and the heap lives in typed arrays, each
 * key beside its slot: with N = 200,000 a sift compares keys in one contiguous array instead of
 * reading a record per level from all over the heap (a cache miss each, which at 10,000 changes
 * a tick was most of the tick).
 */

/** What `offer` returns when it did not take the slot. */
export const NOT_TAKEN = -2;
/** What `offer` returns when it took the slot without evicting anyone. */
export const NONE = -1;

export class TopN {
  private slots = new Int32Array(64);
  private keys = new Float64Array(64);
  /** Heap position of each slot; -1 when not shown. */
  private pos = new Int32Array(64).fill(-1);
  private n = 0;

  constructor(public limit: number) {}

  get size(): number {
    return this.n;
  }

  has(slot: number): boolean {
    return slot < this.pos.length && this.pos[slot]! >= 0;
  }

  /** The shown slots, in heap order (a copy). */
  members(): Int32Array {
    return this.slots.slice(0, this.n);
  }

  /** The lowest shown key, or -Infinity when none is shown. */
  minKey(): number {
    return this.n === 0 ? -Infinity : this.keys[0]!;
  }

  /**
   * Offers a slot that is not shown: taken when there is room (returns NONE), or when its key
   * beats the lowest, which is then evicted and returned. Returns NOT_TAKEN otherwise.
   */
  offer(slot: number, key: number): number {
    this.fit(slot);
    if (this.n < this.limit) {
      if (this.n === this.slots.length) this.grow();
      const i = this.n++;
      this.slots[i] = slot;
      this.keys[i] = key;
      this.pos[slot] = i;
      this.up(i);
      return NONE;
    }
    if (this.n === 0 || key <= this.keys[0]!) return NOT_TAKEN;
    const low = this.slots[0]!;
    this.pos[low] = -1;
    this.slots[0] = slot;
    this.keys[0] = key;
    this.pos[slot] = 0;
    this.down(0);
    return low;
  }

  /** A shown slot's key changed (nothing happens for a slot that is not shown). */
  update(slot: number, key: number): void {
    if (!this.has(slot)) return;
    const i = this.pos[slot]!;
    const old = this.keys[i]!;
    this.keys[i] = key;
    if (key < old) this.up(i);
    else if (key > old) this.down(i);
  }

  remove(slot: number): void {
    if (!this.has(slot)) return;
    const i = this.pos[slot]!;
    this.pos[slot] = -1;
    const last = --this.n;
    if (i === last) return;
    this.slots[i] = this.slots[last]!;
    this.keys[i] = this.keys[last]!;
    this.pos[this.slots[i]!] = i;
    this.up(i);
    this.down(this.pos[this.slots[i]!]!);
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.pos[this.slots[i]!] = -1;
    this.n = 0;
  }

  private fit(slot: number): void {
    if (slot < this.pos.length) return;
    let size = this.pos.length * 2;
    while (size <= slot) size *= 2;
    const pos = new Int32Array(size).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
  }

  private grow(): void {
    const size = Math.min(Math.max(this.limit, 1), this.slots.length * 2);
    const slots = new Int32Array(size);
    slots.set(this.slots);
    const keys = new Float64Array(size);
    keys.set(this.keys);
    this.slots = slots;
    this.keys = keys;
  }

  private up(i: number): void {
    const { slots, keys, pos } = this;
    const slot = slots[i]!;
    const key = keys[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      slots[i] = slots[parent]!;
      keys[i] = keys[parent]!;
      pos[slots[i]!] = i;
      i = parent;
    }
    slots[i] = slot;
    keys[i] = key;
    pos[slot] = i;
  }

  private down(i: number): void {
    const { slots, keys, pos } = this;
    const n = this.n;
    const slot = slots[i]!;
    const key = keys[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      slots[i] = slots[child]!;
      keys[i] = keys[child]!;
      pos[slots[i]!] = i;
      i = child;
    }
    slots[i] = slot;
    keys[i] = key;
    pos[slot] = i;
  }
}
