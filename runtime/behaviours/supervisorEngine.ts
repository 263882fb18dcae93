/**
 * What Supervisor and DynamicSupervisor share, as OTP keeps one engine (supervisor.erl) for
 * every strategy: the restart flags, the restart intensity, the retry of a child that failed to
 * restart, the lifecycle events, the error reports and the report the inspector reads.
 * https://www.erlang.org/doc/apps/stdlib/supervisor.html#module-restart-intensity-and-period
 */
import { type Clock, type Pid, type Process, SUPERVISOR_REPORT, type SupervisorReport, currentScheduler } from '../core/index.ts';
import { addRestart, exceeded, restartsInWindow } from './restartIntensity.ts';

// --- Types ---

/** Restart intensity under OTP's names or Elixir's (`max_restarts`, `max_seconds`). */
export interface RestartFlags {
  /** Max restarts in the window (OTP `intensity`, Elixir `max_restarts`); default 3. */
  intensity?: number;
  maxRestarts?: number;
  /** The window in seconds (OTP `period`, Elixir `max_seconds`); default 5. */
  period?: number;
  maxSeconds?: number;
}

export const DEFAULT_INTENSITY = 3;
export const DEFAULT_PERIOD = 5;

/** The part of a supervisor's state the engine works on. */
export interface Engine {
  readonly process: Process;
  /** Its scheduler's clock, so that a report can be asked for from outside a slice. */
  readonly clock: Clock;
  readonly strategy: SupervisorReport['strategy'];
  intensity: number;
  period: number;
  /** Times (ms) of the restarts in the current window, oldest first. */
  restarts: number[];
}

/** One child as the report shows it. */
export type ReportedChild = SupervisorReport['children'][number];

/** A restart that failed, tried again through the mailbox (supervisor.erl try_again_restart). */
export interface TryAgain {
  type: '$try_again_restart';
  /** The child: its id under Supervisor, its last pid under DynamicSupervisor. */
  key: string;
}

/** Where a child's failure happened, in OTP's words (supervisor.erl ?report_error `errorContext`). */
export type ErrorContext = 'start_error' | 'shutdown_error';

// --- Flags ---

/** Reads the intensity and period; throws `{ invalid_intensity }` / `{ invalid_period }` (check_flags). */
export function checkRestartFlags(flags: RestartFlags): { intensity: number; period: number } {
  const intensity = flags.intensity ?? flags.maxRestarts ?? DEFAULT_INTENSITY;
  if (!Number.isInteger(intensity) || intensity < 0) throw { invalid_intensity: intensity };
  const period = flags.period ?? flags.maxSeconds ?? DEFAULT_PERIOD;
  if (!(typeof period === 'number' && period > 0)) throw { invalid_period: period };
  return { intensity, period };
}

// --- Restart ---

/**
 * Counts a restart of `childId` against the intensity (add_restart/1). Returns false when that
 * is one too many: the intensity event has gone out, and the supervisor must shut down.
 */
export function countRestart(e: Engine, childId: string, reason: unknown): boolean {
  const now = e.clock.now();
  e.restarts = addRestart(e.restarts, now, e.period);
  if (!exceeded(e.restarts, e.intensity)) return true;
  currentScheduler().onEvent?.({
    type: 'intensity', at: now, supervisor: e.process.pid,
    restarts: e.restarts.length, intensity: e.intensity, period: e.period, childId, reason,
  });
  return false;
}

/** Tells the inspector that `childId` was restarted: who replaced whom, and its count so far. */
export function restarted(e: Engine, childId: string, oldPid: Pid | null, newPid: Pid | null, reason: unknown, count: number): void {
  currentScheduler().onEvent?.({
    type: 'restart', at: e.clock.now(), supervisor: e.process.pid, childId, oldPid, newPid, reason, count,
  });
}

/** Schedules another try, through the mailbox, so that each try counts against the intensity. */
export function tryAgainLater(e: Engine, key: string): void {
  currentScheduler().send(e.process.pid, { type: '$try_again_restart', key } satisfies TryAgain);
}

export function isTryAgain(m: unknown): m is TryAgain {
  return typeof m === 'object' && m !== null && (m as TryAgain).type === '$try_again_restart';
}

// --- Reports ---

/**
 * A child that failed to start or to shut down, reported naming it (supervisor.erl
 * ?report_error: `{supervisor, Name}, {errorContext, start_error | shutdown_error}, {reason,
 * Reason}, {offender, Child}`).
 */
export function reportError(e: Engine, context: ErrorContext, reason: unknown, childId: string, pid: Pid | null): void {
  currentScheduler().onEvent?.({ type: 'supervisor_report', at: e.clock.now(), supervisor: e.process.pid, context, reason, childId, pid });
}

/** What the inspector reads of a supervisor at `now`. */
export function report(e: Engine, children: ReportedChild[], now: number): SupervisorReport {
  return {
    strategy: e.strategy,
    intensity: e.intensity,
    period: e.period,
    restartsInWindow: restartsInWindow(e.restarts, now, e.period),
    children,
  };
}

/**
 * Publishes a live view for the inspector, computed when read (never pushed): a function of the
 * time, which the inspector reads from the supervisor's scheduler.
 */
export function publish(e: Engine, view: (now: number) => SupervisorReport): void {
  const ext = e.process.extension();
  if (ext.dict === null) ext.dict = new Map();
  if (!ext.dict.has(SUPERVISOR_REPORT)) ext.dict.set(SUPERVISOR_REPORT, view);
}
