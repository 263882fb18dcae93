/**
 * The process table: one scheduler's live processes, found by pid. It is looked up on every
 * send and filled and emptied on every spawn and exit, so it is an array of records indexed by
 * the pid's number (N in `<0.N.S>`) modulo a power-of-two capacity, rather than a Map: a Map
 * that grows and shrinks by hundreds of thousands of entries spends its time rehashing.
 *
 * Pid numbers only increase (Erlang does not reuse a pid soon, and neither do we), so the
 * numbers alive at once mostly fall in a window narrower than the capacity and each gets its
 * own slot. A process whose slot is taken (a long-lived process whose number is congruent, or
 * a pid number reserved long ago for a spawn from another scheduler) goes to a small overflow
 * Map. The capacity doubles when the table holds more processes than it has slots (or the
 * overflow holds an eighth of that: the numbers are spread too wide) and halves when it is an
 * eighth full and has stayed so for as many exits as it has slots: a burst of
 * short-lived processes (spawn a hundred thousand, all exit) then pays for growing once, not for
 * shrinking step by step as they exit and growing again for the next burst. Beside each slot the low 32 bits
 * of its pid's number are kept (4 bytes, outside the JS heap), so that a resize moves processes
 * without reading their pids' text again: growing through a burst of spawns was a tenth of it.
 */
import { type Pid, pidNumber } from './pid.ts';
import type { Process } from './Process.ts';

const MIN_CAPACITY = 1024;

export class ProcessTable {
  private slots: Array<Process | undefined> = new Array(MIN_CAPACITY);
  /** The low 32 bits of each slot's pid number: a resize places the processes without reading their pids again. */
  private lows = new Int32Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  /** Processes whose slot was taken when they were added. */
  private readonly overflow = new Map<Pid, Process>();
  private count = 0;
  /** Deletes since the last resize: the table shrinks only after as many as it has slots. */
  private deletes = 0;

  get size(): number {
    return this.count;
  }

  /** Like Map's: anything that is not a live local pid (a dead one, a name, a number) finds nothing. */
  get(pid: Pid): Process | undefined {
    if (typeof pid !== 'string') return undefined;
    const p = this.slots[pidNumber(pid) & this.mask];
    if (p !== undefined && p.pid === pid) return p;
    return this.overflow.size === 0 ? undefined : this.overflow.get(pid);
  }

  has(pid: Pid): boolean {
    return this.get(pid) !== undefined;
  }

  /** Adds a process that is not in the table; `n` is its pid's number, when the caller has it. */
  add(p: Process, n: number = pidNumber(p.pid)): void {
    this.place(p, n);
    const capacity = this.mask + 1;
    if (++this.count > capacity || this.overflow.size > capacity >>> 3) this.resize(capacity * 2);
  }

  delete(pid: Pid): boolean {
    if (typeof pid !== 'string') return false;
    const i = pidNumber(pid) & this.mask;
    const p = this.slots[i];
    if (p !== undefined && p.pid === pid) this.slots[i] = undefined;
    else if (this.overflow.size === 0 || !this.overflow.delete(pid)) return false;
    const capacity = this.mask + 1;
    if (--this.count < capacity >>> 3 && capacity > MIN_CAPACITY && ++this.deletes > capacity) this.resize(capacity >>> 1);
    return true;
  }

  /**
   * The live processes, as a snapshot taken now: a walk may spawn or end processes without
   * upsetting it; one that exits during the walk is still visited (its `alive` is false).
   * Order: by slot, not by spawn.
   */
  values(): IterableIterator<Process> {
    return this.all().values();
  }

  /** The live pids, as a snapshot taken now (see `values`). */
  keys(): IterableIterator<Pid> {
    return this.all()
      .map((p) => p.pid)
      .values();
  }

  private all(): Process[] {
    const out: Process[] = [];
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const p = slots[i];
      if (p !== undefined) out.push(p);
    }
    if (this.overflow.size !== 0) for (const p of this.overflow.values()) out.push(p);
    return out;
  }

  private place(p: Process, n: number): void {
    const i = n & this.mask;
    if (this.slots[i] === undefined) {
      this.slots[i] = p;
      this.lows[i] = n;
    } else {
      this.overflow.set(p.pid, p);
    }
  }

  private resize(capacity: number): void {
    const old = this.slots;
    const oldLows = this.lows;
    const spilled = this.overflow.size === 0 ? null : [...this.overflow.values()];
    this.slots = new Array(capacity);
    this.lows = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.deletes = 0;
    this.overflow.clear();
    for (let i = 0; i < old.length; i++) {
      const p = old[i];
      if (p !== undefined) this.place(p, oldLows[i]!);
    }
    if (spilled !== null) for (const p of spilled) this.place(p, pidNumber(p.pid));
  }
}
