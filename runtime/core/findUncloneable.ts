/**
 * Finds what cannot be copied faithfully to another scheduler in a value, before it is queued
 * (DESIGN decision 3: what cannot be copied fails at the sender, never silently). The batch
 * itself is cloned later, at the end of the slice, when the sender has moved on; so the check
 * runs at send time, and costs nothing for primitives, the common message. Development and test
 * builds run it on sends within one scheduler too (Scheduler option `freezeMessages`), so the
 * result does not depend on placement.
 *
 * It rejects what structured clone refuses (functions, symbols, promises, weak collections,
 * generators, a MessagePort that is not transferred, a Proxy) and
 * what it would change: a URL (it arrives as `{}` or not at all), an instance of a class (it
 * would arrive as a plain object, without its prototype). A getter that throws while the value
 * is read is reported the same way, instead of crashing the sender. Host objects it cannot know
 * (a DOM node in a page) are caught when the batch is posted and reported then (see PeerLink).
 *
 * A Proxy: Node tells one from its target (util.types.isProxy). A browser cannot (a Proxy is
 * transparent by design: no script can tell it apart), but its structured clone refuses one; so
 * in a browser, development and test builds also clone the value once at the sender, and report
 * a refusal there (a Proxy, a DOM node) as `not_cloneable`. Production builds skip that copy: a
 * Proxy is then refused when the batch is posted over a MessagePort (reported, not thrown), or,
 * over the rings of a cross-origin isolated page, arrives as a plain copy of what it shows.
 */
import { isProductionBuild } from './sealMessage.ts';

/**
 * Returns null when `value` clones, or a description of the first part that does not.
 * `local`: the value stays on this scheduler, so functions pass (a closure runs only where it
 * was made, as a spawned closure does: DESIGN decision 5; Agent and Task send functions), and
 * everything else is judged as for another scheduler.
 */
export function findUncloneable(value: unknown, local = false): string | null {
  const t = typeof value;
  if (t !== 'object' && t !== 'function' && t !== 'symbol') return null;
  if (value === null) return null;
  allowFunctions = local;
  sawFunction = false;
  const bad = walk(value, '', null, 0);
  // A local value holding closures is not for structured clone (it never meets one).
  if (bad !== null || !cloneAtSender || (local && sawFunction)) return bad;
  return cloneRefusal(value);
}

/** Set for the walk under way (walks never nest). */
let allowFunctions = false;
/** Whether the walk under way met a function it let pass (a local send). */
let sawFunction = false;

const MAX_DEPTH = 64;

function walk(value: unknown, path: string, seen: Set<object> | null, depth: number): string | null {
  switch (typeof value) {
    case 'function':
      if (allowFunctions) {
        sawFunction = true;
        return null;
      }
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
  if (isProxy !== null && isProxy(obj)) return `a Proxy${at(path)}`;
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
    // A host object with a type of its own (ImageData, CryptoKey…) is the host's to judge when
    // the batch is posted; an instance of a class of ours would lose its prototype.
    if (Object.prototype.toString.call(obj) === '[object Object]') {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name;
      return `an instance of ${name || 'a class'} (it would arrive as a plain object, without its prototype)${at(path)}`;
    }
  }
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    let v: unknown;
    try {
      v = (obj as Record<string, unknown>)[key];
    } catch (e) {
      return `a getter that throws (${describeError(e)})${at(`${path}.${key}`)}`;
    }
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
  if (typeof MessagePort === 'function' && obj instanceof MessagePort) return 'a MessagePort (a port must be transferred, and a message transfers nothing)';
  if (typeof URL === 'function' && obj instanceof URL) return `a URL (${obj.href}; send its href)`;
  return null;
}

/**
 * Tells a Proxy from its target where the host can (Node's util.types.isProxy); a browser
 * cannot, and a Proxy sent there is refused when the batch is posted.
 */
const isProxy: ((value: object) => boolean) | null = (() => {
  try {
    const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
    const util = host.process?.getBuiltinModule?.('node:util') as { types?: { isProxy?: (v: unknown) => boolean } } | undefined;
    const f = util?.types?.isProxy;
    return typeof f === 'function' ? (v: object) => f(v) : null;
  } catch {
    return null;
  }
})();

/**
 * Whether the sender also clones the value once: where no Proxy can be told from its target
 * (a browser), in development and test builds only (the copy is the cost of a faithful check).
 */
const cloneAtSender = isProxy === null && typeof structuredClone === 'function' && !isProductionBuild();

function cloneRefusal(value: unknown): string | null {
  try {
    structuredClone(value);
    return null;
  } catch (e) {
    if ((e as { name?: string } | null)?.name === 'DataCloneError') return `a value structured clone refuses (${(e as Error).message}): a Proxy, or a host object`;
    return `a getter that throws (${describeError(e)})`;
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return typeof e === 'string' ? e : typeof e;
}

function at(path: string): string {
  return path === '' ? '' : ` at ${path.startsWith('.') ? path.slice(1) : path}`;
}

function describeKey(k: unknown): string {
  return typeof k === 'string' ? JSON.stringify(k) : typeof k === 'number' ? String(k) : typeof k;
}
