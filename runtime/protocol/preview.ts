/**
 * Safe previews of live values (mailbox messages, behaviour state, exit reasons): a string of at
 * most `maxChars` characters, written in one pass that stops as soon as the budget is spent, so
 * a mailbox holding a 100 MB array costs the same as one holding a number. Never throws: cycles,
 * throwing getters, revoked proxies and exotic objects all come out as short placeholders.
 */
import { LIMITS, type ValuePreview } from './messages.ts';

const MAX_DEPTH = 6;
const PID = /^<0\.\d+\.\d+>$/;

class Full {}
const FULL = new Full();

export function preview(value: unknown, maxChars: number = LIMITS.previewChars): ValuePreview {
  const out: string[] = [];
  let left = Math.max(1, maxChars);
  const seen = new Set<object>();
  const put = (s: string): void => {
    if (s.length > left) {
      out.push(s.slice(0, left));
      left = 0;
      throw FULL;
    }
    out.push(s);
    left -= s.length;
  };
  try {
    write(value, 0, put, seen);
    return { preview: out.join(''), truncated: false };
  } catch (e) {
    if (e === FULL) return { preview: `${out.join('')}…`, truncated: true };
    return { preview: `${out.join('')}⟨unpreviewable⟩`, truncated: true };
  }
}

/** A preview as a plain string (for event fields that are strings in the contract). */
export function previewText(value: unknown, maxChars: number = LIMITS.previewChars): string {
  return preview(value, maxChars).preview;
}

function write(v: unknown, depth: number, put: (s: string) => void, seen: Set<object>): void {
  switch (typeof v) {
    case 'string':
      put(PID.test(v) ? v : JSON.stringify(v.length > 1000 ? v.slice(0, 1000) : v));
      return;
    case 'number':
    case 'boolean':
      put(String(v));
      return;
    case 'bigint':
      put(`${v}n`);
      return;
    case 'undefined':
      put('undefined');
      return;
    case 'symbol':
      put(v.toString());
      return;
    case 'function':
      put(`#Function<${v.name || 'anonymous'}>`);
      return;
  }
  if (v === null) {
    put('null');
    return;
  }
  const o = v as object;
  if (seen.has(o)) {
    put('⟨circular⟩');
    return;
  }
  if (depth >= MAX_DEPTH) {
    put(Array.isArray(o) ? '[…]' : '{…}');
    return;
  }
  seen.add(o);
  try {
    writeObject(o, depth, put, seen);
  } finally {
    seen.delete(o);
  }
}

function writeObject(o: object, depth: number, put: (s: string) => void, seen: Set<object>): void {
  if (Array.isArray(o)) {
    put('[');
    for (let i = 0; i < o.length; i++) {
      if (i > 0) put(', ');
      write(o[i], depth + 1, put, seen);
    }
    put(']');
    return;
  }
  if (o instanceof Date) return put(Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString());
  if (o instanceof Error) return put(`${o.name}: ${o.message}`);
  if (o instanceof RegExp) return put(String(o));
  if (o instanceof Map) {
    put('Map{');
    let i = 0;
    for (const [k, val] of o) {
      if (i++ > 0) put(', ');
      write(k, depth + 1, put, seen);
      put(' => ');
      write(val, depth + 1, put, seen);
    }
    put('}');
    return;
  }
  if (o instanceof Set) {
    put('Set{');
    let i = 0;
    for (const val of o) {
      if (i++ > 0) put(', ');
      write(val, depth + 1, put, seen);
    }
    put('}');
    return;
  }
  if (ArrayBuffer.isView(o)) return put(`${o.constructor.name}(${o.byteLength} bytes)`);
  if (o instanceof ArrayBuffer) return put(`ArrayBuffer(${o.byteLength} bytes)`);
  const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
  const ctor = proto === null || proto === Object.prototype ? '' : (proto.constructor?.name ?? '');
  put(ctor === '' ? '{' : `${ctor} {`);
  let i = 0;
  for (const k of Object.keys(o)) {
    if (i++ > 0) put(', ');
    put(/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
    put(': ');
    let val: unknown;
    try {
      val = (o as Record<string, unknown>)[k];
    } catch {
      put('⟨getter threw⟩');
      continue;
    }
    write(val, depth + 1, put, seen);
  }
  put('}');
}
