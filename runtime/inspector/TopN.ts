/**
 * The shown processes of a limited view: a min-heap on the sort key, so that a changed process
 * is re-ranked in O(log N) and one from outside displaces the lowest shown only when it beats
 * it. With N = 2,000 and 1,000 changes a tick that is some 11,000 comparisons, not a sort.
 */

export interface Ranked {
  key: number;
  /** Position in the heap; -1 when not shown. */
  index: number;
}

export class TopN<T extends Ranked> {
  private readonly heap: T[] = [];

  constructor(public limit: number) {}

  get size(): number {
    return this.heap.length;
  }

  has(x: T): boolean {
    return x.index >= 0;
  }

  /** The lowest shown, or undefined when none. */
  min(): T | undefined {
    return this.heap[0];
  }

  /** Fills the heap at once from `items` (all of them must fit). */
  build(items: T[]): void {
    this.heap.length = 0;
    for (const x of items) {
      x.index = this.heap.length;
      this.heap.push(x);
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /**
   * Offers `x` (not shown): taken when there is room, or when it beats the lowest, which is then
   * evicted and returned. Returns `x` itself when it was not taken.
   */
  offer(x: T): T | null {
    if (this.heap.length < this.limit) {
      x.index = this.heap.length;
      this.heap.push(x);
      this.up(x.index);
      return null;
    }
    const low = this.heap[0];
    if (low === undefined || x.key <= low.key) return x;
    low.index = -1;
    x.index = 0;
    this.heap[0] = x;
    this.down(0);
    return low;
  }

  /** After a shown item's key changed. */
  update(x: T): void {
    if (x.index < 0) return;
    this.up(x.index);
    this.down(x.index);
  }

  remove(x: T): void {
    const i = x.index;
    if (i < 0) return;
    const last = this.heap.pop()!;
    x.index = -1;
    if (last === x) return;
    this.heap[i] = last;
    last.index = i;
    this.up(i);
    this.down(i);
  }

  clear(): void {
    for (const x of this.heap) x.index = -1;
    this.heap.length = 0;
  }

  private up(i: number): void {
    const h = this.heap;
    const x = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (p.key <= x.key) break;
      h[i] = p;
      p.index = i;
      i = parent;
    }
    h[i] = x;
    x.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const x = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && h[child + 1]!.key < h[child]!.key) child++;
      const c = h[child]!;
      if (c.key >= x.key) break;
      h[i] = c;
      c.index = i;
      i = child;
    }
    h[i] = x;
    x.index = i;
  }
}
