/**
 * Child specifications, checked once at the edge (STYLE G8): a bad spec becomes an error value
 * naming what is wrong, never a crash inside the supervisor.
 * https://www.erlang.org/doc/apps/stdlib/supervisor.html#module-child-specification
 */
import type { Wait } from '../core/index.ts';
import type { StartResult } from './procLib.ts';

export type RestartType = 'permanent' | 'transient' | 'temporary';
export type Shutdown = 'brutal_kill' | 'infinity' | number;
export type ChildType = 'worker' | 'supervisor';

/** `[moduleName, args]` (cloneable, startable on any scheduler) or a local start function. */
export type StartSpec = [module: string, args: unknown[]] | (() => Generator<Wait, StartResult, unknown> | StartResult);

export interface ChildSpec {
  id: string;
  start: StartSpec;
  restart?: RestartType;
  shutdown?: Shutdown;
  type?: ChildType;
}

/** A spec with every default filled in. */
export interface FullChildSpec {
  id: string;
  start: StartSpec;
  restart: RestartType;
  shutdown: Shutdown;
  type: ChildType;
}

const RESTARTS: readonly string[] = ['permanent', 'transient', 'temporary'];
const TYPES: readonly string[] = ['worker', 'supervisor'];

/** Fills defaults; throws `{ invalid_child_spec: … }`-style reasons for the boundary to catch. */
export function checkChildSpec(spec: unknown): FullChildSpec {
  if (typeof spec !== 'object' || spec === null) throw { invalid_child_spec: spec };
  const s = spec as Partial<ChildSpec>;
  // OTP's reasons: missing_id and missing_start are bare atoms, a bad start is {invalid_mfa, Start}.
  if (s.id === undefined) throw 'missing_id';
  if (typeof s.id !== 'string' || s.id.length === 0) throw { invalid_id: s.id };
  const start = s.start;
  if (start === undefined) throw 'missing_start';
  const validStart =
    typeof start === 'function' ||
    (Array.isArray(start) && start.length === 2 && typeof start[0] === 'string' && Array.isArray(start[1]));
  if (!validStart) throw { invalid_mfa: start };
  const type = s.type ?? 'worker';
  if (!TYPES.includes(type)) throw { invalid_child_type: type };
  const restart = s.restart ?? 'permanent';
  if (!RESTARTS.includes(restart)) throw { invalid_restart_type: restart };
  // Defaults as OTP's: 5000 ms for a worker, infinity for a supervisor.
  const shutdown = s.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  const validShutdown =
    shutdown === 'brutal_kill' || shutdown === 'infinity' || (Number.isInteger(shutdown) && (shutdown as number) >= 0);
  if (!validShutdown) throw { invalid_shutdown: shutdown };
  return { id: s.id, start: start as StartSpec, restart, shutdown, type };
}
