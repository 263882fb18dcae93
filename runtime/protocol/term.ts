/**
 * Typed terms: the protocol's one encoding of a value a person typed or a tool sends (a message,
 * an exit reason, a call request), so that the same `send` works against an Orchard runtime and
 * against a real BEAM node behind the bridge. Each term is a tagged plain object, cloneable and
 * JSON-safe. An Orchard runtime maps a term to a JavaScript value with `termToValue` (atoms become
 * strings, as Orchard spells OTP's atoms); the BEAM bridge maps it to the real Erlang term.
 *
 * WARNING: this crosses the wire (protocol version 2). Never rename a tag; add new ones.
 */
import type { Pid } from '../core/pid.ts';

export type Term =
  | { t: 'atom'; v: string }
  /** An integer, as decimal digits (arbitrary precision: Erlang integers are bignums). */
  | { t: 'int'; v: string }
  | { t: 'float'; v: number }
  /** A string: an Elixir string or an Erlang binary, UTF-8 (`"hi"`, `<<"hi">>`). */
  | { t: 'str'; v: string }
  /** An Erlang string (a charlist): `"hi"` in Erlang syntax, `'hi'` or `~c"hi"` in Elixir. */
  | { t: 'charlist'; v: string }
  | { t: 'tuple'; v: Term[] }
  | { t: 'list'; v: Term[] }
  /** Key/value pairs, in the order written. */
  | { t: 'map'; v: Array<[Term, Term]> }
  /** Printed as Erlang prints it: `<0.42.0>`. */
  | { t: 'pid'; v: Pid };

export type TermTag = Term['t'];

const TAGS: ReadonlySet<string> = new Set<TermTag>(['atom', 'int', 'float', 'str', 'charlist', 'tuple', 'list', 'map', 'pid']);

/** Deepest nesting a term may have on the wire. */
export const MAX_TERM_DEPTH = 64;

/** Checks a value received from the wire; returns why it is not a term, or null when it is one. */
export function termProblem(x: unknown, depth = 0): string | null {
  if (depth > MAX_TERM_DEPTH) return `nested deeper than ${MAX_TERM_DEPTH}`;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'a term is an object { t, v }';
  const { t, v } = x as { t: unknown; v: unknown };
  if (typeof t !== 'string' || !TAGS.has(t)) return `unknown term tag ${JSON.stringify(t)}`;
  switch (t as TermTag) {
    case 'atom':
    case 'str':
    case 'charlist':
      return typeof v === 'string' ? null : `a ${t} carries a string`;
    case 'int':
      return typeof v === 'string' && /^-?\d+$/.test(v) ? null : 'an int carries its decimal digits as a string';
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'a float carries a finite number';
    case 'pid':
      return typeof v === 'string' && /^<\d+\.\d+\.\d+>$/.test(v) ? null : 'a pid is written <A.B.C>';
    case 'tuple':
    case 'list': {
      if (!Array.isArray(v)) return `a ${t} carries an array of terms`;
      for (const e of v) {
        const p = termProblem(e, depth + 1);
        if (p !== null) return p;
      }
      return null;
    }
    case 'map': {
      if (!Array.isArray(v)) return 'a map carries an array of [key, value] pairs';
      for (const pair of v) {
        if (!Array.isArray(pair) || pair.length !== 2) return 'a map carries an array of [key, value] pairs';
        const p = termProblem(pair[0], depth + 1) ?? termProblem(pair[1], depth + 1);
        if (p !== null) return p;
      }
      return null;
    }
  }
}

export function isTerm(x: unknown): x is Term {
  return termProblem(x) === null;
}

/**
 * The JavaScript value an Orchard runtime receives for a term: atoms and strings become strings,
 * integers numbers (a bigint past 2^53), tuples and lists arrays, maps plain objects when every
 * key is an atom or a string (else a Map), pids their printed form.
 */
export function termToValue(term: Term): unknown {
  switch (term.t) {
    case 'atom':
    case 'str':
    case 'charlist':
    case 'pid':
      return term.v;
    case 'float':
      return term.v;
    case 'int': {
      const n = Number(term.v);
      return Number.isSafeInteger(n) ? n : BigInt(term.v);
    }
    case 'tuple':
    case 'list':
      return term.v.map(termToValue);
    case 'map': {
      if (term.v.every(([k]) => k.t === 'atom' || k.t === 'str')) {
        const o: Record<string, unknown> = {};
        for (const [k, v] of term.v) o[k.v as string] = termToValue(v);
        return o;
      }
      return new Map(term.v.map(([k, v]) => [termToValue(k), termToValue(v)]));
    }
  }
}

/** Shorthands for building terms in code and tests. */
export const T = {
  atom: (v: string): Term => ({ t: 'atom', v }),
  int: (v: number | bigint): Term => ({ t: 'int', v: String(v) }),
  float: (v: number): Term => ({ t: 'float', v }),
  str: (v: string): Term => ({ t: 'str', v }),
  tuple: (...v: Term[]): Term => ({ t: 'tuple', v }),
  list: (...v: Term[]): Term => ({ t: 'list', v }),
  map: (...v: Array<[Term, Term]>): Term => ({ t: 'map', v }),
  pid: (v: Pid): Term => ({ t: 'pid', v }),
};
