/**
 * Finds what structured clone would refuse in a value, before it is queued for another
 * scheduler (DESIGN decision 3: what cannot be cloned fails at the sender). The batch itself
 * is cloned later, at the end of the slice, when the sender has moved on; so the check runs at
 * send time, and costs nothing for primitives, the common message.
 *
 * It knows the JavaScript values structured clone rejects (functions, symbols, promises, weak
 * collections, generators). Host objects it cannot know (a DOM node in a page) are caught when
 * the batch is posted and reported then (see PeerLink).
 */

/** Returns null when `value` clones, or a description of the first part that does not. */
export function findUncloneable(value: unknown): string | null {
  const t = typeof value;
  if (t !== 'object' && t !== 'function' && t !== 'symbol') return null;
  if (value === null) return null;
  return walk(value, '', null, 0);
}

const MAX_DEPTH = 64;

function walk(value: unknown, path: string, seen: Set<object> | null, depth: number): string | null {
  switch (typeof value) {
    case 'function':
      return `a function (${(value as { name?: string }).name || 'anonymous'})${at(path)}`;
    case 'symbol':
      return `a symbol (${String(value)})${at(path)}`;
    case 'object':
      break;
    default:
      return null;
  }
  if (value === null) return null;
  const obj = value as object;
  if (depth > MAX_DEPTH) {
    // Deep structures are rare in messages: from here, only cycles are tracked.
    seen ??= new Set();
  }
  if (seen !== null) {
    if (seen.has(obj)) return null;
    seen.add(obj);
  }
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const v = obj[i];
      if (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') {
        const bad = walk(v, `${path}[${i}]`, seen, depth + 1);
        if (bad !== null) return bad;
      }
    }
    return null;
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const kind = leafKind(obj);
    if (kind === 'ok') return null;
    if (kind !== null) return `${kind}${at(path)}`;
    if (obj instanceof Map) {
      let i = 0;
      for (const [k, v] of obj) {
        const bad = walk(k, `${path}.<key ${i}>`, seen, depth + 1) ?? walk(v, `${path}.get(${describeKey(k)})`, seen, depth + 1);
        if (bad !== null) return bad;
        i++;
      }
      return null;
    }
    if (obj instanceof Set) {
      let i = 0;
      for (const v of obj) {
        const bad = walk(v, `${path}.<item ${i++}>`, seen, depth + 1);
        if (bad !== null) return bad;
      }
      return null;
    }
    // Any other object clones as a plain object of its own enumerable properties.
  }
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const v = (obj as Record<string, unknown>)[key];
    if (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') {
      const bad = walk(v, `${path}.${key}`, seen, depth + 1);
      if (bad !== null) return bad;
    }
  }
  return null;
}

/** 'ok' for leaves that clone, a description for those that do not, null for containers. */
function leafKind(obj: object): string | null {
  if (obj instanceof Date || obj instanceof RegExp || obj instanceof Error) return 'ok';
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return 'ok';
  if (typeof SharedArrayBuffer === 'function' && obj instanceof SharedArrayBuffer) return 'ok';
  if (obj instanceof Boolean || obj instanceof Number || obj instanceof String) return 'ok';
  if (typeof Blob === 'function' && obj instanceof Blob) return 'ok';
  if (obj instanceof Promise) return 'a Promise';
  if (obj instanceof WeakMap) return 'a WeakMap';
  if (obj instanceof WeakSet) return 'a WeakSet';
  if (typeof WeakRef === 'function' && obj instanceof WeakRef) return 'a WeakRef';
  if (Object.prototype.toString.call(obj) === '[object Generator]') return 'a generator';
  return null;
}

function at(path: string): string {
  return path === '' ? '' : ` at ${path.startsWith('.') ? path.slice(1) : path}`;
}

function describeKey(k: unknown): string {
  return typeof k === 'string' ? JSON.stringify(k) : typeof k === 'number' ? String(k) : typeof k;
}
