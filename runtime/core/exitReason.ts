/**
 * Exit reasons, as OTP names them. A reason is any cloneable value; these are the ones the
 * runtime itself gives meaning to.
 * https://www.erlang.org/doc/system/ref_man_processes.html#process-termination
 */

export type ExitReason =
  | 'normal'
  | 'shutdown'
  | { shutdown: unknown }
  | 'kill'
  | 'killed'
  | 'noproc'
  | 'noconnection'
  | ErrorReason
  | unknown;

/** What a thrown JavaScript error becomes: OTP's `{Class, Reason, Stack}` in JS terms. */
export interface ErrorReason {
  error: { name: string; message: string; stack?: string };
}

export function errorReason(thrown: unknown): ErrorReason {
  if (thrown instanceof Error) {
    return { error: { name: thrown.name, message: thrown.message, stack: thrown.stack } };
  }
  return { error: { name: 'throw', message: safeString(thrown) } };
}

/**
 * A "normal" exit for restart decisions: `normal`, `shutdown` or `{shutdown, _}`
 * (supervisor docs, "restart": a transient child is restarted only on other reasons).
 */
export function isNormalExit(reason: unknown): boolean {
  return (
    reason === 'normal' ||
    reason === 'shutdown' ||
    (typeof reason === 'object' && reason !== null && 'shutdown' in reason && Object.keys(reason).length === 1)
  );
}

/** Formats a reason for people: short, one line. */
export function formatReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (typeof reason === 'object' && reason !== null && 'error' in reason) {
    const e = (reason as ErrorReason).error;
    if (e && typeof e === 'object') return `${e.name}: ${e.message}`;
  }
  return safeString(reason);
}

function safeString(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}
