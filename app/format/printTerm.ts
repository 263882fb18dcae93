/**
 * Prints a typed term as Erlang or Elixir would write it, so the send box can show how it read
 * what was typed (`inc` in Elixir is a variable; `"inc"` in Erlang is a charlist) before it goes.
 */
import type { Term } from '../protocol.ts';
import type { Dialect } from './readTerm.ts';

const ERLANG_BARE_ATOM = /^[a-z][A-Za-z0-9_@]*$/;
const ELIXIR_BARE_ATOM = /^[A-Za-z_][A-Za-z0-9_@]*[?!]?$/;
const ELIXIR_ALIAS = /^Elixir\.([A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*)$/;
/** Erlang's reserved words: as atoms they must be quoted. */
const ERLANG_RESERVED = new Set([
  'after', 'and', 'andalso', 'band', 'begin', 'bnot', 'bor', 'bsl', 'bsr', 'bxor', 'case', 'catch', 'cond', 'div', 'end', 'fun', 'if',
  'let', 'maybe', 'not', 'of', 'or', 'orelse', 'receive', 'rem', 'try', 'when', 'xor', 'else',
]);

export function printTerm(term: Term, dialect: Dialect): string {
  return dialect === 'erlang' ? erlang(term) : elixir(term);
}

function quote(text: string, q: string): string {
  let out = q;
  for (const c of text) {
    if (c === q || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c < ' ') out += `\\x{${c.charCodeAt(0).toString(16)}}`;
    else out += c;
  }
  return out + q;
}

function erlang(t: Term): string {
  switch (t.t) {
    case 'atom':
      return ERLANG_BARE_ATOM.test(t.v) && !ERLANG_RESERVED.has(t.v) ? t.v : quote(t.v, "'");
    case 'int':
      return t.v;
    case 'float':
      return floatText(t.v);
    case 'str':
      return `<<${quote(t.v, '"')}/utf8>>`;
    case 'charlist':
      return quote(t.v, '"');
    case 'tuple':
      return `{${t.v.map(erlang).join(', ')}}`;
    case 'list':
      return `[${t.v.map(erlang).join(', ')}]`;
    case 'map':
      return `#{${t.v.map(([k, v]) => `${erlang(k)} => ${erlang(v)}`).join(', ')}}`;
    case 'pid':
      return t.v;
  }
}

function elixir(t: Term): string {
  switch (t.t) {
    case 'atom': {
      if (t.v === 'true' || t.v === 'false' || t.v === 'nil') return t.v;
      const alias = ELIXIR_ALIAS.exec(t.v);
      if (alias !== null) return alias[1]!;
      return ELIXIR_BARE_ATOM.test(t.v) ? `:${t.v}` : `:${quote(t.v, '"')}`;
    }
    case 'int':
      return t.v;
    case 'float':
      return floatText(t.v);
    case 'str':
      return quote(t.v, '"');
    case 'charlist':
      return `~c${quote(t.v, '"')}`;
    case 'tuple':
      return `{${t.v.map(elixir).join(', ')}}`;
    case 'list':
      // As IEx prints it: a list of {atom, value} pairs is a keyword list.
      if (t.v.length > 0 && t.v.every(isKeywordPair)) return `[${t.v.map((p) => keyword(p as Tuple2)).join(', ')}]`;
      return `[${t.v.map(elixir).join(', ')}]`;
    case 'map':
      return `%{${t.v.map(([k, v]) => (k.t === 'atom' && ELIXIR_BARE_ATOM.test(k.v) ? `${k.v}: ${elixir(v)}` : `${elixir(k)} => ${elixir(v)}`)).join(', ')}}`;
    case 'pid':
      return `#PID${t.v}`;
  }
}

type Tuple2 = { t: 'tuple'; v: [Term & { t: 'atom' }, Term] };

function isKeywordPair(t: Term): boolean {
  return t.t === 'tuple' && t.v.length === 2 && t.v[0]!.t === 'atom' && ELIXIR_BARE_ATOM.test(t.v[0]!.v);
}

function keyword(p: Tuple2): string {
  return `${p.v[0].v}: ${elixir(p.v[1])}`;
}

/** A float always shows as one (1.0, not 1), as both languages print it. */
function floatText(v: number): string {
  const [mantissa, exponent] = String(v).split('e');
  const m = mantissa!.includes('.') ? mantissa! : `${mantissa}.0`;
  return exponent === undefined ? m : `${m}e${exponent.replace('+', '')}`;
}
