/**
 * A fixed-capacity ring of numbers for chart history. Pushing is O(1) and never allocates;
 * `toArray` copies oldest-first (the charts copy once per redraw, not once per sample).
 */
export class RingBuffer {
  private readonly data: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const end = (this.start + this.count) % this.capacity;
    this.data[end] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th value, oldest first. */
  at(i: number): number {
    return this.data[(this.start + i) % this.capacity] ?? NaN;
  }

  last(): number | undefined {
    return this.count === 0 ? undefined : this.at(this.count - 1);
  }

  /** Values from index `from` (oldest first) to the end. */
  toArray(from = 0): number[] {
    const out: number[] = [];
    for (let i = Math.max(0, from); i < this.count; i++) out.push(this.at(i));
    return out;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
