/**
 * The log as Elixir's Logger and OTP's error logger write it, read off the flight recorder's
 * facts: a log entry is a view of an event, never a second stream. One death may read as two
 * entries, as OTP logs it twice: the crash report the GenServer writes as it terminates, and its
 * supervisor's report that the child terminated.
 */
import type { InspectorEvent, Pid } from '../../protocol.ts';

export type LogLevel = 'error' | 'warning' | 'notice' | 'info';
export type LogKind = 'crash' | 'supervisor' | 'unexpected' | 'system';

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warning', 'notice', 'info'];
export const LOG_KINDS: ReadonlyArray<{ kind: LogKind; label: string }> = [
  { kind: 'crash', label: 'crash reports' },
  { kind: 'supervisor', label: 'supervisor reports' },
  { kind: 'unexpected', label: 'unexpected messages' },
  { kind: 'system', label: 'schedulers' },
];

/** A line of the report under its headline: `** (exit) reason`, `Last message: …`, `State: …`. */
export interface LogLine {
  label: string;
  text: string;
  /** A pid to show as a link after the label ("Last message (from <0.9.0>)"). */
  pid?: Pid;
}

export interface LogEntry {
  at: number;
  level: LogLevel;
  kind: LogKind;
  /** The process the entry is about: clicking the entry opens it. */
  pid: Pid | null;
  /** The headline's parts: words and pids, in order (pids render as links). */
  headline: Array<string | { pid: Pid; showName?: true }>;
  lines: LogLine[];
  /** A stable key: the event's time, type and position. */
  key: string;
}

/** A shutdown reason: the supervisor's own stop of the child, logged as information, not as a failure. */
function isShutdown(reason: string): boolean {
  return reason === 'shutdown' || reason.startsWith('{shutdown');
}

/**
 * The reason line as Elixir prints it: `** (TypeError) message` for a raised error (the
 * runtime's reason text is the quoted "Name: message"), `** (stop) reason` for any other.
 */
function raised(reason: string): LogLine {
  const m = /^"([A-Z]\w*(?:Error|Exception)): ([\s\S]*)"$/.exec(reason);
  return m !== null ? { label: `** (${m[1]})`, text: m[2]! } : { label: '** (stop)', text: reason };
}

/** The log entries one event reads as (none for spawns, links, monitors, traces). */
export function logEntries(e: InspectorEvent, index: number): LogEntry[] {
  const key = `${e.at}-${e.type}-${index}`;
  switch (e.type) {
    case 'orchard.process.exited': {
      const out: LogEntry[] = [];
      if (e.crash !== undefined) {
        const c = e.crash;
        const lines: LogLine[] = [raised(e.reason)];
        if (c.lastMessage !== undefined) lines.push(c.from !== undefined ? { label: 'Last message (from', pid: c.from, text: c.lastMessage } : { label: 'Last message:', text: c.lastMessage });
        lines.push({ label: 'State:', text: c.state });
        out.push({ at: e.at, level: 'error', kind: 'crash', pid: e.pid, headline: [c.behaviour, ...(c.name !== undefined ? [c.name] : []), { pid: e.pid }, 'terminating'], lines, key: `${key}-crash` });
      }
      // A normal exit is no report (supervisor.erl reports none for it).
      if (e.supervisor !== undefined && e.childId !== undefined && e.reason !== 'normal') {
        const shutdown = isShutdown(e.reason);
        out.push({
          at: e.at,
          level: shutdown ? 'info' : 'error',
          kind: 'supervisor',
          pid: e.pid,
          headline: ['Child', e.childId, 'of Supervisor', { pid: e.supervisor, showName: true }, shutdown ? 'shut down' : 'terminated'],
          lines: [
            { label: 'Context:', text: shutdown ? 'shutdown' : 'child_terminated' },
            { label: 'Reason:', text: e.reason },
            { label: 'Offender:', pid: e.pid, text: '' },
          ],
          key: `${key}-sup`,
        });
      }
      return out;
    }
    case 'orchard.supervisor.restarted': {
      const failed = e.newPid === null;
      return [
        {
          at: e.at,
          level: failed ? 'error' : 'notice',
          kind: 'supervisor',
          pid: e.newPid ?? e.supervisor,
          headline: failed
            ? ['Supervisor', { pid: e.supervisor, showName: true }, 'could not restart child', e.childId]
            : ['Supervisor', { pid: e.supervisor, showName: true }, 'restarted child', e.childId, ...(e.oldPid !== null ? [{ pid: e.oldPid }, '→'] : []), { pid: e.newPid! }],
          lines: [
            { label: 'Context:', text: failed ? 'start_error' : 'child_restarted' },
            { label: 'Reason:', text: e.reason },
            ...(e.count !== undefined ? [{ label: 'Restarts:', text: String(e.count) }] : []),
          ],
          key,
        },
      ];
    }
    case 'orchard.supervisor.intensity_exceeded':
      return [
        {
          at: e.at,
          level: 'error',
          kind: 'supervisor',
          pid: e.supervisor,
          headline: ['Supervisor', { pid: e.supervisor, showName: true }, 'reached max restart intensity: shutting down'],
          lines: [
            { label: 'Context:', text: 'shutdown' },
            { label: 'Reason:', text: `reached_max_restart_intensity (${e.restarts} restarts, more than ${e.intensity} in ${e.period} s)` },
            ...(e.childId !== undefined ? [{ label: 'Last child:', text: `${e.childId}${e.reason !== undefined ? `, ${e.reason}` : ''}` }] : []),
          ],
          key,
        },
      ];
    case 'orchard.supervisor.report':
      return [
        {
          at: e.at,
          level: 'error',
          kind: 'supervisor',
          pid: e.pid ?? e.supervisor,
          headline: ['Supervisor', { pid: e.supervisor, showName: true }, e.context === 'start_error' ? 'could not start child' : 'could not shut down child', e.childId],
          lines: [
            { label: 'Context:', text: e.context },
            { label: 'Reason:', text: e.reason },
            e.pid !== null ? { label: 'Offender:', pid: e.pid, text: e.childId } : { label: 'Offender:', text: e.childId },
          ],
          key,
        },
      ];
    case 'orchard.process.unexpected_message':
      return [
        {
          at: e.at,
          level: 'warning',
          kind: 'unexpected',
          pid: e.pid,
          headline: [e.behaviour, ...(e.name !== undefined ? [e.name] : []), { pid: e.pid }, `received unexpected message in ${e.callback}/2`],
          lines: [{ label: 'Message:', text: e.message }],
          key,
        },
      ];
    case 'orchard.scheduler.replaced':
      return [{ at: e.at, level: 'error', kind: 'system', pid: null, headline: [`Scheduler ${e.scheduler} replaced`], lines: [{ label: 'Reason:', text: e.reason }], key }];
    default:
      return [];
  }
}

/** Every word and pid of the entry, lower-cased, for the text filter. */
export function logText(entry: LogEntry): string {
  const parts: string[] = [entry.level, entry.kind];
  for (const h of entry.headline) parts.push(typeof h === 'string' ? h : h.pid);
  for (const l of entry.lines) parts.push(l.label, l.text, l.pid ?? '');
  if (entry.pid !== null) parts.push(entry.pid);
  return parts.join(' ').toLowerCase();
}
