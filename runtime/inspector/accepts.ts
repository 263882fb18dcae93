/**
 * What a process says it handles, for the Observer's send box to start from: a module's `init`
 * declares it in the process dictionary, where the inspector reads it only when a detail is
 * asked for (DESIGN decision 7). Examples are typed terms (protocol/term.ts), so the same
 * declaration reads right in Erlang and Elixir syntax.
 *
 * @example
 * init: (n) => { declareAccepts([{ kind: 'cast', example: T.atom('inc') }]); return ['ok', n]; }
 */
import { currentScheduler } from '../core/context.ts';
import type { Process } from '../core/Process.ts';
import type { AcceptedMessage } from '../protocol/messages.ts';
import { termProblem } from '../protocol/term.ts';

export const ACCEPTS_KEY = 'orchard.accepts';

/** Declares, from inside the process, the messages it handles. */
export function declareAccepts(accepts: readonly AcceptedMessage[]): void {
  for (const a of accepts) {
    const problem = termProblem(a.example);
    if (problem !== null) throw new Error(`declareAccepts: the example of a ${a.kind} is not a typed term: ${problem}`);
  }
  const ext = currentScheduler().self().extension();
  (ext.dict ??= new Map()).set(ACCEPTS_KEY, accepts);
}

/** What a process declared, or undefined. */
export function acceptsOf(p: Process): AcceptedMessage[] | undefined {
  const a = p.ext?.dict?.get(ACCEPTS_KEY);
  return Array.isArray(a) ? (a as AcceptedMessage[]) : undefined;
}
