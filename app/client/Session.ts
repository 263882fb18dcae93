/**
 * What the views may ask of the inspected runtime. A session is one attachment (the page's own
 * runtime, an iframe, a window); it writes everything it receives into the runtime store and
 * answers commands with values, never throws at a view (STYLE G7).
 */
import type { ErrorCode, Pid, Term } from '../protocol.ts';

export type CommandResult = { ok: true; result?: unknown } | { ok: false; code: ErrorCode | 'not_connected'; message: string };

export interface Session {
  kill(pid: Pid): Promise<CommandResult>;
  exit(pid: Pid, reason: unknown): Promise<CommandResult>;
  send(to: Pid | string, message: unknown): Promise<CommandResult>;
  /** Sends a typed term (protocol v2), read the same by an Orchard runtime and a BEAM node. */
  sendTerm(to: Pid | string, message: Term): Promise<CommandResult>;
  /** A GenServer call; `result` is the CallOutcome (the reply, or the caller's exit). */
  call(to: Pid | string, request: Term, timeoutMs?: number): Promise<CommandResult>;
  /** A GenServer cast. */
  cast(to: Pid | string, request: Term): Promise<CommandResult>;
  startApplication(name: string): Promise<CommandResult>;
  stopApplication(name: string): Promise<CommandResult>;
  /** sys:suspend/1 and sys:resume/1 of a GenServer. */
  suspend(pid: Pid): Promise<CommandResult>;
  resume(pid: Pid): Promise<CommandResult>;
  /** Streams the process's detail into the store while the returned function is not called. */
  watch(pid: Pid, mailboxLimit?: number): () => void;
  /** Asks for the table list; the answer lands in the store's `tables`. */
  requestTables(): Promise<CommandResult>;
  /** Asks for one page of a table's contents; the answer lands in the store's `tablePage`. */
  requestTable(table: string, offset: number, limit: number): Promise<CommandResult>;
  /** Ends the attachment (goodbye) and stops writing to the store. */
  close(): void;
}

/** A session that is not attached to anything: every command says so. */
export const DETACHED: Session = {
  kill: notConnected,
  exit: notConnected,
  send: notConnected,
  sendTerm: notConnected,
  call: notConnected,
  cast: notConnected,
  startApplication: notConnected,
  stopApplication: notConnected,
  suspend: notConnected,
  resume: notConnected,
  watch: () => () => {},
  requestTables: notConnected,
  requestTable: notConnected,
  close: () => {},
};

function notConnected(): Promise<CommandResult> {
  return Promise.resolve({ ok: false, code: 'not_connected', message: 'not attached to a runtime' });
}
