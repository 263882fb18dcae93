/**
 * The run queue: processes ready to run, first in first out, as a ring buffer that doubles when
 * full. A process is pushed when it becomes runnable and taken from the front when its turn
 * comes; one that used up its budget is pushed again, to the back. An array with shift() would
 * move every element per turn; a ring moves none.
 */
import type { Process } from './Process.ts';

export class RunQueue {
  private ring: Array<Process | undefined> = new Array(1024);
  private head = 0;
  private tail = 0;
  private mask = 1023;

  get length(): number {
    return (this.tail - this.head) & this.mask;
  }

  get empty(): boolean {
    return this.head === this.tail;
  }

  push(p: Process): void {
    this.ring[this.tail] = p;
    this.tail = (this.tail + 1) & this.mask;
    if (this.tail === this.head) this.grow();
  }

  /** The front process; call only when not empty. */
  shift(): Process {
    const p = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    return p;
  }

  private grow(): void {
    const old = this.ring;
    const n = old.length;
    const next: Array<Process | undefined> = new Array(n * 2);
    for (let i = 0; i < n; i++) next[i] = old[(this.head + i) & this.mask];
    this.ring = next;
    this.head = 0;
    this.tail = n;
    this.mask = n * 2 - 1;
  }
}
