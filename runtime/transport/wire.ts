/**
 * What crosses between schedulers and between a scheduler and its node.
 *
 * Between two schedulers a MessagePort carries batches: one array per scheduler slice (DESIGN
 * decision 6), flat so that structured clone copies few objects. Slot 0 is the number of
 * signals the sender has applied from the receiver since its last batch (the acknowledgement
 * the flow control runs on), slot 1 its sequence number; then come the signals, each an op
 * code and its operands. A signal keeps its place in the batch and batches are applied in
 * sequence, whether each came by the port or, encoded, by a SharedArrayBuffer ring (see
 * PeerLink), so signals between one pair of processes arrive in the order they were sent
 * (DESIGN decision 4).
 *
 * Between the node and a scheduler the worker's own channel carries arrays of control
 * messages, also one array per turn of the event loop.
 */
import type { InspectRequest } from './inspectCalls.ts';
import type { Pid, Ref } from '../core/index.ts';

/**
 * Op codes of a batch, with their operands. WARNING: they cross the wire between workers that
 * may run different builds during a reload; add new numbers, never renumber.
 */
export const Op = {
  /** to, message */
  Message: 0,
  /** to, alias, message: a reply to a call, dropped unless the alias is still active */
  AliasMessage: 1,
  /** from, to, reason, link (1 when the exit comes through a link) */
  Exit: 2,
  /** from, to */
  Link: 3,
  /** from, to */
  Unlink: 4,
  /** from, to, ref */
  Monitor: 5,
  /** from, to, ref */
  Demonitor: 6,
  /** from, to, ref, reason */
  Down: 7,
  /** from, to, parent, module, args, options */
  Spawn: 8,
  /** first, count: pid numbers of the sender reserved for the receiver's spawns */
  Grant: 9,
  /** used: asks the receiver for more reserved pids */
  GrantRequest: 10,
  /** name, pid: a claim made on the sender (a hint; the node arbitrates) */
  NameClaim: 11,
  /** name, pid */
  NameRelease: 12,
} as const;

/** How many operands follow each op code (index = op code). Never renumber (see `Op`). */
export const OPERANDS: readonly number[] = [2, 3, 4, 2, 2, 3, 3, 4, 6, 2, 1, 2, 2];

/** Per-scheduler counters a scheduler reports to its node with every heartbeat. */
export interface SchedulerCounters {
  id: number;
  processes: number;
  runQueue: number;
  reductions: number;
  /** Busy share of wall time since the previous heartbeat, 0..1. */
  utilization: number;
  spawned: number;
  exited: number;
  /** Messages sent and taken into mailboxes, local and remote. */
  sent: number;
  received: number;
  /** Signals that left for and came from other schedulers. */
  remoteOut: number;
  remoteIn: number;
  batchesOut: number;
  batchesIn: number;
  /** Of the batches sent, those that went through a SharedArrayBuffer ring. */
  ringBatches: number;
  timers: number;
  /** Whether the scheduler waits for other schedulers to drain its sends (flow control). */
  congested: boolean;
  /** How many times flow control has held the scheduler back. */
  held: number;
  /** performance.timeOrigin + performance.now() on the worker when it answered. */
  at: number;
}

/** A scheduler's load as the node last heard it, broadcast for 'least_loaded' placement. */
export interface Load {
  id: number;
  processes: number;
  runQueue: number;
}

export interface WorkerConfig {
  /** 'shared': batches through SharedArrayBuffer rings when they encode and fit, else as 'batched'. */
  transport: 'shared' | 'batched' | 'naive';
  sliceMs?: number;
  budget?: number;
  /** Pid numbers a scheduler reserves at a time for each spawner. */
  grant: number;
  /** Signals in flight to one peer before the sender stops running processes (flow control). */
  window: number;
  /** With rings: how long an idle scheduler that has just sent watches them for the answer, in µs. */
  spinUs: number;
  /** The node's name table in shared memory (SharedNames), or null for replicated views. */
  names: SharedArrayBuffer | null;
}

/** Another scheduler: the port to it and, when shared memory is used, the rings each way. */
export interface Peer {
  id: number;
  port: MessagePortLike;
  rings: { out: SharedArrayBuffer; in: SharedArrayBuffer } | null;
}

/** Node to scheduler. */
export type NodeToScheduler =
  | {
      t: 'init';
      id: number;
      config: WorkerConfig;
      peers: Peer[];
      names: Array<[string, Pid]>;
      loads: Load[];
      /**
       * Schedulers the watchdog replaced, [old id, its replacement]: a spawn pinned to an old id
       * goes to its replacement (a supervisor's `scheduler: N` child restarts there).
       */
      replaced: Array<[number, number]>;
    }
  /** A scheduler that joined: with `replaces`, the one the watchdog replaced by it. */
  | ({ t: 'peer'; replaces: number | null } & Peer)
  | { t: 'down'; id: number; reason: unknown }
  | { t: 'ping'; seq: number; loads: Load[] }
  /** Signals from the host (node.send, node.exit, node.spawn), in the mesh's op encoding. */
  | { t: 'signals'; ops: unknown[] }
  /** The node's authoritative name table changed: set or delete. */
  | { t: 'nameSet'; name: string; pid: Pid }
  | { t: 'nameDel'; name: string; pid: Pid }
  | { t: 'nameCheck'; name: string; owner: Pid }
  | { t: 'nameReject'; name: string; pid: Pid; owner: Pid }
  /** A request of the node's inspector source (see InspectionHost), answered by `inspected`. */
  | ({ t: 'inspect'; id: number } & InspectRequest);

/** Scheduler to node. */
export type SchedulerToNode =
  /** `modules`: the modules this worker can spawn by name (so node.spawn can refuse others, `undef`). */
  | { t: 'ready'; id: number; modules: string[] }
  | { t: 'pong'; seq: number; counters: SchedulerCounters; modules?: string[] }
  | { t: 'host'; messages: unknown[] }
  | { t: 'grant'; first: number; count: number }
  | { t: 'nameClaim'; name: string; pid: Pid }
  | { t: 'nameRelease'; name: string; pid: Pid }
  | { t: 'nameCheckReply'; name: string; owner: Pid; owns: boolean }
  | { t: 'inspected'; id: number; ok?: unknown; error?: string }
  /** Something the transport could not deliver, reported rather than lost silently. */
  | { t: 'undeliverable'; to: Pid; what: string };

/**
 * The part of a MessagePort the transport uses; Web and Node MessagePorts both fit (the Node
 * worker's `parentPort` and a Web worker's global scope too).
 */
export interface MessagePortLike {
  postMessage(data: unknown, transfer?: any[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close?(): void;
}

export type { Pid, Ref };
