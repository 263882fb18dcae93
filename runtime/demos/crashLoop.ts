/**
 * A crash loop: a worker that crashes shortly after every start. Its supervisor allows
 * 3 restarts in 5 seconds; the 4th crash exceeds that, so the supervisor stops and exits
 * with `shutdown`. Its parent (intensity 1 in 30 s) restarts it once; when that fails too,
 * the parent gives up in turn and the escalation reaches the application.
 */
import { sendAfter, self } from '../core/index.ts';
import * as GenServer from '../behaviours/genServer.ts';
import * as Supervisor from '../behaviours/supervisor.ts';

export const CRASH_AFTER_MS = 400;

GenServer.define('CrashLoop.Flaky', {
  init: (ms: number = CRASH_AFTER_MS) => {
    sendAfter(ms, self(), 'crash');
    return ['ok', { crashesIn: ms }];
  },
  handleInfo: (msg: unknown, state) => {
    if (msg === 'crash') throw new Error('flaky worker crashed, as it always does');
    return ['noreply', state];
  },
});

Supervisor.define('CrashLoop.Supervisor', {
  init: (ms: number) => [
    'ok',
    [{ strategy: 'one_for_one', intensity: 3, period: 5 }, [{ id: 'flaky', start: ['CrashLoop.Flaky', [ms]] }]],
  ],
});

Supervisor.define('CrashLoop.Root', {
  init: (ms: number = CRASH_AFTER_MS) => [
    'ok',
    [
      { strategy: 'one_for_one', intensity: 1, period: 30 },
      [{ id: 'loop_sup', type: 'supervisor', start: ['CrashLoop.Supervisor', [ms]] }],
    ],
  ],
});

export const crashLoopApp = {
  name: 'CrashLoop',
  description: 'A worker that always crashes: its supervisor exceeds 3 restarts in 5 s and escalates.',
  start: () => Supervisor.startLink('CrashLoop.Root', CRASH_AFTER_MS, { name: 'CrashLoop.Root' }),
};
