/**
 * Reads a value a person typed (an exit reason) as the JavaScript value an Orchard runtime
 * receives: an Erlang or Elixir term (readTerm.ts, mapped as the runtime maps typed terms), else
 * JSON, which earlier versions took. Empty input is refused.
 */
import { termToValue } from '../protocol.ts';
import { readTerm } from './readTerm.ts';

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

export function parseTerm(text: string): Parsed {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'type a term: shutdown, {shutdown, why}, :normal' };
  const r = readTerm(t);
  if (r.ok) return { ok: true, value: termToValue(r.term) };
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch {
    return { ok: false, message: r.message };
  }
}
