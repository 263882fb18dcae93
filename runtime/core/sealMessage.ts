/**
 * Messages are values (DESIGN decision 3). Between schedulers a message is copied; on one
 * scheduler it is handed over by reference, so in development and test builds it is made
 * immutable first: plain objects and arrays (and Errors, and the wrappers of primitives) are
 * deep-frozen where they are, and what freezing cannot protect is copied (Map, Set, Date,
 * RegExp, typed arrays, DataView, ArrayBuffer). A mutation after a send then throws in the
 * sender (strict mode, which modules are) or reaches only the sender's own copy, on any
 * placement. Production builds skip all this: zero-copy, as before (`Scheduler` option
 * `freezeMessages`).
 */

/** Objects known to be deep-frozen already: a value sent again costs one lookup. */
const deepFrozen = new WeakSet<object>();

const MAX_DEPTH = 64;

/**
 * Returns `value` deep-frozen, or a frozen copy where some part had to be copied. Primitives and
 * functions come back as they are (the clone check, run before, rejects functions).
 */
export function sealMessage<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  return seal(value as object, 0, null) as T;
}

function seal(obj: object, depth: number, seen: Map<object, object> | null): object {
  if (deepFrozen.has(obj)) return obj;
  if (depth > MAX_DEPTH) {
    // Deep structures are rare in messages: from here, cycles are tracked.
    seen ??= new Map();
    const done = seen.get(obj);
    if (done !== undefined) return done;
    seen.set(obj, obj);
  }
  if (Array.isArray(obj)) return sealArray(obj, depth, seen);
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const copy = copyLeaf(obj, depth, seen);
    if (copy !== null) return copy;
  }
  return sealObject(obj, depth, seen);
}

function sealArray(a: unknown[], depth: number, seen: Map<object, object> | null): object {
  let out: unknown[] | null = null;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'object' || v === null) continue;
    const s = seal(v, depth + 1, seen);
    if (s !== v) {
      // A part was copied: the receiver gets a copy of the array around it, and the sender
      // keeps its own (mutable) array, whose Map or buffer never reaches the receiver.
      out ??= a.slice();
      out[i] = s;
    }
  }
  return freeze(out ?? a);
}

function sealObject(obj: object, depth: number, seen: Map<object, object> | null): object {
  const o = obj as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (typeof v !== 'object' || v === null) continue;
    const s = seal(v, depth + 1, seen);
    if (s !== v) {
      out ??= { ...o };
      out[key] = s;
    }
  }
  return freeze(out ?? obj);
}

function freeze(obj: object): object {
  Object.freeze(obj);
  deepFrozen.add(obj);
  return obj;
}

/**
 * A copy of a built-in object that freezing cannot make immutable; null for the objects that
 * freeze (Error, the wrappers of primitives, and anything else, which the clone check has
 * judged already).
 */
function copyLeaf(obj: object, depth: number, seen: Map<object, object> | null): object | null {
  if (obj instanceof Map) {
    const m = new Map();
    for (const [k, v] of obj) m.set(sealPart(k, depth, seen), sealPart(v, depth, seen));
    return m;
  }
  if (obj instanceof Set) {
    const s = new Set();
    for (const v of obj) s.add(sealPart(v, depth, seen));
    return s;
  }
  if (ArrayBuffer.isView(obj)) {
    if (obj instanceof DataView) return new DataView(obj.buffer.slice(obj.byteOffset, obj.byteOffset + obj.byteLength));
    return (obj as unknown as { slice(): object }).slice();
  }
  if (obj instanceof ArrayBuffer) return obj.slice(0);
  if (obj instanceof Date) return new Date(obj.getTime());
  // A RegExp keeps its matching position in `lastIndex`, which a frozen one cannot move.
  if (obj instanceof RegExp) return new RegExp(obj);
  return null;
}

function sealPart(v: unknown, depth: number, seen: Map<object, object> | null): unknown {
  return typeof v === 'object' && v !== null ? seal(v, depth + 1, seen) : v;
}

/**
 * The default of `freezeMessages`: on, unless the build is a production one. Bundlers replace
 * `process.env.NODE_ENV` with a string literal; in a browser without that replacement `process`
 * does not exist, and the guard reads it as a development build.
 */
export function isProductionBuild(): boolean {
  try {
    return process.env.NODE_ENV === 'production';
  } catch {
    return false;
  }
}
