/**
 * A single-producer single-consumer ring of byte records in a SharedArrayBuffer, one per
 * direction between two schedulers when the page is cross-origin isolated (DESIGN decision 6).
 * The reference design is padenot's wait-free SPSC ring (https://blog.paul.cx/post/a-wait-free-spsc-ringbuffer-for-the-web/):
 * the producer alone moves `tail`, the consumer alone moves `head`, both with Atomics, so
 * neither ever waits for the other.
 *
 * A record is a 4-byte length and its payload, 4-byte aligned, never split: a record that
 * does not fit before the end starts again at 0 behind a WRAP marker. The ring keeps 4 bytes
 * free so that `head === tail` always means empty.
 *
 * Waking the consumer is the producer's job: a consumer that finds the ring empty raises
 * `sleeping`; a producer that finds it raised lowers it and tells the consumer (over the
 * MessagePort, see PeerLink), so an idle receiver costs one message and a busy one none.
 */

const HEAD = 0;
const TAIL = 1;
const SLEEPING = 2;
const HEADER_BYTES = 64;
const WRAP = 0xffffffff;

export class SharedRing {
  readonly capacity: number;
  private readonly header: Int32Array;
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.capacity = buffer.byteLength - HEADER_BYTES;
    this.bytes = new Uint8Array(buffer, HEADER_BYTES, this.capacity);
    this.view = new DataView(buffer, HEADER_BYTES, this.capacity);
  }

  static create(capacity: number): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(HEADER_BYTES + Math.ceil(capacity / 8) * 8);
    // The consumer starts asleep: the first record wakes it.
    new Int32Array(buffer)[SLEEPING] = 1;
    return buffer;
  }

  // --- Producer ---

  /** Copies `payload[0, length)` in as one record; false when it does not fit now. */
  write(payload: Uint8Array, length: number): boolean {
    const c = this.capacity;
    const need = 4 + align4(length);
    const h = Atomics.load(this.header, HEAD);
    let t = this.header[TAIL]!;
    if (t >= h) {
      // Free: [t, c) and [0, h); a write must not make tail land on head.
      if (need < c - t || (need === c - t && h !== 0)) {
        // fits before the end
      } else if (need < h) {
        if (c - t >= 4) this.view.setUint32(t, WRAP);
        t = 0;
      } else {
        return false;
      }
    } else if (need >= h - t) {
      return false;
    }
    this.view.setUint32(t, length);
    this.bytes.set(length === payload.length ? payload : payload.subarray(0, length), t + 4);
    let next = t + need;
    if (next === c) next = 0;
    Atomics.store(this.header, TAIL, next);
    return true;
  }

  /** After a write: true when the consumer was asleep and must be told (it is awake now). */
  wakeNeeded(): boolean {
    return Atomics.load(this.header, SLEEPING) === 1 && Atomics.exchange(this.header, SLEEPING, 0) === 1;
  }

  // --- Consumer ---

  /**
   * The offset of the next record's payload (its length at `view.getUint32(offset - 4)`), or
   * -1 when the ring is empty. The record stays until `release`.
   */
  peek(): number {
    let h = this.header[HEAD]!;
    const t = Atomics.load(this.header, TAIL);
    if (h === t) return -1;
    if (this.capacity - h < 4 || this.view.getUint32(h) === WRAP) {
      h = 0;
      Atomics.store(this.header, HEAD, 0);
      if (h === t) return -1;
    }
    return h + 4;
  }

  /** Drops the record whose payload starts at `offset`. */
  release(offset: number): void {
    const length = this.view.getUint32(offset - 4);
    let next = offset + align4(length);
    if (next === this.capacity) next = 0;
    Atomics.store(this.header, HEAD, next);
  }

  /** Declares the consumer awake: producers post no wake-up. */
  wake(): void {
    Atomics.store(this.header, SLEEPING, 0);
  }

  /** Declares the consumer asleep; returns false when a record came in meanwhile (stay awake). */
  sleep(): boolean {
    Atomics.store(this.header, SLEEPING, 1);
    if (Atomics.load(this.header, TAIL) !== this.header[HEAD]) {
      Atomics.store(this.header, SLEEPING, 0);
      return false;
    }
    return true;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
