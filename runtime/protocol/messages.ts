/**
 * The inspector protocol: the one public contract between a runtime and whoever inspects it
 * (the Observer app, or any third-party tool). Both sides import only this module and the
 * protocol's Wall/Bridge (STYLE G10). Described for people in runtime/protocol/PROTOCOL.md.
 *
 * Every message is an envelope `{ protocol: 'orchard-inspector', version, type, id?, ... }`.
 * Requests from the inspector carry an `id`; the runtime answers each with a message carrying
 * the same id (a result or an `error`). Subscriptions stream `snapshot` then `delta` messages
 * and `events`, unprompted, at the rate the inspector asked for.
 *
 * Connecting: the inspector sends `hello` (over `window.postMessage` to a frame or window, or
 * straight over a MessagePort for the page's own runtime). The runtime answers `welcome`
 * with its identity and the capabilities it grants (and, over postMessage, a MessagePort in
 * the transfer list: everything after the handshake goes over that port), or `refused`.
 * The hello's `version` is the version the connection speaks from then on, both ways.
 *
 * How the contract grows (the rule every version keeps):
 * - An optional field added to a message, or a new message or event type, is part of the
 *   current version: it needs no new number. Its comment says `(v2)` and what it means when
 *   absent.
 * - Both sides ignore fields they do not know, and an inspector ignores message and event
 *   types it does not know. The runtime answers an unknown request type with `unknown_type`.
 * - A change that alters the meaning of a field that exists, removes one, or changes where a
 *   fact travels needs a new version in PROTOCOL_VERSIONS; older versions stay served.
 */
import type { Pid, Ref } from '../core/pid.ts';
import type { Term } from './term.ts';

export const PROTOCOL = 'orchard-inspector';

/**
 * Versions this code speaks, newest last. One comment per version saying what changed.
 * WARNING: never renumber or reuse a version; add a new one.
 */
export const PROTOCOL_VERSIONS = [
  // 1: first version: hello/welcome, subscriptions with snapshot + delta, events, details,
  //    commands. Before release it also gained (additively): batches (an array of envelopes in
  //    one wire message), ping/pong with hello's heartbeatMs, the runtime's goodbye,
  //    refused.versions, delta.quiet, events.dropped and LIMITS.heartbeatMs/maxBatch/maxEventsPerTick.
  1,
  // 2: lifecycle facts travel once, inside the delta whose rows they explain (`delta.events`;
  //    no separate `events` message per tick), each with everything it means: a death names
  //    the supervisor and child id of a supervised child, a restart its count, an escalation
  //    the intensity and period it exceeded. `send` and `exit` may carry a typed Term
  //    (`typed: true`, term.ts). Additive optional fields are part of the contract (see above).
  2,
] as const;
/** The newest version: what this side's client asks for and what envelope() stamps by default. */
export const PROTOCOL_VERSION = 2;

export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

export type Capability = 'observe' | 'control';

/** Rate limits and sizes both sides can rely on. */
export const LIMITS = {
  /** Default and bounds for the subscription rate, per second. */
  defaultRate: 10,
  minRate: 0.1,
  maxRate: 60,
  /** Processes in one snapshot unless the subscription asks otherwise. */
  defaultProcessLimit: 2000,
  maxProcessLimit: 200_000,
  /** Links and monitors listed in a process row; a detail lists up to detailPids. */
  rowPids: 64,
  detailPids: 2000,
  /** Mailbox messages previewed in a process detail, by default. */
  defaultMailboxPreview: 50,
  /** A preview of one value is cut to this many characters. */
  previewChars: 400,
  /** Events replayed to a new subscriber (the flight recorder's backlog). */
  eventBacklog: 1000,
  /** An incoming message larger than this (JSON characters) is refused. */
  maxIncomingChars: 64 * 1024,
  /** Requests per second one inspector may send before it gets `rate_limited`. */
  maxRequestsPerSecond: 200,
  /** Envelopes in one wire message (a batch); a longer array is refused as `too_large`. */
  maxBatch: 100,
  /** Events sent per tick at most; the rest are counted in `events.dropped`. */
  maxEventsPerTick: 2000,
  /** The client's ping interval; a side that hears nothing for 3 intervals calls the other gone. */
  heartbeatMs: 5000,
  /** Nesting depth of an incoming message; deeper (or cyclic) is refused as `too_large`. */
  maxDepth: 64,
  /** Pids in one list of a request (`subscribe.processes.include`, `trace.pids`). */
  maxPids: 1000,
  /** `inspect.mailboxLimit` at most (messages previewed in one detail). */
  maxMailboxPreview: 1000,
  /** `table.limit` at most (rows in one page; `offset` from 0 to 2^53 - 1). */
  maxTableRows: 1000,
} as const;

// --- Envelope ---

export interface Envelope<T extends string = string> {
  protocol: typeof PROTOCOL;
  version: number;
  type: T;
  /** The request id (inspector → runtime), echoed in the answer. */
  id?: number;
}

// --- Shapes shared by several messages ---

export interface RuntimeIdentity {
  name: string;
  /** The runtime library's version. */
  version: string;
  /** ms since the epoch. */
  startedAt: number;
  schedulers: number;
  /** What the page runs, e.g. 'Orchard demo' or the embedding app's name. */
  application?: string;
  /** Origin of the page that hosts the runtime. */
  origin?: string;
}

export interface NodeStats {
  uptimeMs: number;
  startedAt: number;
  schedulers: number;
  processes: number;
  /** Total reductions since start, and per second over the last interval. */
  reductions: number;
  reductionsPerSecond: number;
  messagesPerSecond: number;
  /** Estimated bytes: processes, mailboxes, tables; and the JS heap where the host tells it. */
  memory: { processes: number; heap?: number; total?: number };
  /** A BEAM node served by the bridge (runtime/beam): what only it has. */
  beam?: BeamNodeStats;
}

/** What a BEAM node adds to NodeStats (optional: only the BEAM bridge sends it). */
export interface BeamNodeStats {
  /** The node's name: `pooly@host`. */
  node: string;
  /** `erlang:system_info(otp_release)`, e.g. "26". */
  otpRelease: string;
  ertsVersion: string;
  processLimit: number;
  /** `erlang:memory/0`: bytes by type (total, processes, system, atom, binary, code, ets, ...). */
  memoryByType: Record<string, number>;
  /** Bytes in and out through ports since the node started (`erlang:statistics(io)`). */
  ioBytes: number;
  /** The rate (per second) at which the bridge reads the node, whatever rate was asked for. */
  pollRate: number;
  /** Restart counts are those seen since this time (ms since the epoch): OTP keeps no count per child. */
  restartsSince: number;
  /** Set while the node is down (the bridge reconnects when it is back). */
  down: { since: number; reason: string } | null;
}

export interface SchedulerRow {
  id: number;
  /** 0..1 busy share over the last interval. */
  utilization: number;
  runQueue: number;
  messagesIn: number;
  messagesOut: number;
  processes: number;
  /** A scheduler the watchdog replaced says so until the inspector has seen it once. */
  replaced?: boolean;
}

export type ProcessStatus = 'running' | 'runnable' | 'waiting' | 'exiting' | 'exited';

export interface ProcessRow {
  pid: Pid;
  /** Registered name, if any. */
  name: string | null;
  label: string | null;
  behaviour: string | null;
  initialCall: string;
  status: ProcessStatus;
  mailbox: number;
  reductions: number;
  /** Reductions since the previous tick. */
  reductionsDelta: number;
  memory: number;
  scheduler: number;
  /** Linked pids: at most LIMITS.rowPids in a table row, LIMITS.detailPids in a detail. */
  links: Pid[];
  /** Pids this process monitors, cut as links are. */
  monitors: Pid[];
  /** Present when `links` was cut: how many links the process has. */
  linkCount?: number;
  /** Present when `monitors` was cut: how many processes it monitors. */
  monitorCount?: number;
  parent: Pid | null;
  startedAt: number;
  trapExit: boolean;
  /** For supervised children: the supervisor, the child id and what it knows of the child. */
  supervisor: Pid | null;
  childId: string | null;
  restarts: number;
  lastExitReason: string | null;
}

export interface SupervisorRow {
  pid: Pid;
  strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';
  intensity: number;
  period: number;
  restartsInWindow: number;
  /** In start order. */
  children: Array<{
    id: string;
    pid: Pid | null;
    type: 'worker' | 'supervisor';
    restart: 'permanent' | 'transient' | 'temporary';
    restarts: number;
    lastExitReason: string | null;
    lastRestartAt: number | null;
  }>;
}

export interface ApplicationRow {
  name: string;
  /** The application master and the root supervisor. */
  master: Pid;
  root: Pid | null;
}

/**
 * A death. In v2, a supervised child's death names its supervisor and child id (both absent for
 * a process nobody supervises), so the inspector never has to look them up in rows that the
 * same delta removes.
 */
export interface ExitedEvent {
  type: 'orchard.process.exited';
  at: number;
  pid: Pid;
  reason: string;
  /** (v2) The supervisor that had this process as a child. */
  supervisor?: Pid;
  /** (v2) Its child id under that supervisor. */
  childId?: string;
  /**
   * (v2) The crash report, when a behaviour stopped abnormally by itself (a callback raised or
   * returned stop): gen_server's "terminating" report. Absent for a process killed by a signal.
   */
  crash?: CrashReportFields;
}

/** (v2) What gen_server's crash report says beside the reason. Values are previews. */
export interface CrashReportFields {
  /** 'GenServer', 'Supervisor', 'Agent'… */
  behaviour: string;
  /** Its registered name, if it had one. */
  name?: string;
  /** The message it was handling (a call's request); absent when it stopped before any. */
  lastMessage?: string;
  /** The caller, when that message was a call. */
  from?: Pid;
  /** The state as format_status shows it. */
  state: string;
}

/**
 * (v2) A behaviour got a message none of its callbacks takes and dropped it (a GenServer with
 * no handleInfo); Elixir's GenServer logs it as "received unexpected message in handle_info/2".
 */
export interface UnexpectedMessageEvent {
  type: 'orchard.process.unexpected_message';
  at: number;
  pid: Pid;
  behaviour: string;
  name?: string;
  /** The callback that would have taken it, in OTP's spelling: 'handle_info'. */
  callback: string;
  message: string;
}

/** A supervisor restarted a child: `oldPid` is gone, `newPid` stands in its place (null: it failed to start). */
export interface RestartedEvent {
  type: 'orchard.supervisor.restarted';
  at: number;
  supervisor: Pid;
  childId: string;
  oldPid: Pid | null;
  newPid: Pid | null;
  /** Why the old one died. */
  reason: string;
  /** (v2) How many times this child has been restarted, this one included. */
  count?: number;
}

/**
 * A supervisor gave up (OTP's `reached_max_restart_intensity`): more than `intensity` restarts
 * within `period` seconds. It shuts its children down and exits with `shutdown`; its own
 * supervisor, if any, sees that exit and decides again (escalation).
 */
export interface IntensityExceededEvent {
  type: 'orchard.supervisor.intensity_exceeded';
  at: number;
  supervisor: Pid;
  /** Restarts counted in the window, the one refused included. */
  restarts: number;
  intensity: number;
  /** The window, in seconds. */
  period: number;
  /** (v2) The child whose exit was one too many, and its reason. */
  childId?: string;
  reason?: string;
}

/**
 * (v2) A supervisor's child failed to start (`start_error`) or to shut down (`shutdown_error`):
 * OTP's supervisor report, naming the offender. Not a lifecycle fact: the exit and restart
 * events say what it did to the tree.
 */
export interface SupervisorReportEvent {
  type: 'orchard.supervisor.report';
  at: number;
  supervisor: Pid;
  context: 'start_error' | 'shutdown_error';
  reason: string;
  childId: string;
  pid: Pid | null;
}

/** The facts that change the supervision tree: what the inspector must apply in order. */
export type LifecycleEvent = ExitedEvent | RestartedEvent | IntensityExceededEvent;

/** The flight recorder. `at` is ms since the epoch. Namespaced like XState's inspection events. */
export type InspectorEvent =
  | { type: 'orchard.process.spawned'; at: number; pid: Pid; parent: Pid | null; initialCall: string }
  | ExitedEvent
  | { type: 'orchard.process.linked'; at: number; pid: Pid; other: Pid }
  | { type: 'orchard.process.unlinked'; at: number; pid: Pid; other: Pid }
  | { type: 'orchard.process.monitored'; at: number; pid: Pid; target: Pid; ref: Ref }
  /**
   * One per monitor: a watcher with two monitors on the target gets two DOWNs (Task.shutdown
   * monitors a task it already monitors). `ref` (v2) tells them apart.
   */
  | { type: 'orchard.process.down'; at: number; pid: Pid; target: Pid; reason: string; ref?: Ref }
  | RestartedEvent
  | IntensityExceededEvent
  | SupervisorReportEvent
  | { type: 'orchard.scheduler.replaced'; at: number; scheduler: number; reason: string }
  | { type: 'orchard.trace.send'; at: number; from: Pid; to: Pid; message: string }
  | { type: 'orchard.trace.receive'; at: number; pid: Pid; message: string }
  | UnexpectedMessageEvent;

export type InspectorEventType = InspectorEvent['type'];

const LIFECYCLE_TYPES: ReadonlySet<string> = new Set<LifecycleEvent['type']>([
  'orchard.process.exited', 'orchard.supervisor.restarted', 'orchard.supervisor.intensity_exceeded',
]);

export function isLifecycleEvent(e: InspectorEvent): e is LifecycleEvent {
  return LIFECYCLE_TYPES.has(e.type);
}

/** (v2) How an inspector's `call` ended: the server's reply, or the exit the caller would take. */
export type CallOutcome = { reply: ValuePreview } | { exit: string };

/**
 * (v2) A message a process says it handles, with an example to start from (the send box
 * prefills it): a GenServer's call or cast request, or a plain message (`info`).
 */
export interface AcceptedMessage {
  kind: 'call' | 'cast' | 'info';
  example: Term;
  /** What it does, in a few words. */
  note?: string;
}

/** A value made safe to show: a size-limited string preview, never the live object. */
export interface ValuePreview {
  preview: string;
  truncated: boolean;
}

export interface MailboxEntry {
  /** Position in the mailbox, 0 = next to be received. */
  index: number;
  /** ms since the epoch when it arrived, where the runtime knows it. */
  arrivedAt: number | null;
  value: ValuePreview;
}

export interface ProcessDetail {
  row: ProcessRow;
  monitoredBy: Pid[];
  ancestors: Pid[];
  /** The first messages of the mailbox; `mailboxTotal` says how many there are. */
  mailbox: MailboxEntry[];
  mailboxTotal: number;
  /** The behaviour's state as it presents it (format_status), or null for a plain process. */
  state: ValuePreview | null;
  /** Recent events about this process, newest last. */
  events: InspectorEvent[];
  /** (v2) Messages the process says it handles, where its module declares them. */
  accepts?: AcceptedMessage[];
  /** (v2) sys:get_status for a GenServer (and what is built on it); absent for other processes. */
  sys?: SysStatusDetail;
  /** (v2) The receive the process waits in; absent while it runs or when the runtime cannot tell. */
  waiting?: WaitingDetail;
  /** (v2) For an application master: its application's spec (Application.spec/1). */
  application?: ApplicationSpecDetail;
}

/** (v2) What sys:get_status/1 shows of a GenServer. */
export interface SysStatusDetail {
  behaviour: string;
  /** The callback module (the initial call). */
  module: string;
  /** sys:suspend/1 in effect: it handles system messages only; the rest wait in the mailbox. */
  suspended: boolean;
  /** The last message it handled (a call's request), absent before the first. */
  lastMessage?: ValuePreview;
  from?: Pid;
}

/** (v2) Where a process waits: its receive, the messages it takes, its timeout, and where in the code. */
export interface WaitingDetail {
  /** What the receive takes: 'any message', a pattern, a predicate's name, a behaviour's loop. */
  receive: string;
  /** ms left before the receive gives up; absent when it waits for ever. */
  timeoutMs?: number;
  /** The source line of the receive (file:line:column), when it was captured (see `inspect`). */
  location?: string;
}

/** (v2) An application's resource file, as Application.spec/1 reads it. */
export interface ApplicationSpecDetail {
  name: string;
  description: string;
  vsn: string;
  /** 'normal' for an application started by hand, 'temporary' / 'transient' / 'permanent' otherwise. */
  startType: string;
  /** Its environment (Application.get_all_env/1), key → preview. */
  env: Record<string, string>;
}

export interface TableRow {
  id: string;
  name: string | null;
  owner: Pid;
  heir: Pid | null;
  type: 'set' | 'ordered_set' | 'bag' | 'duplicate_bag';
  access: 'public' | 'protected' | 'private';
  size: number;
  memory: number;
}

export type ProcessSortKey = 'reductions' | 'reductionsDelta' | 'mailbox' | 'memory' | 'startedAt' | 'pid';

// --- Inspector → runtime ---

export interface InspectorToRuntime {
  /**
   * With `heartbeatMs`, the inspector promises a message (a `ping` will do) at least that often;
   * the runtime drops the connection after 3 silent intervals (and not before 2 minutes, as a
   * hidden tab's timers run once a minute). Without it, never for silence.
   */
  hello: { capabilities: Capability[]; client: { name: string; version: string }; heartbeatMs?: number };
  /** Answered with `pong`; keeps the connection alive (see hello.heartbeatMs). */
  ping: Record<string, never>;
  /** Start streaming: a `snapshot` now, then a `delta` per tick, and `events`. */
  subscribe: {
    rate?: number;
    /** Limit the process list to the top `limit` by `sortBy` (descending); the rest are counted. */
    processes?: { limit?: number; sortBy?: ProcessSortKey; include?: Pid[] };
    /** Hide the inspector's own processes (default true). */
    hideInspector?: boolean;
  };
  unsubscribe: Record<string, never>;
  /** A full snapshot now, outside the tick (after a pause, or to resync). */
  resync: Record<string, never>;
  /** Process details; with `watch`, the same answer streams as `process_detail` each tick while open. */
  inspect: { pid: Pid; mailboxLimit?: number; watch?: boolean };
  unwatch: { pid: Pid };
  tables: Record<string, never>;
  table: { table: string; offset?: number; limit?: number };
  // Commands: need `control`.
  kill: { pid: Pid };
  /** With `typed: true` (v2) the reason is a Term (term.ts); without, any cloneable value. */
  exit: { pid: Pid; reason: unknown | Term; typed?: boolean };
  /** With `typed: true` (v2) the message is a Term (term.ts), read the same by every runtime. */
  send: { to: Pid | string; message: unknown | Term; typed?: boolean };
  /**
   * (v2) A GenServer call from the inspector, as gen_server:call/3 makes one: answered `ok` with
   * a CallOutcome, the reply or the reason the caller exits with (`noproc`, `timeout`, or the
   * server's reason when it dies during the call). `timeout` in ms, default 5000.
   */
  call: { to: Pid | string; request: Term; timeout?: number };
  /** (v2) A GenServer cast (gen_server:cast/2): answered `ok`, or `noproc` when nobody is there. */
  cast: { to: Pid | string; request: Term };
  trace: { pids: Pid[]; on: boolean };
  startApplication: { name: string };
  stopApplication: { name: string };
  /**
   * (v2) sys:suspend/1 and sys:resume/1: a suspended GenServer handles system messages only,
   * the rest wait in its mailbox. `not_found` for a process that is no GenServer.
   */
  suspend: { pid: Pid };
  resume: { pid: Pid };
  goodbye: Record<string, never>;
}

// --- Runtime → inspector ---

export interface RuntimeToInspector {
  welcome: { runtime: RuntimeIdentity; granted: Capability[]; versions: readonly number[] };
  refused: { reason: string; code: ErrorCode; versions?: readonly number[] };
  pong: Record<string, never>;
  /** The runtime ends the connection (page unloading, inspector silent, flood); nothing follows. */
  goodbye: { reason: string };
  snapshot: {
    seq: number;
    at: number;
    node: NodeStats;
    schedulers: SchedulerRow[];
    processes: ProcessRow[];
    /** All processes, of which `processes` may show only the top N. */
    processTotal: number;
    supervisors: SupervisorRow[];
    applications: ApplicationRow[];
    /** Demo or embedded applications that can be started by name. */
    available: Array<{ name: string; description: string }>;
  };
  delta: {
    seq: number;
    at: number;
    node: NodeStats;
    schedulers: SchedulerRow[];
    /** New or changed rows (whole rows: simple to apply, still small when 1% change). */
    processes: ProcessRow[];
    /** Rows to drop: the process exited, or it left the top N. */
    removed: Pid[];
    /**
     * Rows that ran in the previous interval and not in this one: their `reductionsDelta` is
     * now 0 (sent as pids rather than whole rows, to keep deltas small).
     */
    quiet?: Pid[];
    processTotal: number;
    supervisors: SupervisorRow[];
    removedSupervisors: Pid[];
    applications: ApplicationRow[];
    /**
     * (v2) The events of this tick, oldest first, lifecycle facts included: each death,
     * restart and escalation arrives here, with the rows it removes or adds, and nowhere else.
     * Apply them first, then the rows. Absent in v1 (an `events` message follows instead).
     */
    events?: InspectorEvent[];
    /** (v2) Events of this tick left out (over LIMITS.maxEventsPerTick). */
    dropped?: number;
  };
  /**
   * `backlog`: the flight recorder's events from before the subscription; `dropped`: events left
   * out this tick. In v2 only the backlog comes this way; a tick's events ride in its delta.
   */
  events: { events: InspectorEvent[]; backlog?: boolean; dropped?: number };
  process_detail: { pid: Pid; detail: ProcessDetail | null };
  tables: { tables: TableRow[] };
  table: { table: string; total: number; offset: number; rows: ValuePreview[] };
  /** A command's or request's success. */
  ok: { result?: unknown };
  error: { code: ErrorCode; message: string };
}

/** Error codes. WARNING: these cross the wire; never rename one, add new ones. */
export type ErrorCode =
  | 'bad_message' // not an envelope, or fields of the wrong type
  | 'unknown_type'
  | 'version_mismatch'
  | 'not_permitted' // the capability was not granted
  | 'origin_not_allowed'
  | 'not_connected' // a request before the handshake
  | 'noproc' // the pid or name names no live process
  | 'not_found' // an unknown table or application
  | 'bad_argument'
  | 'not_cloneable'
  | 'too_large'
  | 'rate_limited'
  | 'internal';

/** What one postMessage carries: an envelope, or a batch of them in order. */
export type WireMessage = Envelope | Envelope[];

export type InspectorMessage<K extends keyof InspectorToRuntime = keyof InspectorToRuntime> = Envelope<K> & InspectorToRuntime[K];
export type RuntimeMessage<K extends keyof RuntimeToInspector = keyof RuntimeToInspector> = Envelope<K> & RuntimeToInspector[K];
/** Any runtime message, as a union discriminated by `type`. */
export type AnyRuntimeMessage = { [K in keyof RuntimeToInspector]: RuntimeMessage<K> }[keyof RuntimeToInspector];

/**
 * The one way to build an envelope, on both sides: `version` is the connection's (default the
 * newest), `id` the request's when it answers or makes one.
 */
export function envelope<K extends keyof RuntimeToInspector>(type: K, payload: RuntimeToInspector[K], id?: number, version?: number): RuntimeMessage<K>;
export function envelope<K extends keyof InspectorToRuntime>(type: K, payload: InspectorToRuntime[K], id?: number, version?: number): InspectorMessage<K>;
export function envelope(type: string, payload: object, id?: number, version: number = PROTOCOL_VERSION): Envelope {
  const e = { protocol: PROTOCOL, version, type, ...payload } as Envelope;
  if (id !== undefined) e.id = id;
  return e;
}

/**
 * What a runtime posts to its parent or opener window, at exactly a listed origin, with a
 * MessagePort: a connection the inspector there may take by saying `hello` on that port. It
 * lets a page attach inspectors without listening on its own window (see PROTOCOL.md, "Offers").
 */
export interface OfferMessage {
  protocol: typeof PROTOCOL;
  version: number;
  type: 'offer';
}

export function isOffer(x: unknown): x is OfferMessage {
  return isEnvelope(x) && x.type === 'offer';
}

export function isEnvelope(x: unknown): x is Envelope {
  return typeof x === 'object' && x !== null && (x as Envelope).protocol === PROTOCOL && typeof (x as Envelope).type === 'string';
}
