/**
 * Keys as Erlang compares them: two keys are the same when they are the same term, not the same
 * JavaScript object, so `['user', 7]` finds what `['user', 7]` stored. Tables and the Registry
 * key their Maps with `termKey`; ordered tables sort with `compareTerms`.
 * https://www.erlang.org/doc/system/expressions.html#term-comparisons
 */
import { OrchardError } from '../core/index.ts';

// Strings are used as they are, except one that starts with NUL, which is escaped so that it
// can never equal an encoded structured key (those all start with NUL).
const STRUCT = '\u0000t';
const ESCAPED = '\u0000s';

/**
 * A Map key that is equal for equal terms. Numbers, booleans and most strings are their own key
 * (no allocation on the hot path); arrays and plain objects are encoded canonically (object
 * fields in sorted order).
 */
export function termKey(term: unknown): unknown {
  if (typeof term === 'object' && term !== null) return STRUCT + encode(term);
  if (typeof term === 'string' && term.charCodeAt(0) === 0) return ESCAPED + term;
  return term;
}

function encode(term: unknown): string {
  if (Array.isArray(term)) {
    let out = '[';
    for (let i = 0; i < term.length; i++) out += (i === 0 ? '' : ',') + encode(term[i]);
    return out + ']';
  }
  switch (typeof term) {
    case 'string':
      return JSON.stringify(term);
    case 'number':
      return Object.is(term, -0) ? '0' : String(term);
    case 'boolean':
      return term ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${term}n`;
    case 'object': {
      if (term === null) return 'null';
      const keys = Object.keys(term).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out += (i === 0 ? '' : ',') + JSON.stringify(k) + ':' + encode((term as Record<string, unknown>)[k]);
      }
      return out + '}';
    }
    default:
      throw notATerm(term);
  }
}

/**
 * Term order for ordered tables, after Erlang's (number < atom < … < tuple < map < list):
 * numbers < booleans < strings < null/undefined < arrays < objects. Arrays compare as tuples
 * do, by length first and then element by element; objects by size, then sorted field names,
 * then values.
 */
export function compareTerms(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 2:
      return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
    case 1:
      return Number(a) - Number(b);
    case 3:
      return (a === null ? 0 : 1) - (b === null ? 0 : 1);
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareTerms(x[i], y[i]);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      if (kx.length !== ky.length) return kx.length - ky.length;
      for (let i = 0; i < kx.length; i++) {
        if (kx[i] !== ky[i]) return kx[i]! < ky[i]! ? -1 : 1;
      }
      for (const k of kx) {
        const c = compareTerms(x[k], y[k]);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

function rank(t: unknown): number {
  switch (typeof t) {
    case 'number':
    case 'bigint':
      return 0;
    case 'boolean':
      return 1;
    case 'string':
      return 2;
    case 'undefined':
      return 3;
    case 'object':
      return t === null ? 3 : Array.isArray(t) ? 4 : 5;
    default:
      throw notATerm(t);
  }
}

function notATerm(x: unknown): OrchardError {
  return new OrchardError('badarg', `badarg: a key is a term (no functions or symbols inside), got a ${typeof x}`);
}
