/**
 * Child specifications, checked once at the edge (STYLE G8): a bad spec becomes an error value
 * naming what is wrong, never a crash inside the supervisor.
 * https://www.erlang.org/doc/apps/stdlib/supervisor.html#module-child-specification
 */
import type { SpawnOptions, Wait } from '../core/index.ts';
import { type StartResult, startLinkModule } from './procLib.ts';

export type RestartType = 'permanent' | 'transient' | 'temporary';
export type Shutdown = 'brutal_kill' | 'infinity' | number;
export type ChildType = 'worker' | 'supervisor';
/** When a supervisor stops itself because significant children ended (OTP 24+ `auto_shutdown`). */
export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

/** `[moduleName, args]` (cloneable, startable on any scheduler) or a local start function. */
export type StartSpec = [module: string, args: unknown[]] | (() => Generator<Wait, StartResult, unknown> | StartResult);

export interface ChildSpec {
  id: string;
  start: StartSpec;
  restart?: RestartType;
  shutdown?: Shutdown;
  type?: ChildType;
  /**
   * A significant child's own exit (not one its supervisor caused) may stop the supervisor, as
   * its `autoShutdown` flag says. Only a `transient` or `temporary` child can be significant,
   * and only under a supervisor whose `autoShutdown` is not `'never'`. Default false.
   */
  significant?: boolean;
  /**
   * Where a `[module, args]` child runs when schedulers run under a node: a scheduler index, or
   * 'least_loaded' to let the node choose, as spawn's option of that name; each restart places
   * it the same way. Without it the child starts on its supervisor's scheduler, as on the BEAM.
   * A start function decides for itself (it may spawn with this option), so it takes none here.
   * OTP has no such field; the nearest is gen_server's `{spawn_opt, …}` start option.
   * Honoured by Supervisor and DynamicSupervisor.
   */
  scheduler?: SpawnOptions['scheduler'];
}

/** A spec with every default filled in (`scheduler` stays absent when not given). */
export interface FullChildSpec {
  id: string;
  start: StartSpec;
  restart: RestartType;
  shutdown: Shutdown;
  type: ChildType;
  significant: boolean;
  scheduler?: SpawnOptions['scheduler'];
}

const RESTARTS: readonly string[] = ['permanent', 'transient', 'temporary'];
const TYPES: readonly string[] = ['worker', 'supervisor'];

/**
 * Fills defaults; throws `{ invalid_child_spec: … }`-style reasons for the boundary to catch.
 * `autoShutdown` is the supervisor's, which decides whether a child may be significant
 * (supervisor.erl check_childspec/2, validSignificant).
 */
export function checkChildSpec(spec: unknown, autoShutdown: AutoShutdown = 'never'): FullChildSpec {
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
  const significant = s.significant ?? false;
  if (significant === true && autoShutdown === 'never') throw { bad_combination: [['auto_shutdown', 'never'], ['significant', true]] };
  if (significant === true && restart === 'permanent') throw { bad_combination: [['restart', 'permanent'], ['significant', true]] };
  if (typeof significant !== 'boolean') throw { invalid_significant: significant };
  // Defaults as OTP's: 5000 ms for a worker, infinity for a supervisor.
  const shutdown = s.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  const validShutdown =
    shutdown === 'brutal_kill' || shutdown === 'infinity' || (Number.isInteger(shutdown) && (shutdown as number) >= 0);
  if (!validShutdown) throw { invalid_shutdown: shutdown };
  const full: FullChildSpec = { id: s.id, start: start as StartSpec, restart, shutdown, type, significant };
  const scheduler = s.scheduler;
  if (scheduler !== undefined) {
    if (scheduler !== 'least_loaded' && !(Number.isInteger(scheduler) && scheduler >= 0)) throw { invalid_scheduler: scheduler };
    if (typeof start === 'function') throw { placement_needs_module: s.id };
    full.scheduler = scheduler;
  }
  return full;
}

/**
 * The start a supervisor runs for `spec`: its own, or for a placed `[module, args]` child one
 * that starts the module on the scheduler the spec names.
 */
export function placedStart(spec: FullChildSpec): StartSpec {
  const { start, scheduler } = spec;
  if (scheduler === undefined || typeof start === 'function') return start;
  return () => startLinkModule(start[0], start[1], { scheduler });
}
