/**
 * The messages the runtime itself puts in mailboxes, shaped as Erlang's tuples are:
 * `{'EXIT', From, Reason}` for a trapped exit signal and `{'DOWN', Ref, process, Pid, Reason}`
 * for a monitor. Plain objects, so that they clone across workers and match with patterns.
 */
import type { Pid, Ref } from './pid.ts';

export interface ExitMessage {
  type: 'EXIT';
  from: Pid;
  reason: unknown;
}

export interface DownMessage {
  type: 'DOWN';
  ref: Ref;
  /** The monitored pid, or the registered name when a name was monitored. */
  pid: Pid | string;
  reason: unknown;
}

export function isExitMessage(m: unknown): m is ExitMessage {
  return typeof m === 'object' && m !== null && (m as ExitMessage).type === 'EXIT';
}

export function isDownMessage(m: unknown): m is DownMessage {
  return typeof m === 'object' && m !== null && (m as DownMessage).type === 'DOWN';
}

/**
 * Thrown by `exit(reason)` (erlang:exit/1): catchable by the process's own code, as in Erlang;
 * uncaught, the process exits with `reason`.
 */
export class ProcessExit extends Error {
  readonly reason: unknown;

  constructor(reason: unknown) {
    // No stack trace: this is how a process ends (a behaviour stopping, a call's caller exiting
    // with the server's reason), not a fault to locate; the reason says why. Capturing one cost
    // as much as the rest of a supervised restart.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`process exit: ${typeof reason === 'string' ? reason : 'see reason'}`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.reason = reason;
    this.name = 'ProcessExit';
  }
}

/**
 * Thrown to unwind a process that an exit signal has already killed while its own code was
 * on the stack (it killed itself, or a link it broke came back). Not an error: the process is
 * already gone. Code that catches everything must rethrow it (`if (isUnwind(e)) throw e`);
 * code that swallows it gets it again at its next BIF or yield.
 */
export const EXIT_UNWIND: { readonly unwind: true } = Object.freeze({ unwind: true as const });

/** True for EXIT_UNWIND: the caller is already dead, so whatever caught this must rethrow it. */
export function isUnwind(e: unknown): e is typeof EXIT_UNWIND {
  return e === EXIT_UNWIND;
}
