/**
 * One timer structure per scheduler: a binary min-heap of deadlines with lazy deletion, and a
 * single host timer armed for the earliest one. `sendAfter`, receive timeouts and shutdown
 * timeouts all live here, never as one host `setTimeout` per process.
 */
import type { Clock } from './clock.ts';

export type TimerRef = number;

interface Entry {
  at: number;
  id: TimerRef;
  fire: () => void;
}

export class TimerHeap {
  private heap: Entry[] = [];
  private live = new Map<TimerRef, Entry>();
  private seq = 0;
  private armedAt = Infinity;
  private handle: unknown = null;

  constructor(
    private readonly clock: Clock,
    /** Called from the host timer; runs due entries and lets the owner schedule work. */
    private readonly onDue: () => void,
  ) {}

  get size(): number {
    return this.live.size;
  }

  add(ms: number, fire: () => void): TimerRef {
    const entry: Entry = { at: this.clock.now() + Math.max(0, ms), id: ++this.seq, fire };
    this.live.set(entry.id, entry);
    this.push(entry);
    this.arm();
    return entry.id;
  }

  /** Milliseconds left, or false when the timer has fired or was cancelled (erlang:cancel_timer/1). */
  cancel(id: TimerRef): number | false {
    const entry = this.live.get(id);
    if (!entry) return false;
    this.live.delete(id);
    return Math.max(0, entry.at - this.clock.now());
  }

  remaining(id: TimerRef): number | false {
    const entry = this.live.get(id);
    return entry ? Math.max(0, entry.at - this.clock.now()) : false;
  }

  /** Runs every entry whose deadline has passed. Returns how many fired. */
  runDue(): number {
    const now = this.clock.now();
    let fired = 0;
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.at <= now) {
      const entry = this.pop();
      if (this.live.get(entry.id) !== entry) continue; // cancelled
      this.live.delete(entry.id);
      fired++;
      entry.fire();
    }
    this.arm();
    return fired;
  }

  private arm(): void {
    // Drop cancelled entries at the top so the host timer is armed for a live deadline.
    while (this.heap.length > 0 && this.live.get(this.heap[0]!.id) !== this.heap[0]) this.pop();
    const next = this.heap.length > 0 ? this.heap[0]!.at : Infinity;
    if (next === this.armedAt) return;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
    this.armedAt = next;
    if (next === Infinity) return;
    this.handle = this.clock.setTimeout(() => {
      this.handle = null;
      this.armedAt = Infinity;
      this.onDue();
    }, Math.max(0, next - this.clock.now()));
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(heap[parent]!, entry)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (before(last, heap[c]!)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}
