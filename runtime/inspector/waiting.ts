/**
 * Where a process waits, for its detail (Observer's "current function" and the receive it is
 * blocked in): what its receive takes, how long it has left, and the receive's source line.
 *
 * The source line costs a stack capture per receive, so it is taken only for processes whose
 * detail was read in the last SITE_WINDOW_MS, and only while there is such a process: when
 * nobody looks, `receiveSites.capture` is null and a receive pays one check (DESIGN decision 7).
 * A process already blocked when its detail opens shows its line from its next receive on.
 */
import { currentScheduler } from '../core/context.ts';
import type { Process } from '../core/Process.ts';
import { Status } from '../core/Process.ts';
import { receiveSites } from '../core/receive.ts';
import type { Scheduler } from '../core/Scheduler.ts';
import { sysStatus } from '../behaviours/sys.ts';
import type { WaitingDetail } from '../protocol/messages.ts';

/** A detail read keeps its process's receives located this long (a watched detail is read every tick). */
export const SITE_WINDOW_MS = 3000;

const watchedUntil = new WeakMap<Process, number>();
const sites = new WeakMap<Process, string>();
let anyUntil = 0;

/** Notes that `p`'s detail is being read now: its receives are located for a while. */
export function locateReceives(p: Process, s: Scheduler): void {
  const now = s.clock.now();
  // A line noted in an earlier look may be from another receive by now.
  if ((watchedUntil.get(p) ?? 0) < now) sites.delete(p);
  const until = now + SITE_WINDOW_MS;
  watchedUntil.set(p, until);
  anyUntil = Math.max(anyUntil, until);
  receiveSites.capture = capture;
}

function capture(): void {
  let s: Scheduler;
  let p: Process;
  try {
    s = currentScheduler();
    p = s.self();
  } catch {
    return;
  }
  const now = s.clock.now();
  if (now > anyUntil) {
    receiveSites.capture = null;
    return;
  }
  if ((watchedUntil.get(p) ?? 0) < now) return;
  const site = callerOf(new Error().stack ?? '');
  if (site !== null) sites.set(p, site);
}

/**
 * The first stack frame outside the runtime's own receive machinery: the code that called
 * receive. Needs unbundled sources (the dev server, Node, tests).
 */
function callerOf(stack: string): string | null {
  for (const line of stack.split('\n').slice(1)) {
    if (/(?<!test\/)runtime\/(core|inspector)\/|(?<!test\/)runtime\/behaviours\/(genServer|sys|procLib)\./.test(line)) continue;
    const m = /\(?((?:[a-z]+:\/\/[^/\s]+)?\/?[^\s()]+:\d+:\d+)\)?\s*$/.exec(line.trim());
    if (m === null) continue;
    const at = /^\s*at\s+([^\s(]+)\s+\(/.exec(line);
    const where = m[1]!.replace(/^[a-z]+:\/\/[^/]+\//, '').replace(/\?[^:]*:/, ':');
    // A bundled build (Vite's hashed assets) has no source lines to show: unknown, not wrong.
    if (/(^|\/)assets\/[^/]+-[\w-]{6,}\.js:/.test(where)) return null;
    return at !== null ? `${at[1]} (${where})` : where;
  }
  return null;
}

/** What `p` waits for, or undefined while it runs or has no receive. */
export function waitingOf(p: Process, s: Scheduler): WaitingDetail | undefined {
  const w = p.wait;
  if (w === null || p.status !== Status.Waiting) return undefined;
  const sys = sysStatus(p);
  let receive: string;
  if (p.ext?.awaiting != null) receive = `the reply to a GenServer.call (or the server's DOWN)`;
  else if (sys !== null && sys.suspended) receive = 'system messages only: suspended (sys:suspend/1)';
  else if (sys !== null && w.persistent) receive = `any message, in the ${sys.behaviour} loop (gen_server:loop)`;
  else if (w.persistent) receive = `any message, in the ${p.ext?.behaviour ?? 'process'} loop`;
  else if (w.match === null) receive = 'any message';
  else if (w.match.name === 'NOTHING') receive = 'nothing: it sleeps (timer:sleep/1)';
  // A minified build renames functions: a name of one or two letters says nothing.
  else if (w.match.name.length > 2 && w.match.name !== 'match') receive = `messages matching ${w.match.name}`;
  else receive = 'messages matching a pattern or predicate';
  const out: WaitingDetail = { receive };
  if (p.waitTimer !== null) out.timeoutMs = Math.max(0, Math.round(p.waitTimer.at - s.clock.now()));
  const site = sites.get(p);
  if (site !== undefined && !w.persistent) out.location = site;
  return out;
}
