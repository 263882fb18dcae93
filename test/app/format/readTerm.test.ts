import { describe, expect, it } from 'vitest';
import { readTerm } from '../../../app/format/readTerm.ts';
import { printTerm } from '../../../app/format/printTerm.ts';
import { T, termProblem } from '../../../runtime/protocol/index.ts';

const ok = (text: string, dialect: 'erlang' | 'elixir' | 'auto' = 'auto') => {
  const r = readTerm(text, dialect);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  expect(termProblem(r.term)).toBeNull();
  return r;
};
const fail = (text: string, dialect: 'erlang' | 'elixir' | 'auto' = 'auto') => {
  const r = readTerm(text, dialect);
  if (r.ok) throw new Error(`${text} read as ${JSON.stringify(r.term)}`);
  return r;
};
const charlist = (v: string) => ({ t: 'charlist', v }) as const;

describe('readTerm: Elixir (Elixir docs, "Basic types" and "Keyword lists and maps")', () => {
  it('reads :atoms, quoted atoms, aliases and the three special atoms', () => {
    expect(ok(':inc').term).toEqual(T.atom('inc'));
    expect(ok(':"hello world"').term).toEqual(T.atom('hello world'));
    expect(ok('Pooly.Server').term).toEqual(T.atom('Elixir.Pooly.Server'));
    expect(ok('nil').term).toEqual(T.atom('nil'));
    expect(ok('{true, false}').term).toEqual(T.tuple(T.atom('true'), T.atom('false')));
  });

  it('reads "…" as a binary and \'…\' or ~c"…" as a charlist', () => {
    expect(ok('"inc"')).toMatchObject({ term: T.str('inc'), dialect: 'elixir' });
    expect(ok("{:a, 'hi'}").term).toEqual(T.tuple(T.atom('a'), charlist('hi')));
    expect(ok('~c"hi"').term).toEqual(charlist('hi'));
    expect(ok('<<"bin">>').term).toEqual(T.str('bin'));
    expect(ok('"tab\\there \\u{1F600}"').term).toEqual(T.str('tab\there 😀'));
  });

  it('reads numbers: integers with underscores, hex, binary, floats, ?c', () => {
    expect(ok('1_000_000').term).toEqual(T.int(1000000));
    expect(ok('0xFF').term).toEqual(T.int(255));
    expect(ok('-0b101').term).toEqual(T.int(-5));
    expect(ok('-2.5e3').term).toEqual(T.float(-2500));
    expect(ok('?a').term).toEqual(T.int(97));
    expect(ok('123456789012345678901234567890').term).toEqual({ t: 'int', v: '123456789012345678901234567890' });
  });

  it('reads maps with atom keys and => keys, in the order written', () => {
    expect(ok('%{work: 21}').term).toEqual(T.map([T.atom('work'), T.int(21)]));
    expect(ok('%{"k" => [1, 2], b: %{}}').term).toEqual(T.map([T.str('k'), T.list(T.int(1), T.int(2))], [T.atom('b'), T.map()]));
  });

  it('reads a keyword list as a list of {atom, value} tuples', () => {
    expect(ok('[a: 1, b: :x]').term).toEqual(T.list(T.tuple(T.atom('a'), T.int(1)), T.tuple(T.atom('b'), T.atom('x'))));
  });

  it('reads #PID<…> and <…> as a pid', () => {
    expect(ok('{:ping, #PID<0.42.0>}').term).toEqual(T.tuple(T.atom('ping'), { t: 'pid', v: '<0.42.0>' } as never));
  });

  it('refuses a bare word, saying it is a variable and how to write the atom', () => {
    expect(fail('{inc, :x}').message).toMatch(/\bmixes\b/);
    expect(fail('inc', 'elixir').message).toMatch(/variable.*:inc/);
  });
});

describe('readTerm: Erlang (Erlang reference manual, "Data Types")', () => {
  it('reads bare and quoted atoms', () => {
    expect(ok('inc')).toMatchObject({ term: T.atom('inc'), dialect: 'erlang' });
    expect(ok("{'EXIT', normal}").term).toEqual(T.tuple(T.atom('EXIT'), T.atom('normal')));
    expect(ok('node@host').term).toEqual(T.atom('node@host'));
  });

  it('reads "…" as a charlist (an Erlang string) and <<"…">> as a binary', () => {
    expect(ok('{echo, "hi"}').term).toEqual(T.tuple(T.atom('echo'), charlist('hi')));
    expect(ok('{echo, <<"hi">>}').term).toEqual(T.tuple(T.atom('echo'), T.str('hi')));
  });

  it('reads maps #{k => v}, 16#FF, $a, and a full stop at the end', () => {
    expect(ok('#{work => 21}.').term).toEqual(T.map([T.atom('work'), T.int(21)]));
    expect(ok('16#ff').term).toEqual(T.int(255));
    expect(ok('{$a, 2#101}').term).toEqual(T.tuple(T.int(97), T.int(5)));
    expect(ok('[{ok, 1.5}, <0.7.0>]').term).toEqual(T.list(T.tuple(T.atom('ok'), T.float(1.5)), { t: 'pid', v: '<0.7.0>' } as never));
  });

  it('refuses a variable, saying how to quote it', () => {
    expect(fail('Foo', 'erlang').message).toMatch(/variable.*'Foo'/);
  });
});

describe('readTerm: errors', () => {
  it('says what is wrong and where', () => {
    expect(fail('').message).toMatch(/\btype a term\b/);
    expect(fail('{:a, 1').message).toMatch(/\bends\b/);
    expect(fail('{:a 1}')).toMatchObject({ at: 4 });
    expect(fail('"open').message).toMatch(/\bunterminated\b/);
    expect(fail('[1 | 2]').message).toMatch(/\bimproper\b/);
    expect(fail('<<1, 2>>').message).toMatch(/\btext binaries\b/);
    expect(fail(':a :b').message).toMatch(/\bone term\b/);
    expect(fail('"#{x}"').message).toMatch(/\binterpolation\b/);
    expect(fail('16#fg').message).toMatch(/\bnot a digit\b/);
  });

  it('refuses nesting deeper than the protocol allows', () => {
    expect(fail('['.repeat(100) + ']'.repeat(100)).message).toMatch(/\bdeeper\b/);
  });
});

describe('printTerm', () => {
  it('prints back what it reads, in either language', () => {
    for (const text of ['{:ok, "hi", ~c"cl", 1.5, [a: 1], %{"k" => nil}, Pooly.Server, #PID<0.1.0>}', ':"two words"']) {
      expect(printTerm(ok(text, 'elixir').term, 'elixir')).toBe(text);
    }
    for (const text of ["{ok, <<\"hi\"/utf8>>, \"cl\", 1.0e21, #{'Q' => [1, 2]}, 'receive', <0.1.0>}"]) {
      const r = ok(text.replace('/utf8', ''), 'erlang');
      expect(printTerm(r.term, 'erlang')).toBe(text);
    }
  });
});
