/**
 * Counter, from the OTP chapter of "Programming Phoenix": a GenServer that counts up and down.
 * `inc` and `dec` are casts (fire and forget), `val` is a call (waits for the answer). It runs
 * under a one_for_one supervisor, so killing it shows a restart from zero.
 */
import * as GenServer from '../behaviours/genServer.ts';
import * as Supervisor from '../behaviours/supervisor.ts';
import type { ServerRef } from '../behaviours/serverName.ts';
import { declareAccepts } from '../inspector/accepts.ts';
import { T } from '../protocol/term.ts';

export const COUNTER = 'Counter';

export const inc = (counter: ServerRef = COUNTER): void => GenServer.cast(counter, 'inc');
export const dec = (counter: ServerRef = COUNTER): void => GenServer.cast(counter, 'dec');
export const val = (counter: ServerRef = COUNTER) => GenServer.call<number>(counter, 'val');

GenServer.define('Counter', {
  init: (initial: number) => {
    declareAccepts([
      { kind: 'cast', example: T.atom('inc'), note: 'count up' },
      { kind: 'cast', example: T.atom('dec'), note: 'count down' },
      { kind: 'call', example: T.atom('val'), note: 'the count' },
    ]);
    return ['ok', initial];
  },
  handleCast: (op: 'inc' | 'dec', n: number) => ['noreply', op === 'inc' ? n + 1 : n - 1],
  handleCall: (_req: 'val', _from, n: number) => ['reply', n, n],
  formatStatus: (n: number) => ({ count: n }),
});

Supervisor.define('Counter.Supervisor', {
  init: (initial: number = 0) => [
    'ok',
    [{ strategy: 'one_for_one' }, [{ id: 'counter', start: ['Counter', [initial, { name: COUNTER }]] }]],
  ],
});

export const counterApp = {
  name: 'Counter',
  description: 'A GenServer that counts: inc and dec are casts, val is a call.',
  vsn: '0.1.0',
  env: { initial: 0 },
  start: () => Supervisor.startLink('Counter.Supervisor', 0, { name: 'Counter.Supervisor' }),
};
