/**
 * Starting and stopping one supervised child, shared by Supervisor and DynamicSupervisor.
 * https://www.erlang.org/doc/apps/stdlib/supervisor.html (child specification, `shutdown`)
 */
import {
  type Pid, type Process, type Ref, type Wait, ProcessExit, TIMEOUT, currentScheduler, errorReason, isDownMessage, isExitMessage,
  isGenerator, isPid, isUnwind, receive, exit, monitor, unlink,
} from '../core/index.ts';
import { NONE, take } from '../core/mailbox.ts';
import type { FullChildSpec, StartSpec } from './childSpec.ts';
import { type StartResult, startLinkModule } from './procLib.ts';

/** Runs a child's start and checks what it returned; never throws for a failed start. */
export function* startChildProcess(start: StartSpec, extraArgs: readonly unknown[] = []): Generator<Wait, StartResult, unknown> {
  let result: unknown;
  try {
    if (typeof start === 'function') {
      const r = (start as (...a: unknown[]) => unknown)(...extraArgs);
      result = isGenerator(r) ? yield* r : r;
    } else {
      result = yield* startLinkModule(start[0], [...start[1], ...extraArgs]);
    }
  } catch (e) {
    if (isUnwind(e)) throw e;
    return ['error', e instanceof ProcessExit ? e.reason : errorReason(e)];
  }
  if (result === 'ignore') return 'ignore';
  if (Array.isArray(result) && result[0] === 'ok' && isPid(result[1])) return result as StartResult;
  if (Array.isArray(result) && result[0] === 'error') return result as StartResult;
  // Anything else is the error itself, not wrapped: supervisor.erl do_start_child_i
  // (`What -> {error, What}`) and Elixir's DynamicSupervisor start_child (`other -> {:error, other}`).
  return ['error', result];
}

/**
 * Stops a child as its `shutdown` says: `brutal_kill` kills at once; a time sends `shutdown`
 * and kills if the child is still alive when it runs out; `infinity` waits for ever.
 * Returns the child's exit reason.
 */
export function* shutdownChild(pid: Pid, shutdown: FullChildSpec['shutdown']): Generator<Wait, unknown, unknown> {
  const s = currentScheduler();
  const me = s.self();
  // Monitor, then unlink: the monitor sees the exit even if the link's EXIT message was
  // already queued, and that message must not reach the restart logic afterwards.
  const ref = monitor(pid);
  unlink(pid);
  const earlier = takeExit(me, pid);
  if (earlier !== undefined) {
    yield* awaitDown(ref, -1);
    return earlier;
  }
  if (shutdown === 'brutal_kill') {
    exit(pid, 'kill');
    return yield* awaitDown(ref, -1);
  }
  exit(pid, 'shutdown');
  const reason = yield* awaitDown(ref, shutdown === 'infinity' ? -1 : shutdown);
  if (reason !== TIMEOUT) return reason;
  exit(pid, 'kill');
  return yield* awaitDown(ref, -1);
}

function* awaitDown(ref: Ref, after: number): Generator<Wait, unknown, unknown> {
  const m = yield receive((x: unknown) => isDownMessage(x) && x.ref === ref, { after });
  if (m === TIMEOUT) return TIMEOUT;
  return (m as { reason: unknown }).reason;
}

/** Removes a queued `{EXIT, pid, reason}` and returns its reason, or undefined when none is queued. */
export function takeExit(p: Process, pid: Pid): unknown {
  const m = take(p, (x) => isExitMessage(x) && x.from === pid);
  return m === NONE ? undefined : (m as { reason: unknown }).reason;
}

/**
 * Whether a child stopped as its `shutdown` asked: `killed` after `brutal_kill`, `shutdown`
 * otherwise, or `normal` for a child that is not permanent (it may have ended by itself just
 * then). Returns null when it did, else the reason to report as a `shutdown_error`
 * (supervisor.erl do_terminate/2).
 */
export function checkShutdown(child: Pick<FullChildSpec, 'shutdown' | 'restart'>, reason: unknown): unknown {
  if (reason === (child.shutdown === 'brutal_kill' ? 'killed' : 'shutdown')) return null;
  if (reason === 'normal' && child.restart !== 'permanent') return null;
  return reason;
}

