/**
 * The app's one door to the inspector protocol's contract: every view and store imports the
 * protocol's types from here, so the app depends on the contract module and nothing else of
 * runtime/ (DESIGN: "app/ never imports runtime internals"). It re-exports the protocol's index.
 */

export type {
  AnyRuntimeMessage, ApplicationRow, Capability, ErrorCode, InspectorEvent, InspectorEventType, InspectorToRuntime, MailboxEntry,
  NodeStats, ProcessDetail, ProcessRow, ProcessSortKey, ProcessStatus, RuntimeIdentity, RuntimeMessage, RuntimeToInspector,
  SchedulerRow, SupervisorRow, TableRow, ValuePreview, ExitedEvent, RestartedEvent, IntensityExceededEvent, LifecycleEvent,
  BeamNodeStats,
} from '../runtime/protocol/index.ts';
export { LIMITS, PROTOCOL, PROTOCOL_VERSION, envelope, isLifecycleEvent } from '../runtime/protocol/index.ts';
export type { Term, CallOutcome, AcceptedMessage } from '../runtime/protocol/index.ts';
export { termToValue, termProblem } from '../runtime/protocol/index.ts';

export type { Pid, InspectorClient, ClientErrorCode, Result, Wall, WallMeta } from '../runtime/protocol/index.ts';
export { attachLocal, attachWall, attachWindow, attachOpener } from '../runtime/protocol/index.ts';
import type { Pid } from '../runtime/protocol/index.ts';

const PID_RE = /^<0\.\d+\.\d+>$/;

export function isPidText(text: string): text is Pid {
  return PID_RE.test(text);
}

/** Reads a pid typed by a person: `<0.12.0>`, `0.12.0` or `12`. */
export function parsePidText(text: string): Pid | null {
  const t = text.trim();
  if (PID_RE.test(t)) return t as Pid;
  const m = /^0\.(\d+)\.(\d+)$/.exec(t);
  if (m) return `<0.${m[1]}.${m[2]}>` as Pid;
  if (/^\d+$/.test(t)) return `<0.${t}.0>` as Pid;
  return null;
}
