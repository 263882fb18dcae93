/**
 * The part of OTP's `sys` module a GenServer answers, and the two logs gen_server writes.
 * https://www.erlang.org/doc/apps/stdlib/sys.html
 *
 * - `{ type: '$system', request: 'suspend' }` suspends the server (sys:suspend/1): from then on
 *   it handles system messages only; every other message waits in the mailbox, in order, until
 *   `{ type: '$system', request: 'resume' }` (sys:resume/1). With `from` and `tag` the server
 *   answers `{ type: '$system_reply', tag, reply: 'ok' }`, as sys's calls get their `ok`.
 * - `sysStatus(process)` is sys:get_status/1 for the inspector: the behaviour, the module, whether
 *   it is suspended, the last message it handled and its state as format_status shows it.
 * - A server that stops with a reason other than `normal`, `shutdown` or `{ shutdown: _ }`
 *   leaves its crash report for the exit event (gen_server's "terminating" error report: the
 *   last message, the state). One killed by an exit signal runs no code and leaves none, as
 *   in OTP.
 * - A message no callback takes (no handleInfo) is dropped with an `unexpected` event, as
 *   Elixir's GenServer logs "received unexpected message in handle_info/2".
 */
import {
  CRASH_REPORT, type CrashReport, type Pid, type Process, type Ref, type Scheduler, type Wait, isNormalExit,
} from '../core/index.ts';

/** What sys needs of a server; genServer.ts's Server record has these fields. */
export interface SysServer {
  readonly process: Process;
  readonly scheduler: Scheduler;
  readonly cbs: { formatStatus?(state: any): unknown };
  state: unknown;
  /** The message being handled or last handled; NO_MESSAGE before the first. */
  last: unknown;
  /** The server's loop, and the wait that replaces it while suspended (null: running). */
  loop: Wait | null;
  suspended: Wait | null;
}

export const NO_MESSAGE: unique symbol = Symbol('orchard.no_message');

export interface SystemMessage {
  type: '$system';
  request: 'suspend' | 'resume';
  from?: Pid;
  tag?: Ref;
}

export interface SysStatus {
  behaviour: string;
  module: string;
  suspended: boolean;
  /** Absent before the first message. */
  lastMessage?: unknown;
  from?: Pid;
  state: unknown;
}

/** Servers by process, so the inspector can ask one for its status without a message. */
const servers = new WeakMap<Process, SysServer>();

export function registerSys(srv: SysServer): void {
  servers.set(srv.process, srv);
}

export function isSystemMessage(m: unknown): m is SystemMessage {
  return typeof m === 'object' && m !== null && (m as SystemMessage).type === '$system';
}

/** A system message; anything but suspend and resume is ignored, as sys ignores what it does not know. */
export function handleSystem(srv: SysServer, msg: SystemMessage): void {
  const p = srv.process;
  if (msg.request === 'suspend' && srv.suspended === null) {
    srv.suspended = { match: isSystemMessage, after: -1, persistent: true, resume: (_p, m) => handleSystem(srv, m as SystemMessage) };
    p.wait = srv.suspended;
  } else if (msg.request === 'resume' && srv.suspended !== null) {
    srv.suspended = null;
    // The scheduler's turn reads the wait again: the queued messages run next, oldest first.
    p.wait = srv.loop;
  }
  if (msg.from !== undefined && msg.tag !== undefined) srv.scheduler.send(msg.from, { type: '$system_reply', tag: msg.tag, reply: 'ok' });
}

/** sys:get_status/1 as the inspector shows it, or null when `p` runs no GenServer. */
export function sysStatus(p: Process): SysStatus | null {
  const srv = servers.get(p);
  if (srv === undefined) return null;
  const status: SysStatus = {
    behaviour: p.ext?.behaviour ?? 'GenServer',
    module: p.init,
    suspended: srv.suspended !== null,
    state: formatted(srv),
  };
  return withLast(status, srv.last);
}

/** Leaves the crash report for the exit event when `reason` is abnormal. */
export function noteCrash(srv: SysServer, reason: unknown): void {
  if (isNormalExit(reason)) return;
  const ext = srv.process.extension();
  const report: CrashReport = { behaviour: ext.behaviour ?? 'GenServer', name: ext.name, state: formatted(srv) };
  (ext.dict ??= new Map()).set(CRASH_REPORT, withLast(report, srv.last));
}

/** Drops a message no callback takes, with an event for the log. */
export function unexpectedMessage(srv: SysServer, msg: unknown): void {
  const s = srv.scheduler;
  const emit = s.onEvent;
  if (emit === null) return;
  const ext = srv.process.ext;
  emit({
    type: 'unexpected', at: s.clock.now(), pid: srv.process.pid, behaviour: ext?.behaviour ?? 'GenServer', name: ext?.name ?? null,
    callback: 'handle_info', message: msg,
  });
}

/** gen_server's format_status view of the state; the raw state if formatStatus throws. */
function formatted(srv: SysServer): unknown {
  const f = srv.cbs.formatStatus;
  if (f === undefined) return srv.state;
  try {
    return f(srv.state);
  } catch {
    return srv.state;
  }
}

/** A call reads as its request and its caller (Elixir's "Last message (from pid)"); anything else as itself. */
function withLast<T extends { lastMessage?: unknown; from?: Pid }>(out: T, last: unknown): T {
  if (last === NO_MESSAGE) return out;
  const m = last as { type?: unknown; request?: unknown; pid?: Pid };
  if (typeof m === 'object' && m !== null && m.type === '$gen_call') {
    out.lastMessage = m.request;
    if (m.pid !== undefined) out.from = m.pid;
  } else {
    out.lastMessage = last;
  }
  return out;
}
