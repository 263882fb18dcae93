/**
 * Erlang's external term format (the `term_to_binary/1` encoding), as the bridge and its probe
 * speak it over the probe's pipe. Decoding is made for reading what the probe sends: atoms and
 * binaries become strings, tuples `Tuple`s, lists arrays, maps `Map`s, pids the target's own
 * printed form (`<0.N.S>`, whatever index this node gives the target), ports and references
 * their printed form. Encoding writes what the bridge sends: requests, and the typed terms a
 * person typed (term.ts), with atoms as real atoms and pids as the target's pids.
 *
 * Format: https://www.erlang.org/doc/apps/erts/erl_ext_dist.html
 */

const VERSION = 131;
const NEW_FLOAT_EXT = 70;
const SMALL_INTEGER_EXT = 97;
const INTEGER_EXT = 98;
const FLOAT_EXT = 99;
const ATOM_EXT = 100;
const REFERENCE_EXT = 101;
const PORT_EXT = 102;
const PID_EXT = 103;
const SMALL_TUPLE_EXT = 104;
const LARGE_TUPLE_EXT = 105;
const NIL_EXT = 106;
const STRING_EXT = 107;
const LIST_EXT = 108;
const BINARY_EXT = 109;
const SMALL_BIG_EXT = 110;
const LARGE_BIG_EXT = 111;
const NEW_FUN_EXT = 112;
const EXPORT_EXT = 113;
const NEW_REFERENCE_EXT = 114;
const SMALL_ATOM_EXT = 115;
const MAP_EXT = 116;
const ATOM_UTF8_EXT = 118;
const SMALL_ATOM_UTF8_EXT = 119;
const V4_PORT_EXT = 120;
const NEW_PID_EXT = 88;
const NEW_PORT_EXT = 89;
const NEWER_REFERENCE_EXT = 90;
const BIT_BINARY_EXT = 77;

/** An Erlang tuple: an array, told apart from a list. */
export class Tuple extends Array<unknown> {
  static make(...items: unknown[]): Tuple {
    const t = new Tuple();
    t.push(...items);
    return t;
  }
}

/** An atom to encode (decoded atoms are plain strings). */
export class Atom {
  constructor(readonly name: string) {}
}

/** A pid of the target to encode: its printed form `<0.N.S>` and the target's node and creation. */
export class RemotePid {
  constructor(
    readonly node: string,
    readonly id: number,
    readonly serial: number,
    readonly creation: number,
  ) {}
}

/** A binary to encode from bytes. */
export class Bytes {
  constructor(readonly data: Uint8Array) {}
}

/** A charlist to encode (an Erlang string). */
export class Charlist {
  constructor(readonly text: string) {}
}

/** A float to encode even when its value is integral (1.0). */
export class Float {
  constructor(readonly value: number) {}
}

export type Encodable =
  | number | bigint | string | boolean | null | undefined
  | Atom | RemotePid | Bytes | Charlist | Float | Tuple | Encodable[] | Map<Encodable, Encodable>;

export const atom = (name: string): Atom => new Atom(name);
export const tuple = (...items: Encodable[]): Tuple => Tuple.make(...items);

// --- Decoding ---

/**
 * Reads one term. Pids of `localNode` (the target) read `<0.N.S>`, as the target prints them;
 * pids of any other node read `#Pid<node.N.S>`, which no check takes for a pid of the target.
 */
export function decode(buf: Uint8Array, localNode: string | null = null): unknown {
  if (buf[0] !== VERSION) throw new Error(`not the external term format (first byte ${buf[0]})`);
  const r = new Reader(buf, 1, localNode);
  const v = r.term();
  return v;
}

class Reader {
  private readonly view: DataView;
  private static readonly utf8 = new TextDecoder('utf-8');
  private static readonly latin1 = new TextDecoder('latin1');

  constructor(
    private readonly buf: Uint8Array,
    private pos: number,
    private readonly localNode: string | null,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private u8(): number {
    return this.buf[this.pos++]!;
  }
  private u16(): number {
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  private u32(): number {
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  private bytes(n: number): Uint8Array {
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  term(): unknown {
    const tag = this.u8();
    switch (tag) {
      case SMALL_INTEGER_EXT:
        return this.u8();
      case INTEGER_EXT: {
        const v = this.view.getInt32(this.pos);
        this.pos += 4;
        return v;
      }
      case SMALL_BIG_EXT:
        return this.big(this.u8());
      case LARGE_BIG_EXT:
        return this.big(this.u32());
      case NEW_FLOAT_EXT: {
        const v = this.view.getFloat64(this.pos);
        this.pos += 8;
        return v;
      }
      case FLOAT_EXT:
        return Number.parseFloat(Reader.latin1.decode(this.bytes(31)).replace(/\0+$/, ''));
      case ATOM_EXT:
        return atomValue(Reader.latin1.decode(this.bytes(this.u16())));
      case SMALL_ATOM_EXT:
        return atomValue(Reader.latin1.decode(this.bytes(this.u8())));
      case ATOM_UTF8_EXT:
        return atomValue(Reader.utf8.decode(this.bytes(this.u16())));
      case SMALL_ATOM_UTF8_EXT:
        return atomValue(Reader.utf8.decode(this.bytes(this.u8())));
      case SMALL_TUPLE_EXT:
        return this.tuple(this.u8());
      case LARGE_TUPLE_EXT:
        return this.tuple(this.u32());
      case NIL_EXT:
        return [];
      case STRING_EXT:
        return Array.from(this.bytes(this.u16()));
      case LIST_EXT: {
        const n = this.u32();
        const out: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.term();
        this.term(); // the tail: [] for a proper list
        return out;
      }
      case BINARY_EXT:
        return Reader.utf8.decode(this.bytes(this.u32()));
      case BIT_BINARY_EXT: {
        const n = this.u32();
        this.u8();
        return Reader.utf8.decode(this.bytes(n));
      }
      case MAP_EXT: {
        const n = this.u32();
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.term();
          m.set(k, this.term());
        }
        return m;
      }
      case NEW_PID_EXT:
      case PID_EXT: {
        const node = this.term();
        const id = this.u32();
        const serial = this.u32();
        this.pos += tag === NEW_PID_EXT ? 4 : 1;
        return this.localNode === null || node === this.localNode ? `<0.${id}.${serial}>` : `#Pid<${String(node)}.${id}.${serial}>`;
      }
      case PORT_EXT:
      case NEW_PORT_EXT:
      case V4_PORT_EXT: {
        this.term();
        const id = tag === V4_PORT_EXT ? Number(this.view.getBigUint64((this.pos += 8) - 8)) : this.u32();
        this.pos += tag === PORT_EXT ? 1 : 4;
        return `#Port<0.${id}>`;
      }
      case REFERENCE_EXT: {
        this.term();
        const id = this.u32();
        this.pos += 1;
        return `#Ref<0.${id}>`;
      }
      case NEW_REFERENCE_EXT:
      case NEWER_REFERENCE_EXT: {
        const n = this.u16();
        this.term();
        this.pos += tag === NEWER_REFERENCE_EXT ? 4 : 1;
        const ids: number[] = [];
        for (let i = 0; i < n; i++) ids.push(this.u32());
        return `#Ref<0.${ids.reverse().join('.')}>`;
      }
      case EXPORT_EXT: {
        const m = this.term();
        const f = this.term();
        const a = this.term();
        return `fun ${String(m)}:${String(f)}/${String(a)}`;
      }
      case NEW_FUN_EXT: {
        const size = this.u32();
        this.pos += size - 4;
        return '#Fun<>';
      }
      default:
        throw new Error(`external term format: tag ${tag} is not read here`);
    }
  }

  private tuple(n: number): Tuple {
    const t = new Tuple();
    for (let i = 0; i < n; i++) t.push(this.term());
    return t;
  }

  private big(n: number): number | bigint {
    const sign = this.u8();
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.buf[this.pos + i]!);
    this.pos += n;
    if (sign === 1) v = -v;
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
}

function atomValue(name: string): unknown {
  if (name === 'true') return true;
  if (name === 'false') return false;
  return name;
}

// --- Encoding ---

export function encode(value: Encodable): Uint8Array {
  const w = new Writer();
  w.u8(VERSION);
  w.term(value);
  return w.done();
}

class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private static readonly utf8 = new TextEncoder();

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  term(v: Encodable): void {
    if (v === null || v === undefined) return this.atom('undefined');
    if (typeof v === 'boolean') return this.atom(v ? 'true' : 'false');
    if (typeof v === 'string') {
      const b = Writer.utf8.encode(v);
      this.u8(BINARY_EXT);
      this.u32(b.length);
      return this.raw(b);
    }
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) return this.float(v);
      return Number.isSafeInteger(v) ? this.int(BigInt(v)) : this.float(v);
    }
    if (typeof v === 'bigint') return this.int(v);
    if (v instanceof Atom) return this.atom(v.name);
    if (v instanceof Float) return this.float(v.value);
    if (v instanceof Bytes) {
      this.u8(BINARY_EXT);
      this.u32(v.data.length);
      return this.raw(v.data);
    }
    if (v instanceof Charlist) return this.charlist(v.text);
    if (v instanceof RemotePid) {
      this.u8(NEW_PID_EXT);
      this.atom(v.node);
      this.u32(v.id);
      this.u32(v.serial);
      return this.u32(v.creation);
    }
    if (v instanceof Tuple) {
      if (v.length < 256) {
        this.u8(SMALL_TUPLE_EXT);
        this.u8(v.length);
      } else {
        this.u8(LARGE_TUPLE_EXT);
        this.u32(v.length);
      }
      for (const x of v) this.term(x as Encodable);
      return;
    }
    if (Array.isArray(v)) return this.list(v);
    if (v instanceof Map) {
      this.u8(MAP_EXT);
      this.u32(v.size);
      for (const [k, x] of v) {
        this.term(k);
        this.term(x);
      }
      return;
    }
    throw new TypeError(`cannot encode ${typeof v} as an Erlang term`);
  }

  private list(items: readonly Encodable[]): void {
    if (items.length === 0) return this.u8(NIL_EXT);
    this.u8(LIST_EXT);
    this.u32(items.length);
    for (const x of items) this.term(x);
    this.u8(NIL_EXT);
  }

  private charlist(text: string): void {
    const codes = Array.from(text, (c) => c.codePointAt(0)!);
    if (codes.length === 0) return this.u8(NIL_EXT);
    if (codes.length < 65536 && codes.every((c) => c < 256)) {
      this.u8(STRING_EXT);
      this.u16(codes.length);
      for (const c of codes) this.u8(c);
      return;
    }
    this.list(codes);
  }

  private atom(name: string): void {
    const b = Writer.utf8.encode(name);
    if (b.length > 255 * 4 || Array.from(name).length > 255) throw new RangeError(`an atom has at most 255 characters: ${name.slice(0, 40)}…`);
    if (b.length < 256) {
      this.u8(SMALL_ATOM_UTF8_EXT);
      this.u8(b.length);
    } else {
      this.u8(ATOM_UTF8_EXT);
      this.u16(b.length);
    }
    this.raw(b);
  }

  private int(v: bigint): void {
    if (v >= 0n && v < 256n) {
      this.u8(SMALL_INTEGER_EXT);
      return this.u8(Number(v));
    }
    if (v >= -(2n ** 31n) && v < 2n ** 31n) {
      this.u8(INTEGER_EXT);
      this.room(4);
      this.view.setInt32(this.pos, Number(v));
      this.pos += 4;
      return;
    }
    const digits: number[] = [];
    let a = v < 0n ? -v : v;
    while (a > 0n) {
      digits.push(Number(a & 0xffn));
      a >>= 8n;
    }
    if (digits.length < 256) {
      this.u8(SMALL_BIG_EXT);
      this.u8(digits.length);
    } else {
      this.u8(LARGE_BIG_EXT);
      this.u32(digits.length);
    }
    this.u8(v < 0n ? 1 : 0);
    for (const d of digits) this.u8(d);
  }

  private float(v: number): void {
    this.u8(NEW_FLOAT_EXT);
    this.room(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
}
