/**
 * One timer structure per scheduler: a binary min-heap of deadlines with lazy deletion, and a
 * single host timer armed for the earliest one. `sendAfter`, receive timeouts and shutdown
 * timeouts all live here, never as one host `setTimeout` per process.
 */
import type { Clock } from './clock.ts';

export type TimerRef = number;

export interface Entry {
  at: number;
  id: TimerRef;
  /** Null once cancelled (handle timers) or fired. */
  fire: (() => void) | null;
}

export class TimerHeap {
  private heap: Entry[] = [];
  private live = new Map<TimerRef, Entry>();
  private seq = 0;
  private cancelled = 0;
  private handles = 0;
  private armedAt = Infinity;
  private handle: unknown = null;

  constructor(
    private readonly clock: Clock,
    /** Called from the host timer; runs due entries and lets the owner schedule work. */
    private readonly onDue: () => void,
  ) {}

  get size(): number {
    return this.live.size + this.handles;
  }

  add(ms: number, fire: () => void): TimerRef {
    const entry: Entry = { at: this.clock.now() + Math.max(0, ms), id: ++this.seq, fire };
    this.live.set(entry.id, entry);
    this.push(entry);
    // Re-arm the host timer only for an earlier deadline: most timers (call timeouts) are
    // cancelled long before they are due, and re-arming a host timer costs more than a heap push.
    if (entry.at < this.armedAt) this.arm();
    return entry.id;
  }

  /**
   * A timer without an id, cancelled through its entry: receive timeouts are armed and
   * cancelled on nearly every call, so they skip the id table.
   */
  addHandle(ms: number, fire: () => void): Entry {
    const entry: Entry = { at: this.clock.now() + Math.max(0, ms), id: 0, fire };
    this.handles++;
    this.push(entry);
    if (entry.at < this.armedAt) this.arm();
    return entry;
  }

  cancelHandle(entry: Entry): void {
    if (entry.fire === null) return;
    entry.fire = null;
    this.handles--;
    if (++this.cancelled > 1024 && this.cancelled > this.live.size + this.handles) this.compact();
  }

  /** Milliseconds left, or false when the timer has fired or was cancelled (erlang:cancel_timer/1). */
  cancel(id: TimerRef): number | false {
    const entry = this.live.get(id);
    if (!entry) return false;
    this.live.delete(id);
    // Cancelled entries stay in the heap until they surface; compact when they dominate.
    entry.fire = null;
    if (++this.cancelled > 1024 && this.cancelled > this.live.size + this.handles) this.compact();
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
      const fire = entry.fire;
      if (fire === null) {
        this.cancelled--;
        continue;
      }
      entry.fire = null;
      if (entry.id === 0) this.handles--;
      else this.live.delete(entry.id);
      fired++;
      fire();
    }
    this.arm();
    return fired;
  }

  private arm(): void {
    // Drop cancelled entries at the top so the host timer is armed for a live deadline.
    while (this.heap.length > 0 && this.heap[0]!.fire === null) {
      this.pop();
      this.cancelled--;
    }
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

  private compact(): void {
    const old = this.heap;
    this.heap = [];
    this.cancelled = 0;
    for (const entry of old) if (entry.fire !== null) this.push(entry);
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
