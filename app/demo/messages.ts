/**
 * What the demo's processes say to each other. Plain objects with a `type`, so they match with
 * receive patterns and would clone across workers unchanged.
 */
import type { Pid } from '../../runtime/core/index.ts';

/** A worker's own clock: each one asks for its next tick with sendAfter. */
export interface Tick {
  type: 'tick';
}

/** The root tells every worker who its siblings are, after each start and restart. */
export interface Peers {
  type: 'peers';
  pids: Pid[];
}

/** Work one worker hands another; it waits in the mailbox until the receiver's next tick. */
export interface Gossip {
  type: 'gossip';
  from: Pid;
  seq: number;
}

export type WorkerMessage = Tick | Peers | Gossip;

export const TICK: Tick = Object.freeze({ type: 'tick' });

export function isTickOrPeers(m: unknown): m is Tick | Peers {
  const type = (m as { type?: unknown } | null)?.type;
  return type === 'tick' || type === 'peers';
}
