/**
 * Backlog: a mailbox that fills and drains, to watch in the process detail panel. A producer
 * sends a burst of jobs every few seconds to a consumer that takes one job per CONSUME_MS, so
 * its mailbox grows to the burst size and drains before the next burst. The consumer keeps
 * what it did in a table, for the Tables view.
 */
import { receive, self, sendAfter, sleep, spawnLink, send, type Wait } from '../../runtime/core/index.ts';
import { GenServer, Supervisor, Table } from '../../runtime/behaviours/index.ts';

export const BURST = 24;
export const BURST_EVERY_MS = 3_000;
export const CONSUME_MS = 70;
const KEEP = 200;

function* consumer(): Generator<Wait, void, unknown> {
  const done = Table.new('Backlog.done', { type: 'ordered_set', named: true });
  for (let n = 0; ; n++) {
    const job = (yield receive()) as { job: number; sentAt: number };
    // Sleeping receives nothing: what arrives meanwhile waits in the mailbox.
    yield sleep(CONSUME_MS);
    Table.insert(done, [job.job, { tookMs: Date.now() - job.sentAt }]);
    if (n >= KEEP) Table.delete(done, job.job - KEEP);
  }
}

GenServer.define('Backlog.Producer', {
  init: () => {
    sendAfter(500, self(), 'burst');
    return ['ok', { sent: 0 }];
  },
  handleInfo: (msg: unknown, state: { sent: number }) => {
    if (msg !== 'burst') return ['noreply', state];
    for (let i = 0; i < BURST; i++) send('Backlog.Consumer', { job: state.sent + i, sentAt: Date.now() });
    sendAfter(BURST_EVERY_MS, self(), 'burst');
    return ['noreply', { sent: state.sent + BURST }];
  },
  formatStatus: (state: { sent: number }) => state,
});

Supervisor.define('Backlog.Supervisor', {
  init: () => [
    'ok',
    [
      { strategy: 'rest_for_one', intensity: 3, period: 5 },
      [
        { id: 'consumer', start: () => ['ok', spawnLink(consumer, [], { name: 'Backlog.Consumer', label: 'backlog_consumer' })] },
        { id: 'producer', start: ['Backlog.Producer', [undefined, { name: 'Backlog.Producer' }]] },
      ],
    ],
  ],
});

export const backlogApp = {
  name: 'Backlog',
  description: `A mailbox that fills and drains: ${BURST} jobs every ${BURST_EVERY_MS / 1000} s to a consumer that takes ${CONSUME_MS} ms per job.`,
  start: () => Supervisor.startLink('Backlog.Supervisor', undefined, { name: 'Backlog.Supervisor' }),
};
