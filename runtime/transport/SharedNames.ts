/**
 * Node-wide registered names in shared memory, when SharedArrayBuffer can be posted (a
 * cross-origin isolated page, or Node): one table that every scheduler and the node read and
 * write under a lock, so `register` decides at once and for the whole node, as in Erlang, and
 * a name is visible everywhere the moment it is taken. (Without shared memory, see
 * ReplicatedNames.)
 *
 * The table is open-addressed with linear probing. A slot holds its state, the name's hash,
 * the pid (its number and scheduler) and the name itself, up to MAX_NAME code units. The lock
 * is held for a few hundred nanoseconds and never while process code runs, so a worker
 * terminated by the watchdog cannot die holding it; the node still frees a lock held by a
 * scheduler it declared dead.
 */
import { type NameTable, OrchardError, type Pid, makePid, schedulerOf } from '../core/index.ts';
import type { NodeNameTable } from '../node/NodeNames.ts';

/** The longest registered name shared memory holds, in UTF-16 code units. */
export const MAX_NAME = 120;

const LOCK = 0;
const COUNT = 1;
const TOMBSTONES = 2;
const HEADER_INTS = 16;

const EMPTY = 0;
const USED = 1;
const TOMBSTONE = 2;

// A slot, in 32-bit words: state, hash, pid number (low and high 32 bits: pid numbers go past
// 2^32, see PidPool), pid scheduler, name length, then the name.
const S_STATE = 0;
const S_HASH = 1;
const S_N = 2;
const S_N_HIGH = 3;
const S_SCHED = 4;
const S_LEN = 5;
const S_NAME = 6;
const SLOT_WORDS = S_NAME + MAX_NAME / 2;
const TWO_32 = 2 ** 32;

export class SharedNames implements NameTable {
  private readonly ints: Int32Array;
  private readonly chars: Uint16Array;
  private readonly capacity: number;
  private readonly mask: number;
  /** Whether this thread may block on the lock (workers may; a page's main thread may not). */
  private readonly canWait: boolean;

  constructor(
    readonly buffer: SharedArrayBuffer,
    /** Who takes the lock: a scheduler id, or -1 for the node. */
    private readonly owner: number,
  ) {
    this.ints = new Int32Array(buffer);
    this.chars = new Uint16Array(buffer);
    this.capacity = (buffer.byteLength / 4 - HEADER_INTS) / SLOT_WORDS;
    this.mask = this.capacity - 1;
    this.canWait = owner >= 0;
  }

  /** A table for `capacity` names (rounded up to a power of two). */
  static create(capacity = 4096): SharedArrayBuffer {
    let c = 16;
    while (c < capacity * 2) c *= 2;
    return new SharedArrayBuffer((HEADER_INTS + c * SLOT_WORDS) * 4);
  }

  get(name: string): Pid | undefined {
    if (name.length > MAX_NAME) return undefined;
    this.lock();
    try {
      const slot = this.find(name, hash(name));
      return slot < 0 ? undefined : this.pidAt(slot);
    } finally {
      this.unlock();
    }
  }

  claim(name: string, pid: Pid): Pid | null {
    if (name.length > MAX_NAME) {
      throw new OrchardError('badarg', `badarg: register: names shared between schedulers have at most ${MAX_NAME} characters, '${name.slice(0, 20)}…' has ${name.length}`);
    }
    const h = hash(name);
    this.lock();
    try {
      const found = this.find(name, h);
      if (found >= 0) return this.pidAt(found);
      if (this.ints[COUNT]! + this.ints[TOMBSTONES]! + 1 > this.capacity / 2) this.rehash();
      if (this.ints[COUNT]! + 1 > this.capacity / 2) {
        throw new OrchardError('badarg', `badarg: register '${name}': the node's name table is full (${this.capacity / 2} names)`);
      }
      let i = h & this.mask;
      while (this.state(i) === USED) i = (i + 1) & this.mask;
      if (this.state(i) === TOMBSTONE) this.ints[TOMBSTONES]!--;
      this.write(i, name, h, pid);
      this.ints[COUNT]!++;
      return null;
    } finally {
      this.unlock();
    }
  }

  release(name: string, pid: Pid): void {
    if (name.length > MAX_NAME) return;
    this.lock();
    try {
      const slot = this.find(name, hash(name));
      if (slot >= 0 && this.pidAt(slot) === pid) this.remove(slot);
    } finally {
      this.unlock();
    }
  }

  names(): string[] {
    const out: string[] = [];
    this.lock();
    try {
      for (let i = 0; i < this.capacity; i++) if (this.state(i) === USED) out.push(this.nameAt(i));
    } finally {
      this.unlock();
    }
    return out;
  }

  entries(): Array<[string, Pid]> {
    const out: Array<[string, Pid]> = [];
    this.lock();
    try {
      for (let i = 0; i < this.capacity; i++) if (this.state(i) === USED) out.push([this.nameAt(i), this.pidAt(i)]);
    } finally {
      this.unlock();
    }
    return out;
  }

  /** The node, for a dead scheduler: frees its processes' names, and the lock if it held it. */
  forgetScheduler(id: number): void {
    Atomics.compareExchange(this.ints, LOCK, id + 2, 0);
    this.lock();
    try {
      for (let i = 0; i < this.capacity; i++) if (this.state(i) === USED && this.ints[this.base(i) + S_SCHED] === id) this.remove(i);
    } finally {
      this.unlock();
    }
  }

  // --- Table ---

  private base(i: number): number {
    return HEADER_INTS + i * SLOT_WORDS;
  }

  private state(i: number): number {
    return this.ints[this.base(i) + S_STATE]!;
  }

  private find(name: string, h: number): number {
    for (let i = h & this.mask, n = 0; n < this.capacity; i = (i + 1) & this.mask, n++) {
      const b = this.base(i);
      const st = this.ints[b + S_STATE];
      if (st === EMPTY) return -1;
      if (st === USED && this.ints[b + S_HASH] === h && this.ints[b + S_LEN] === name.length && this.nameIs(i, name)) return i;
    }
    return -1;
  }

  private nameIs(i: number, name: string): boolean {
    const c = (this.base(i) + S_NAME) * 2;
    for (let k = 0; k < name.length; k++) if (this.chars[c + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  private nameAt(i: number): string {
    const b = this.base(i);
    const c = (b + S_NAME) * 2;
    return String.fromCharCode.apply(null, this.chars.subarray(c, c + this.ints[b + S_LEN]!) as unknown as number[]);
  }

  private pidAt(i: number): Pid {
    const b = this.base(i);
    return makePid(this.ints[b + S_SCHED]!, this.ints[b + S_N_HIGH]! * TWO_32 + (this.ints[b + S_N]! >>> 0));
  }

  private write(i: number, name: string, h: number, pid: Pid): void {
    const b = this.base(i);
    this.ints[b + S_HASH] = h;
    const n = Number(pid.slice(3, pid.lastIndexOf('.')));
    this.ints[b + S_N] = n % TWO_32;
    this.ints[b + S_N_HIGH] = Math.floor(n / TWO_32);
    this.ints[b + S_SCHED] = schedulerOf(pid);
    this.ints[b + S_LEN] = name.length;
    const c = (b + S_NAME) * 2;
    for (let k = 0; k < name.length; k++) this.chars[c + k] = name.charCodeAt(k);
    this.ints[b + S_STATE] = USED;
  }

  private remove(i: number): void {
    this.ints[this.base(i) + S_STATE] = TOMBSTONE;
    this.ints[COUNT]!--;
    this.ints[TOMBSTONES]!++;
  }

  /** Re-inserts every name, clearing tombstones (probe chains stay short). */
  private rehash(): void {
    const live: Array<[string, number, Pid]> = [];
    for (let i = 0; i < this.capacity; i++) if (this.state(i) === USED) live.push([this.nameAt(i), this.ints[this.base(i) + S_HASH]!, this.pidAt(i)]);
    for (let i = 0; i < this.capacity; i++) this.ints[this.base(i) + S_STATE] = EMPTY;
    for (const [name, h, pid] of live) {
      let i = h & this.mask;
      while (this.state(i) === USED) i = (i + 1) & this.mask;
      this.write(i, name, h, pid);
    }
    this.ints[TOMBSTONES] = 0;
  }

  // --- Lock ---

  private lock(): void {
    const me = this.owner + 2;
    for (let spins = 0; Atomics.compareExchange(this.ints, LOCK, 0, me) !== 0; spins++) {
      if (this.canWait && spins > 100) Atomics.wait(this.ints, LOCK, Atomics.load(this.ints, LOCK), 1);
    }
  }

  private unlock(): void {
    Atomics.store(this.ints, LOCK, 0);
    Atomics.notify(this.ints, LOCK, 1);
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** The node's side of the shared table: nothing to arbitrate, every claim is already final. */
export class SharedNodeNames implements NodeNameTable {
  private readonly table: SharedNames;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.table = new SharedNames(buffer, -1);
  }

  get(name: string): Pid | undefined {
    return this.table.get(name);
  }

  names(): string[] {
    return this.table.names();
  }

  entries(): Array<[string, Pid]> {
    return [];
  }

  claimHere(name: string, pid: Pid): Pid | null {
    return this.table.claim(name, pid);
  }

  claimed(): void {}

  released(): void {}

  checked(): void {}

  schedulerDown(id: number): void {
    this.table.forgetScheduler(id);
  }
}
