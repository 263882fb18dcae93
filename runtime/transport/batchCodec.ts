/**
 * Batches as bytes, for the SharedArrayBuffer rings: the flat batch of wire.ts (`[ack, seq,
 * op, operands…]`) written as tagged values. It covers what messages between processes are
 * made of (numbers, strings, booleans, null, undefined, arrays and plain objects); a batch
 * holding anything else (a Map, a Date, a typed array, a cycle) is not encoded, and goes over
 * the MessagePort with structured clone instead, in its turn (see PeerLink).
 *
 * Strings that look like pids (they start with `<`) are interned per direction: sent once, then
 * as a number. The table is a bounded cache: past MAX_INTERNED strings both sides start again,
 * so a long-lived node that spawns and kills without end holds no more than that. Refs are not
 * interned: each is made for one exchange (a call, a monitor), so a table of them would only
 * grow.
 *
 * Two differences from structured clone, both invisible to processes that treat messages as
 * values (DESIGN decision 3): an object reached twice arrives as two equal copies, and an
 * array's holes arrive as `undefined`.
 */

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT = 4;
const T_FLOAT = 5;
const T_STRING = 6;
const T_ARRAY = 7;
const T_OBJECT = 8;
const T_INTERNED = 9;
const T_INTERN = 10;

const FLAG_RESET = 1;
const MAX_DEPTH = 32;
const MAX_INTERNED = 1 << 12;
const HEADER = 12; // ack, seq, flags

class NotEncodable {}
const NOT_ENCODABLE = new NotEncodable();

export class BatchEncoder {
  private buffer = new ArrayBuffer(1 << 16);
  bytes = new Uint8Array(this.buffer);
  private view = new DataView(this.buffer);
  private u16 = new Uint16Array(this.buffer);
  private pos = 0;
  private readonly interned = new Map<string, number>();
  /** Strings interned by the batch being encoded, forgotten again if it is not sent. */
  private added: string[] = [];
  private lastString: string | null = null;
  private lastId = 0;

  /** How many strings the table holds (at most MAX_INTERNED + one batch's worth). */
  get internedCount(): number {
    return this.interned.size;
  }

  /** Encodes `batch`; returns its length in `bytes`, or -1 when it holds what this codec does not carry. */
  encode(batch: readonly unknown[]): number {
    this.added.length = 0;
    let flags = 0;
    if (this.interned.size > MAX_INTERNED) {
      this.interned.clear();
      this.lastString = null;
      flags |= FLAG_RESET;
    }
    this.pos = HEADER;
    try {
      for (let i = 2; i < batch.length; i++) this.value(batch[i], 0);
    } catch (e) {
      if (e !== NOT_ENCODABLE) throw e;
      this.rollback();
      return -1;
    }
    this.view.setUint32(0, batch[0] as number, true);
    this.view.setUint32(4, batch[1] as number, true);
    this.view.setUint32(8, flags, true);
    return this.pos;
  }

  /** The encoded batch could not be sent: forget what it interned. */
  rollback(): void {
    for (const s of this.added) this.interned.delete(s);
    this.added.length = 0;
    this.lastString = null;
  }

  private value(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          this.room(5);
          this.bytes[this.pos] = T_INT;
          this.view.setInt32(this.pos + 1, v, true);
          this.pos += 5;
        } else {
          this.room(9);
          this.bytes[this.pos] = T_FLOAT;
          this.view.setFloat64(this.pos + 1, v, true);
          this.pos += 9;
        }
        return;
      case 'string':
        return this.string(v);
      case 'boolean':
        this.tag(v ? T_TRUE : T_FALSE);
        return;
      case 'undefined':
        this.tag(T_UNDEFINED);
        return;
      case 'object': {
        if (v === null) return this.tag(T_NULL);
        if (depth >= MAX_DEPTH) throw NOT_ENCODABLE;
        const proto = Object.getPrototypeOf(v);
        if (proto === Array.prototype) {
          const a = v as unknown[];
          this.room(5);
          this.bytes[this.pos] = T_ARRAY;
          this.view.setUint32(this.pos + 1, a.length, true);
          this.pos += 5;
          for (let i = 0; i < a.length; i++) this.value(a[i], depth + 1);
          return;
        }
        if (proto === Object.prototype || proto === null) {
          const keys = Object.keys(v);
          this.room(5);
          this.bytes[this.pos] = T_OBJECT;
          this.view.setUint32(this.pos + 1, keys.length, true);
          this.pos += 5;
          for (const k of keys) {
            this.string(k);
            this.value((v as Record<string, unknown>)[k], depth + 1);
          }
          return;
        }
        throw NOT_ENCODABLE;
      }
      default:
        throw NOT_ENCODABLE;
    }
  }

  private string(s: string): void {
    const n = s.length;
    const c = n > 0 ? s.charCodeAt(0) : 0;
    if (c === 60 /* < */ && n <= 48) {
      // Runs of signals to one pid are common: the last lookup is remembered.
      const id = s === this.lastString ? this.lastId : this.interned.get(s);
      if (id !== undefined) {
        this.lastString = s;
        this.lastId = id;
        this.room(5);
        this.bytes[this.pos] = T_INTERNED;
        this.view.setUint32(this.pos + 1, id, true);
        this.pos += 5;
        return;
      }
      const fresh = this.interned.size;
      this.interned.set(s, fresh);
      this.added.push(s);
      this.room(5);
      this.bytes[this.pos] = T_INTERN;
      this.view.setUint32(this.pos + 1, fresh, true);
      this.pos += 5;
    }
    this.room(6 + 2 * n);
    this.bytes[this.pos] = T_STRING;
    this.view.setUint32(this.pos + 1, n, true);
    // Code units start at an even offset, so a Uint16Array can read them on the other side.
    let at = this.pos + 5;
    if ((at & 1) === 1) at++;
    const u = at >> 1;
    for (let i = 0; i < n; i++) this.u16[u + i] = s.charCodeAt(i);
    this.pos = at + 2 * n;
  }

  private tag(t: number): void {
    this.room(1);
    this.bytes[this.pos++] = t;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buffer.byteLength) return;
    let size = this.buffer.byteLength * 2;
    while (size < this.pos + n) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.bytes.subarray(0, this.pos));
    this.buffer = next;
    this.bytes = new Uint8Array(next);
    this.view = new DataView(next);
    this.u16 = new Uint16Array(next);
  }
}

/** Strings up to this many code units are decoded through a reused array (see `string`). */
const SHORT = 64;

export class BatchDecoder {
  private table: string[] = [];
  private readonly codes: number[] = [];
  private u16Buffer: ArrayBufferLike | null = null;
  private u16View: Uint16Array<ArrayBufferLike> = new Uint16Array(0);
  private bytes!: Uint8Array;
  private view!: DataView;
  private pos = 0;

  /** Decodes the record at `[offset, offset + length)` of `bytes` back into a flat batch. */
  decode(bytes: Uint8Array, view: DataView, offset: number, length: number): unknown[] {
    this.bytes = bytes;
    this.view = view;
    const end = offset + length;
    const flags = view.getUint32(offset + 8, true);
    if ((flags & FLAG_RESET) !== 0) this.table = [];
    const out: unknown[] = [view.getUint32(offset, true), view.getUint32(offset + 4, true)];
    this.pos = offset + HEADER;
    while (this.pos < end) out.push(this.value());
    return out;
  }

  private value(): unknown {
    const t = this.bytes[this.pos++];
    switch (t) {
      case T_INT: {
        const v = this.view.getInt32(this.pos, true);
        this.pos += 4;
        return v;
      }
      case T_INTERNED: {
        const id = this.view.getUint32(this.pos, true);
        this.pos += 4;
        return this.table[id];
      }
      case T_STRING:
        return this.string();
      case T_INTERN: {
        const id = this.view.getUint32(this.pos, true);
        this.pos += 5; // the id and the T_STRING tag that follows
        const s = this.string();
        this.table[id] = s;
        return s;
      }
      case T_FLOAT: {
        const v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_ARRAY: {
        const n = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const a = new Array(n);
        for (let i = 0; i < n; i++) a[i] = this.value();
        return a;
      }
      case T_OBJECT: {
        const n = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.value() as string;
          const v = this.value();
          // An own property named __proto__, as structured clone makes it, not a prototype.
          if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
          else o[k] = v;
        }
        return o;
      }
      default:
        throw new Error(`batchCodec: unknown tag ${String(t)} at ${this.pos - 1}`);
    }
  }

  /** A Uint16Array over the whole buffer under `bytes`, made once per buffer. */
  private u16For(bytes: Uint8Array): Uint16Array<ArrayBufferLike> {
    if (this.u16Buffer !== bytes.buffer) {
      this.u16Buffer = bytes.buffer;
      this.u16View = new Uint16Array(bytes.buffer, 0, bytes.buffer.byteLength >> 1);
    }
    return this.u16View;
  }

  /** A string whose T_STRING tag has been read. */
  private string(): string {
    const n = this.view.getUint32(this.pos, true);
    let at = this.pos + 4;
    if (((this.bytes.byteOffset + at) & 1) === 1) at++;
    this.pos = at + 2 * n;
    if (n === 0) return '';
    if (n <= SHORT) {
      // Most strings are short (keys, tags, pids): read through one view of the whole buffer
      // into one reused plain array. A typed array made per string, over shared memory above
      // all, costs tens of microseconds in a worker: a batch of small objects took 150 ms.
      const u16 = this.u16For(this.bytes);
      const codes = this.codes;
      codes.length = n;
      const first = (this.bytes.byteOffset + at) >> 1;
      for (let i = 0; i < n; i++) codes[i] = u16[first + i]!;
      return String.fromCharCode.apply(null, codes);
    }
    const codes = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset + at, n);
    if (n <= 4096) return String.fromCharCode.apply(null, codes as unknown as number[]);
    let s = '';
    for (let i = 0; i < n; i += 4096) s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(n, i + 4096)) as unknown as number[]);
    return s;
  }
}
