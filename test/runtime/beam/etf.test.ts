import { describe, expect, it } from 'vitest';
import { Atom, Charlist, Float, RemotePid, Tuple, decode, encode, tuple } from '../../../runtime/beam/etf.ts';
import { termToErlang } from '../../../runtime/beam/beamSource.ts';
import { T } from '../../../runtime/protocol/term.ts';
import type { Pid } from '../../../runtime/core/pid.ts';

// The external term format (erts docs, "External Term Format"). Bytes below were printed by
// erlang:term_to_binary/1 on OTP 25.
describe('external term format', () => {
  it('decodes what term_to_binary makes: {ok, [1, 300, -5, <<"hi">>, 2.5], #{a => true}}', () => {
    // term_to_binary({ok, [1, 300, -5, <<"hi">>, 2.5], #{a => true}})
    const bytes = [131, 104, 3, 100, 0, 2, 111, 107, 108, 0, 0, 0, 5, 97, 1, 98, 0, 0, 1, 44, 98, 255, 255, 255, 251, 109, 0, 0, 0, 2, 104, 105,
      70, 64, 4, 0, 0, 0, 0, 0, 0, 106, 116, 0, 0, 0, 1, 100, 0, 1, 97, 100, 0, 4, 116, 114, 117, 101];
    const v = decode(Uint8Array.from(bytes)) as Tuple;
    expect(v).toBeInstanceOf(Tuple);
    expect([...v]).toEqual(['ok', [1, 300, -5, 'hi', 2.5], new Map([['a', true]])]);
  });

  it('round-trips integers past 2^53 as bigints, and bignums within 2^53 as numbers', () => {
    for (const n of [2n ** 64n + 7n, -(2n ** 70n)]) expect(decode(encode(n))).toBe(n);
    for (const n of [2n ** 31n, -(2n ** 31n) - 1n, 123456789n, -5n]) expect(decode(encode(n))).toBe(Number(n));
  });

  it('encodes atoms as atoms, strings as binaries, charlists as lists of codes', () => {
    expect(decode(encode(tuple(new Atom('hello'), 'hi', new Charlist('ab'), new Float(1))))).toEqual(Tuple.make('hello', 'hi', [97, 98], 1));
  });

  it("reads the target's pids as it prints them, and another node's pids as something no pid check accepts", () => {
    const p = encode(new RemotePid('pooly@host', 93, 0, 1796216846));
    expect(decode(p, 'pooly@host')).toBe('<0.93.0>');
    expect(decode(p, 'other@host')).toBe('#Pid<pooly@host.93.0>');
  });

  it('maps typed terms (protocol v2) to real Erlang terms: atoms stay atoms, ints bignums, pids the target pids', () => {
    const pid = (p: Pid) => new RemotePid('n@h', Number(p.split('.')[1]), 0, 1);
    const term = T.tuple(T.atom('work'), T.int(2n ** 60n), { t: 'charlist', v: 'ok' }, T.map([T.atom('k'), T.str('v')]), T.pid('<0.42.0>' as Pid));
    const back = decode(encode(termToErlang(term, pid)), 'n@h') as Tuple;
    expect([...back]).toEqual(['work', 2n ** 60n, [111, 107], new Map([['k', 'v']]), '<0.42.0>']);
  });
});
