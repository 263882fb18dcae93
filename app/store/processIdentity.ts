/**
 * A process's identity that survives a restart of the runtime (a page reload starts a fresh
 * one, whose pids belong to other processes): its registered name, else its place in a
 * supervision tree, written as the tree writes its keys, `Application/root/child_id/...`.
 * A process with neither (a plain spawned process, a dynamic child) has only its pid.
 */
import type { Pid } from '../protocol.ts';
import type { RuntimeState } from './runtimeStore.ts';

type Data = Pick<RuntimeState, 'processes' | 'supervisors' | 'applications'>;

/** The stable identity of `pid`, or null when it has none (or is not listed). */
export function identityOf(s: Data, pid: Pid): string | null {
  const row = s.processes.get(pid);
  if (row === undefined) return null;
  if (row.name !== null) return row.name;
  const app = s.applications.find((a) => a.master === pid);
  if (app !== undefined) return app.name;
  const path: string[] = [];
  let at = row;
  for (let depth = 0; depth < 64; depth++) {
    const root = s.applications.find((a) => a.root === at.pid);
    if (root !== undefined) return [root.name, 'root', ...path.reverse()].join('/');
    if (at.childId === null || at.supervisor === null) return null;
    // A dynamic supervisor's children share one id: their place names none of them.
    const siblings = s.supervisors.get(at.supervisor)?.children.filter((c) => c.id === at.childId).length ?? 1;
    if (siblings > 1) return null;
    path.push(at.childId);
    const up = s.processes.get(at.supervisor);
    if (up === undefined) return null;
    at = up;
  }
  return null;
}

/** The pid that has `identity` now, or null when none has. */
export function resolveIdentity(s: Data, identity: string): Pid | null {
  const parts = identity.split('/');
  const app = s.applications.find((a) => a.name === parts[0]);
  if (app !== undefined && (parts.length === 1 || parts[1] === 'root')) {
    let pid: Pid | null = parts.length === 1 ? app.master : app.root;
    for (const id of parts.slice(2)) {
      if (pid === null) break;
      pid = s.supervisors.get(pid)?.children.find((c) => c.id === id)?.pid ?? null;
    }
    if (pid !== null) return pid;
  }
  for (const row of s.processes.values()) if (row.name === identity) return row.pid;
  return null;
}
