/**
 * Reads a value a person typed (a message to send, an exit reason): JSON when it parses as
 * JSON, else the bare word as a string, the way one types an atom. Empty input is refused.
 */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

export function parseTerm(text: string): Parsed {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'type a value: a word, or JSON' };
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch (e) {
    if (/^[A-Za-z_][\w.@-]*$/.test(t)) return { ok: true, value: t };
    return { ok: false, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
