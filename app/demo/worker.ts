/**
 * A demo worker: on each tick it handles a few queued gossip messages and sends a few to
 * random siblings. Ticks and peer lists are taken by selective receive, ahead of the gossip
 * queued before them, so gossip piles up between ticks and the mailbox column moves.
 */
import {
  TIMEOUT, defineModule, processInfo, receive, self, send, sendAfter, type Pid, type Wait,
} from '../../runtime/core/index.ts';
import { type Gossip, TICK, isTickOrPeers } from './messages.ts';

export interface WorkerSpec {
  label: string;
  /** Gossip messages handled per tick. */
  drain: number;
  tickMs: number;
}

/** Past this backlog a worker catches up in one tick, so no mailbox grows without bound. */
const MAX_BACKLOG = 16;
const MAX_SENDS_PER_TICK = 3;

/** Spawned by name, as code is addressed (DESIGN decision 5): the name is its initial call. */
export const WORKER_MODULE = 'demo_worker';

export function* worker(spec: WorkerSpec): Generator<Wait, void, unknown> {
  const me = self();
  let peers: Pid[] = [];
  let seq = 0;
  sendAfter(jitter(spec.tickMs), me, TICK);
  for (;;) {
    const m = yield receive(isTickOrPeers);
    if (!isTickOrPeers(m)) continue;
    if (m.type === 'peers') {
      peers = m.pids.filter((pid) => pid !== me);
      continue;
    }
    const backlog = processInfo(me)?.mailboxLength ?? 0;
    const drain = backlog > MAX_BACKLOG ? backlog : spec.drain;
    // The demo's work is the receive itself: each gossip taken counts as one reduction.
    for (let i = 0; i < drain; i++) {
      const g = yield receive({ type: 'gossip' }, { after: 0 });
      if (g === TIMEOUT) break;
    }
    const sends = peers.length === 0 ? 0 : Math.floor(Math.random() * (MAX_SENDS_PER_TICK + 1));
    for (let i = 0; i < sends; i++) {
      const to = peers[Math.floor(Math.random() * peers.length)]!;
      const gossip: Gossip = { type: 'gossip', from: me, seq: seq++ };
      send(to, gossip);
    }
    sendAfter(jitter(spec.tickMs), me, TICK);
  }
}

function jitter(ms: number): number {
  return Math.round(ms * (0.75 + Math.random() * 0.5));
}

defineModule(WORKER_MODULE, worker);
