/**
 * What a scheduler tells the inspector about a process and about itself. Reading it is cheap:
 * fields already on the record, no walk over the mailbox.
 */
import type { Pid, Ref } from './pid.ts';
import { type Process, STATUS_NAMES, type StatusName } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';

export interface ProcessInfo {
  pid: Pid;
  status: StatusName;
  mailboxLength: number;
  reductions: number;
  links: Pid[];
  monitors: Array<{ ref: Ref; pid: Pid }>;
  monitoredBy: Pid[];
  trapExit: boolean;
  /** Module name or function name the process started in (OTP's initial call). */
  initialCall: string;
  behaviour: string | null;
  registeredName: string | null;
  label: string | null;
  parent: Pid | null;
  ancestors: Pid[];
  startedAt: number;
  scheduler: number;
  /** Estimated bytes: the record, its mailbox and its links and monitors. */
  memory: number;
}

export interface SchedulerStats {
  id: number;
  processes: number;
  runQueue: number;
  reductions: number;
  sent: number;
  received: number;
  spawned: number;
  exited: number;
  busyMs: number;
  /** Busy share of wall time since the previous `stats()` call, 0..1. */
  utilization: number;
  timers: number;
}

export type RuntimeEvent =
  | { type: 'spawn'; at: number; pid: Pid; parent: Pid | null; init: string }
  /** `crash`: what a behaviour left for its crash report (CRASH_REPORT below), when it has one. */
  | { type: 'exit'; at: number; pid: Pid; reason: unknown; crash?: CrashReport }
  /** A supervisor restarted a child: the old pid is gone, the new one stands in its place. */
  | { type: 'restart'; at: number; supervisor: Pid; childId: string; oldPid: Pid | null; newPid: Pid | null; reason: unknown; count?: number }
  /**
   * A supervisor's restarts exceeded its intensity: it stops its children and exits with
   * `shutdown`. `childId` and `reason`: the exit that was one too many.
   */
  | { type: 'intensity'; at: number; supervisor: Pid; restarts: number; intensity: number; period: number; childId?: string; reason?: unknown }
  /**
   * A supervisor's child failed to start (`start_error`) or to shut down in time or cleanly
   * (`shutdown_error`): OTP's supervisor report, naming the offender's id and pid.
   */
  | { type: 'supervisor_report'; at: number; supervisor: Pid; context: 'start_error' | 'shutdown_error'; reason: unknown; childId: string; pid: Pid | null }
  /**
   * A behaviour got a message none of its callbacks takes and dropped it (a GenServer without
   * handleInfo); Elixir logs "received unexpected message in handle_info/2". Rare, so always sent.
   */
  | { type: 'unexpected'; at: number; pid: Pid; behaviour: string; name: string | null; callback: string; message: unknown }
  // The rest only while the scheduler is watched (`Scheduler.watch` set), so they cost nothing otherwise.
  | { type: 'link'; at: number; pid: Pid; other: Pid }
  | { type: 'unlink'; at: number; pid: Pid; other: Pid }
  /** `pid` monitors `target`. */
  | { type: 'monitor'; at: number; pid: Pid; target: Pid; ref: Ref }
  /** The watcher `pid` got a DOWN for `target`, for its monitor `ref` (one DOWN per monitor). */
  | { type: 'down'; at: number; pid: Pid; target: Pid; reason: unknown; ref?: Ref }
  /** Message tracing (`Scheduler.setTrace`): a traced process sent, or one received. */
  | { type: 'send'; at: number; from: Pid; to: Pid; message: unknown }
  | { type: 'receive'; at: number; pid: Pid; message: unknown };

const RECORD_BYTES = 160;
const MESSAGE_BYTES = 48;
const ENTRY_BYTES = 40;

export function estimateMemory(p: Process): number {
  return (
    RECORD_BYTES +
    (p.ext === null ? 0 : 64) +
    p.mailboxLength * MESSAGE_BYTES +
    ((p.links?.size ?? 0) + (p.monitors?.size ?? 0) + (p.monitoredBy?.size ?? 0)) * ENTRY_BYTES
  );
}

export function processInfo(p: Process, s: Scheduler): ProcessInfo {
  const ancestors: Pid[] = [];
  for (let up = p.parent; up !== null && ancestors.length < 64; ) {
    ancestors.push(up);
    up = s.procs.get(up)?.parent ?? null;
  }
  return {
    pid: p.pid,
    status: STATUS_NAMES[p.status],
    mailboxLength: p.mailboxLength,
    reductions: p.reductions,
    links: p.links === null ? [] : [...p.links],
    monitors: p.monitors === null ? [] : [...p.monitors].map(([ref, pid]) => ({ ref, pid })),
    monitoredBy: p.monitoredBy === null ? [] : [...p.monitoredBy.values()],
    trapExit: p.trapExit,
    initialCall: p.init,
    behaviour: p.ext?.behaviour ?? null,
    registeredName: p.ext?.name ?? null,
    label: p.ext?.label ?? null,
    parent: p.parent,
    ancestors,
    startedAt: p.startedAt,
    scheduler: s.id,
    memory: estimateMemory(p),
  };
}

/**
 * What a supervisor publishes for the inspector, under `SUPERVISOR_REPORT` in its process's
 * `ext.dict` as a function of the time (its scheduler's `clock.now()`): flags, how much of the
 * restart intensity the window ending then has used, and its children in start order.
 */
export interface SupervisorReport {
  strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';
  intensity: number;
  period: number;
  /** Restarts counted in the current window (max `intensity` before the supervisor gives up). */
  restartsInWindow: number;
  children: Array<{
    id: string;
    pid: Pid | null;
    restart: 'permanent' | 'transient' | 'temporary';
    type: 'worker' | 'supervisor';
    restarts: number;
    lastExitReason: unknown;
    lastRestartAt: number | null;
  }>;
}

export const SUPERVISOR_REPORT = 'orchard.supervisor';

/**
 * What a behaviour that stops abnormally leaves under `CRASH_REPORT` in its process's
 * `ext.dict`, read once by the exit event: gen_server's crash report (its name, the last
 * message, the state as format_status shows it).
 */
export interface CrashReport {
  behaviour: string;
  name: string | null;
  /** The message being handled when it stopped; absent when it stopped before any. */
  lastMessage?: unknown;
  /** The caller, when the last message was a call. */
  from?: Pid;
  state: unknown;
}

export const CRASH_REPORT = 'orchard.crash_report';
