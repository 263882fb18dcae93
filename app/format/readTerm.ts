/**
 * Reads a term a person typed, in Erlang or Elixir syntax, into the protocol's typed term (the
 * one encoding that works against an Orchard runtime and a BEAM node alike). The two languages
 * spell the same terms differently, and a few spellings mean different terms:
 *
 * | term        | Erlang                 | Elixir                        |
 * | ----------- | ---------------------- | ----------------------------- |
 * | atom        | `inc`, `'Quoted'`      | `:inc`, `:"quoted"`, `Foo.Bar`, `true`, `nil` |
 * | binary      | `<<"hi">>`             | `"hi"`, `<<"hi">>`            |
 * | charlist    | `"hi"`                 | `'hi'`, `~c"hi"`              |
 * | map         | `#{a => 1}`            | `%{a: 1}`, `%{"k" => 1}`      |
 * | pid         | `<0.42.0>`             | `#PID<0.42.0>`                |
 * | character   | `$a`                   | `?a`                          |
 * | integer     | `16#FF`, `1_000`       | `0xFF`, `0b101`, `1_000`      |
 *
 * With dialect 'auto' the input says which language it is written in: an Elixir-only spelling
 * (`:atom`, `%{`, `a: 1`, `~c`, `?a`, an alias, `nil`) makes it Elixir, an Erlang-only one (a bare
 * word, `#{`, `$a`, `16#`) makes it Erlang; both at once is refused. Input with neither (`"inc"`,
 * `{1, 2}`) reads as Elixir, where `"inc"` is a binary: what a JavaScript string is to Orchard.
 */
import type { Term } from '../protocol.ts';

export type Dialect = 'erlang' | 'elixir';

export type ReadResult = { ok: true; term: Term; dialect: Dialect } | { ok: false; message: string; at: number };

/** Thrown inside the reader, turned into a `{ ok: false }` at its edge. */
class SyntaxProblem extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

type TokenKind =
  | 'punct' // { } [ ] , => | %{ #{ << >>
  | 'word' // a bare lowercase word: an atom in Erlang (a variable in Elixir)
  | 'alias' // Foo.Bar: an atom in Elixir (a variable in Erlang)
  | 'atom' // :inc, :"x y" (Elixir) or 'Quoted' (Erlang; a charlist in Elixir)
  | 'key' // inc: in an Elixir keyword list or map
  | 'int'
  | 'float'
  | 'str' // "…"
  | 'quoted' // '…': an atom in Erlang, a charlist in Elixir
  | 'charlist' // ~c"…"
  | 'pid'
  | 'end'; // the optional full stop ending an Erlang term

interface Token {
  kind: TokenKind;
  text: string;
  at: number;
  /** Which dialect the spelling belongs to, when only one has it. */
  only?: Dialect;
}

const MAX_DEPTH = 64;

export function readTerm(text: string, dialect: Dialect | 'auto' = 'auto'): ReadResult {
  try {
    const tokens = tokenize(text);
    if (tokens.length === 0 || (tokens.length === 1 && tokens[0]!.kind === 'end')) throw new SyntaxProblem('type a term, e.g. {:ok, 1} or {ok, 1}', 0);
    const chosen = dialect === 'auto' ? guessDialect(tokens) : dialect;
    const parser = new Parser(tokens, chosen);
    const term = parser.term(0);
    parser.finish();
    return { ok: true, term, dialect: chosen };
  } catch (e) {
    if (e instanceof SyntaxProblem) return { ok: false, message: e.message, at: e.at };
    throw e;
  }
}

function guessDialect(tokens: readonly Token[]): Dialect {
  const elixir = tokens.find((t) => t.only === 'elixir');
  const erlang = tokens.find((t) => t.only === 'erlang');
  if (elixir !== undefined && erlang !== undefined) {
    const [first, second] = elixir.at < erlang.at ? [elixir, erlang] : [erlang, elixir];
    throw new SyntaxProblem(
      `mixes Elixir and Erlang: ${first.text} is ${first.only === 'elixir' ? 'Elixir' : 'Erlang'}, ${second.text} is ${second.only === 'elixir' ? 'Elixir' : 'Erlang'}`,
      second.at,
    );
  }
  return erlang !== undefined ? 'erlang' : 'elixir';
}

// --- Tokens ---

const WORD = /[a-z_][A-Za-z0-9_@]*[?!]?/y;
const ALIAS = /[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*/y;
const NUMBER = /-?(?:0x[0-9A-Fa-f_]+|0b[01_]+|0o[0-7_]+|\d+#[0-9A-Za-z_]+|\d[\d_]*(?:\.\d[\d_]*(?:[eE][+-]?\d+)?)?)/y;
const PID = /(#PID)?<(\d+)\.(\d+)\.(\d+)>/y;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(src);
    return m === null ? null : m[0];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '%{' || two === '#{') {
      out.push({ kind: 'punct', text: two, at: i, only: two === '%{' ? 'elixir' : 'erlang' });
      i += 2;
      continue;
    }
    if (two === '=>' || two === '>>') {
      out.push({ kind: 'punct', text: two, at: i });
      i += 2;
      continue;
    }
    const pid = at(PID);
    if (pid !== null) {
      const m = /(#PID)?<(\d+\.\d+\.\d+)>/.exec(pid)!;
      out.push({ kind: 'pid', text: `<${m[2]}>`, at: i, ...(m[1] ? { only: 'elixir' as const } : {}) });
      i += pid.length;
      continue;
    }
    if (two === '<<') {
      out.push({ kind: 'punct', text: two, at: i });
      i += 2;
      continue;
    }
    if ('{}[],|'.includes(c)) {
      out.push({ kind: 'punct', text: c, at: i });
      i++;
      continue;
    }
    if (c === '"') {
      const { value, end } = quoted(src, i, '"');
      // "key": in an Elixir map or keyword list
      if (src[end] === ':' && /\s/.test(src[end + 1] ?? ' ')) {
        out.push({ kind: 'key', text: value, at: i, only: 'elixir' });
        i = end + 1;
      } else {
        out.push({ kind: 'str', text: value, at: i });
        i = end;
      }
      continue;
    }
    if (c === "'") {
      const { value, end } = quoted(src, i, "'");
      out.push({ kind: 'quoted', text: value, at: i });
      i = end;
      continue;
    }
    if (two === '~c' || two === '~C') {
      const q = src[i + 2];
      if (q !== '"' && q !== "'") throw new SyntaxProblem('~c takes a quoted text: ~c"hi"', i);
      const { value, end } = quoted(src, i + 2, q);
      out.push({ kind: 'charlist', text: value, at: i, only: 'elixir' });
      i = end;
      continue;
    }
    if (c === ':' && i + 1 < src.length) {
      const next = src[i + 1]!;
      if (next === '"' || next === "'") {
        const { value, end } = quoted(src, i + 1, next);
        out.push({ kind: 'atom', text: value, at: i, only: 'elixir' });
        i = end;
        continue;
      }
      i++;
      const w = at(WORD) ?? at(ALIAS);
      if (w === null) throw new SyntaxProblem('an atom after ":" is a word: :ok', i);
      out.push({ kind: 'atom', text: w, at: i - 1, only: 'elixir' });
      i += w.length;
      continue;
    }
    if (c === '$' || c === '?') {
      const { code, end } = character(src, i + 1);
      out.push({ kind: 'int', text: String(code), at: i, only: c === '$' ? 'erlang' : 'elixir' });
      i = end;
      continue;
    }
    const num = /[-\d]/.test(c) ? at(NUMBER) : null;
    if (num !== null && /\d/.test(num.replace('-', '')[0] ?? '')) {
      out.push(number(num, i));
      i += num.length;
      continue;
    }
    const word = at(WORD);
    if (word !== null) {
      if (src[i + word.length] === ':' && /[\s]/.test(src[i + word.length + 1] ?? ' ')) {
        out.push({ kind: 'key', text: word, at: i, only: 'elixir' });
        i += word.length + 1;
      } else {
        out.push({ kind: 'word', text: word, at: i, ...(isSharedWord(word) ? {} : { only: 'erlang' as const }) });
        i += word.length;
      }
      continue;
    }
    const alias = at(ALIAS);
    if (alias !== null) {
      if (src[i + alias.length] === ':' && /\s/.test(src[i + alias.length + 1] ?? ' ')) {
        out.push({ kind: 'key', text: alias, at: i, only: 'elixir' });
        i += alias.length + 1;
      } else {
        out.push({ kind: 'alias', text: alias, at: i, only: 'elixir' });
        i += alias.length;
      }
      continue;
    }
    if (c === '.' && src.slice(i + 1).trim() === '') {
      out.push({ kind: 'end', text: '.', at: i, only: 'erlang' });
      i++;
      continue;
    }
    throw new SyntaxProblem(`unexpected ${JSON.stringify(c)}`, i);
  }
  return out;
}

/** Words both languages read as the same atom. `nil` is Elixir's; any other bare word is Erlang's atom. */
function isSharedWord(word: string): boolean {
  return word === 'true' || word === 'false' || word === 'nil';
}

function number(text: string, at: number): Token {
  const neg = text.startsWith('-');
  const body = (neg ? text.slice(1) : text).replace(/_/g, '');
  const sign = neg ? '-' : '';
  if (/^0[xbo]/.test(body)) {
    if (body.length === 2) throw new SyntaxProblem(`${text} has no digits`, at);
    return { kind: 'int', text: sign + BigInt(body).toString(), at, only: 'elixir' };
  }
  const hash = /^(\d+)#([0-9A-Za-z]+)$/.exec(body);
  if (hash !== null) {
    const base = Number(hash[1]);
    if (base < 2 || base > 36) throw new SyntaxProblem(`base ${base} is not between 2 and 36`, at);
    let n = 0n;
    for (const d of hash[2]!.toLowerCase()) {
      const v = parseInt(d, 36);
      if (!(v < base)) throw new SyntaxProblem(`${d} is not a digit in base ${base}`, at);
      n = n * BigInt(base) + BigInt(v);
    }
    return { kind: 'int', text: sign + n.toString(), at, only: 'erlang' };
  }
  if (/[.eE]/.test(body)) return { kind: 'float', text: sign + body, at };
  return { kind: 'int', text: sign + BigInt(body).toString(), at };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', e: '\x1b', '0': '\0', b: '\b', f: '\f', v: '\v', d: '\x7f' };

/** A quoted text from `start` (the opening quote); its value with escapes applied and where it ends. */
function quoted(src: string, start: number, q: string): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === q) return { value: out, end: i + 1 };
    if (c === '\\') {
      const { text, end } = escape(src, i + 1);
      out += text;
      i = end;
      continue;
    }
    if (c === '#' && src[i + 1] === '{' && q === '"') throw new SyntaxProblem('interpolation #{…} needs code, which the box does not run', i);
    out += c;
    i++;
  }
  throw new SyntaxProblem(`unterminated ${q === '"' ? 'string' : 'quoted text'}: a closing ${q} is missing`, start);
}

function escape(src: string, i: number): { text: string; end: number } {
  const c = src[i];
  if (c === undefined) throw new SyntaxProblem('a \\ ends the input', i);
  if (c === 'x' || c === 'u') {
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(src.slice(i + 1));
    const plain = braced === null ? (c === 'x' ? /^[0-9A-Fa-f]{2}/ : /^[0-9A-Fa-f]{4}/).exec(src.slice(i + 1)) : null;
    const hex = braced?.[1] ?? plain?.[0];
    if (hex === undefined) throw new SyntaxProblem(`\\${c} needs hex digits`, i);
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) throw new SyntaxProblem(`\\${c}{${hex}} is past the last code point`, i);
    return { text: String.fromCodePoint(code), end: i + 1 + (braced?.[0].length ?? hex.length) };
  }
  return { text: ESCAPES[c] ?? c, end: i + 1 };
}

/** `$a` / `?a`: the code point of one character (or one escape) after the sign. */
function character(src: string, i: number): { code: number; end: number } {
  if (i >= src.length) throw new SyntaxProblem('a character is missing after $ or ?', i - 1);
  if (src[i] === '\\') {
    const { text, end } = escape(src, i + 1);
    return { code: text.codePointAt(0)!, end };
  }
  const code = src.codePointAt(i)!;
  return { code, end: i + (code > 0xffff ? 2 : 1) };
}

// --- Terms ---

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly dialect: Dialect,
  ) {}

  finish(): void {
    const t = this.tokens[this.i];
    if (t !== undefined && t.kind === 'end' && this.dialect === 'erlang') this.i++;
    const rest = this.tokens[this.i];
    if (rest !== undefined) throw new SyntaxProblem(`unexpected ${rest.text} after the term (one term at a time)`, rest.at);
  }

  term(depth: number): Term {
    if (depth > MAX_DEPTH) throw new SyntaxProblem(`nested deeper than ${MAX_DEPTH}`, this.peek()?.at ?? 0);
    const t = this.next('a term');
    const elixir = this.dialect === 'elixir';
    switch (t.kind) {
      case 'int':
        return { t: 'int', v: t.text };
      case 'float': {
        const v = Number(t.text);
        if (!Number.isFinite(v)) throw new SyntaxProblem(`${t.text} is too large for a float`, t.at);
        return { t: 'float', v };
      }
      case 'str':
        return elixir ? { t: 'str', v: t.text } : { t: 'charlist', v: t.text };
      case 'quoted':
        return elixir ? { t: 'charlist', v: t.text } : { t: 'atom', v: t.text };
      case 'charlist':
        return { t: 'charlist', v: t.text };
      case 'atom':
        return { t: 'atom', v: t.text };
      case 'word':
        if (elixir && !isSharedWord(t.text)) throw new SyntaxProblem(`${t.text} is a variable in Elixir; an atom is :${t.text}`, t.at);
        return { t: 'atom', v: t.text };
      case 'alias':
        if (!elixir) throw new SyntaxProblem(`${t.text} is a variable in Erlang; an atom is '${t.text}'`, t.at);
        return { t: 'atom', v: `Elixir.${t.text}` };
      case 'pid':
        return { t: 'pid', v: t.text as Extract<Term, { t: 'pid' }>['v'] };
      case 'key':
        throw new SyntaxProblem(`${t.text}: belongs in a keyword list or map: [${t.text}: 1]`, t.at);
      case 'end':
        throw new SyntaxProblem('a full stop before the term ended', t.at);
      case 'punct':
        return this.compound(t, depth);
    }
  }

  private compound(t: Token, depth: number): Term {
    switch (t.text) {
      case '{':
        return { t: 'tuple', v: this.items('}', depth) };
      case '[':
        return this.list(depth);
      case '%{':
      case '#{':
        return { t: 'map', v: this.pairs(depth) };
      case '<<':
        return this.binary();
      default:
        throw new SyntaxProblem(`unexpected ${t.text}`, t.at);
    }
  }

  /** Terms separated by commas up to `close`. */
  private items(close: string, depth: number): Term[] {
    const out: Term[] = [];
    if (this.eat(close)) return out;
    for (;;) {
      out.push(this.term(depth + 1));
      if (this.eat(close)) return out;
      this.expect(',', `, or ${close}`);
    }
  }

  /** `[1, 2]`, and Elixir's keyword list `[a: 1, b: 2]` (a list of {atom, value} pairs). */
  private list(depth: number): Term {
    const out: Term[] = [];
    if (this.eat(']')) return { t: 'list', v: out };
    for (;;) {
      const key = this.peek();
      if (key?.kind === 'key') {
        this.i++;
        out.push({ t: 'tuple', v: [{ t: 'atom', v: key.text }, this.term(depth + 1)] });
      } else {
        out.push(this.term(depth + 1));
      }
      if (this.eat(']')) return { t: 'list', v: out };
      const bar = this.peek();
      if (bar?.text === '|') throw new SyntaxProblem('an improper list [H | T] cannot be sent: write a proper list', bar.at);
      this.expect(',', ', or ]');
    }
  }

  /** `%{a: 1, "b" => 2}` or `#{a => 1}`: pairs in the order written. */
  private pairs(depth: number): Array<[Term, Term]> {
    const out: Array<[Term, Term]> = [];
    if (this.eat('}')) return out;
    for (;;) {
      const key = this.peek();
      if (key?.kind === 'key') {
        this.i++;
        out.push([{ t: 'atom', v: key.text }, this.term(depth + 1)]);
      } else {
        const k = this.term(depth + 1);
        this.expect('=>', '=>');
        out.push([k, this.term(depth + 1)]);
      }
      if (this.eat('}')) return out;
      this.expect(',', ', or }');
    }
  }

  /** `<<"text">>` and `<<>>`: a binary of UTF-8 text, the only binaries a term carries. */
  private binary(): Term {
    if (this.eat('>>')) return { t: 'str', v: '' };
    const s = this.next('a "text" inside << >>');
    if (s.kind !== 'str') throw new SyntaxProblem('only text binaries can be typed: <<"hi">>', s.at);
    this.expect('>>', '>>');
    return { t: 'str', v: s.text };
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): Token {
    const t = this.tokens[this.i];
    if (t === undefined) {
      const last = this.tokens[this.tokens.length - 1];
      throw new SyntaxProblem(`the input ends where ${what} was expected`, last === undefined ? 0 : last.at + last.text.length);
    }
    this.i++;
    return t;
  }

  private eat(text: string): boolean {
    const t = this.tokens[this.i];
    if (t?.kind === 'punct' && t.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(text: string, what: string): void {
    if (this.eat(text)) return;
    const t = this.tokens[this.i];
    if (t === undefined) throw new SyntaxProblem(`the input ends where ${what} was expected`, this.tokens[this.i - 1]!.at + 1);
    throw new SyntaxProblem(`expected ${what}, found ${t.text}`, t.at);
  }
}
