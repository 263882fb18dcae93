/**
 * A source is what the inspector endpoint inspects: the endpoint speaks the protocol (handshake,
 * validation, capabilities, rates, batching), the source knows the runtime. This split keeps the
 * endpoint the same for every kind of runtime:
 *
 * - `createSchedulerSource` (schedulerSource.ts): one or more Schedulers in this thread, as the
 *   page's own runtime has.
 * - A node whose schedulers live in workers implements the same interface on the main thread,
 *   with each method answered from the workers (every method may return a Promise for that).
 *
 * Contract for implementers:
 * - Nothing is collected while no view is open: `openView` starts change tracking, `close`
 *   stops it (DESIGN decision 7). Only the flight recorder's lifecycle events (spawn, exit,
 *   restart, intensity, scheduler replaced) may be kept before anyone looks, in a bounded ring.
 * - A view's `snapshot()` returns everything (within its process limit) and restarts tracking;
 *   each `delta()` returns what changed since the previous call, plus the events since then.
 * - Times are ms since the epoch. Reasons and messages are already previews (strings).
 * - Commands answer with values (`'noproc'`, `'not_found'`), never by throwing.
 */
import type { Pid } from '../core/pid.ts';
import type { Term } from '../protocol/term.ts';
import type {
  CallOutcome, InspectorEvent, ProcessDetail, ProcessSortKey, RuntimeToInspector, TableRow, ValuePreview,
} from '../protocol/messages.ts';

export type MaybePromise<T> = T | Promise<T>;

export interface ViewOptions {
  /** Show at most this many processes: the top `limit` by `sortBy`, descending. */
  limit: number;
  sortBy: ProcessSortKey;
  /** Pids shown whatever their rank. */
  include: readonly Pid[];
}

export type SourceSnapshot = Omit<RuntimeToInspector['snapshot'], 'seq' | 'available'> & {
  /** The flight recorder's backlog, oldest first. */
  backlog: InspectorEvent[];
};

export type SourceDelta = Omit<RuntimeToInspector['delta'], 'seq'> & {
  /** Events since the previous snapshot or delta, oldest first; `dropped` did not fit. */
  events: InspectorEvent[];
  dropped: number;
};

export interface SourceView {
  snapshot(): MaybePromise<SourceSnapshot>;
  delta(): MaybePromise<SourceDelta>;
  close(): void;
  /**
   * (optional) A source read at a rate of its own (a BEAM node through the bridge): ticks come
   * no more often than this, whatever rate the inspector asked for, and `onChange` asks for the
   * next one at once when something changed in between (an exit, a restart, a finished read).
   */
  readonly minPeriodMs?: number;
  onChange?(wake: () => void): void;
}

export type CommandResult = 'ok' | 'noproc';

/**
 * A typed term (protocol v2) handed to a source that takes terms as they are (`typedTerms`):
 * the BEAM bridge, where an atom is not a string. Other sources get `termToValue(term)`.
 */
export class TypedTerm {
  constructor(readonly term: Term) {}
}

export interface InspectorSource {
  /** When the runtime started, ms since the epoch. */
  readonly startedAt: number;
  schedulerCount(): number;
  openView(options: ViewOptions): SourceView;
  /** The recent events about one pid from the flight recorder, newest last. */
  recentEvents(pid: Pid, limit: number): InspectorEvent[];
  /** One process's details, or null when no such process lives. */
  detail(pid: Pid, mailboxLimit: number): MaybePromise<Omit<ProcessDetail, 'events'> | null>;
  /** exit(pid, reason) from the host; 'kill' cannot be trapped. */
  exit(pid: Pid, reason: unknown): MaybePromise<CommandResult>;
  /** Sends from the host to a pid or a registered name; 'noproc' when nobody is there. */
  send(to: Pid | string, message: unknown): MaybePromise<CommandResult>;
  /**
   * A GenServer call made for the inspector (gen_server:call/3): the reply, or the reason the
   * caller exits with. The request is the JavaScript value of the typed term. A source that
   * cannot make calls leaves it out, and the endpoint answers `bad_argument`.
   */
  call?(to: Pid | string, request: unknown, timeoutMs: number): MaybePromise<CallOutcome>;
  /** A GenServer cast (gen_server:cast/2); 'noproc' when nobody is there to take it. */
  cast?(to: Pid | string, request: unknown): MaybePromise<CommandResult>;
  /** Message tracing on or off; answers the pids that named no live process. */
  trace(pids: readonly Pid[], on: boolean): MaybePromise<Pid[]>;
  /** (optional) Typed terms in exit and send arrive as TypedTerm, not as JavaScript values. */
  readonly typedTerms?: boolean;
  /** The applications that can be started by name. */
  available(): Array<{ name: string; description: string }>;
  /** Whether the application `name` runs here (started and not yet stopped). */
  isRunning(name: string): MaybePromise<boolean>;
  startApplication(name: string): Promise<{ ok: { master: Pid; root: Pid | null } } | { error: 'not_found' | 'already_started' | string }>;
  stopApplication(name: string): MaybePromise<'ok' | 'not_found'>;
  tables(): MaybePromise<TableRow[]>;
  table(name: string, offset: number, limit: number): MaybePromise<{ total: number; rows: ValuePreview[] } | null>;
}
