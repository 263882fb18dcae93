/**
 * What a supervisor does when one of its children dies, as OTP documents it: the soak predicts
 * each group's children from this model and holds the running tree to it.
 *
 * The rules relied on (https://www.erlang.org/doc/apps/stdlib/supervisor.html):
 * - "Restart Strategy": `one_for_one` restarts only the child that terminated; `one_for_all`
 *   terminates all other children, then restarts all of them; `rest_for_one` terminates the
 *   children after the terminated one in start order, then restarts it and them.
 * - "Child specification", `restart`: a `permanent` child is always restarted; a `temporary`
 *   one never, "even when the supervisor's restart strategy is rest_for_one or one_for_all and a
 *   sibling's death causes the temporary process to be terminated" (its spec is then dropped);
 *   a `transient` one only when it terminates abnormally, "that is, with another exit reason
 *   than normal, shutdown, or {shutdown,Term}" (its spec is kept, with no pid).
 * - A supervisor that is itself restarted (here by the root, `one_for_one`) starts again from
 *   its init, with every child of its spec.
 * And of exit signals (https://www.erlang.org/doc/apps/erts/erlang.html#exit/2): a process that
 * does not trap exits ignores `exit(Pid, normal)`, and `exit(Pid, kill)` ends it with `killed`.
 */
import type { GroupSpec, WorkerSpec } from './modules.ts';

export interface ModelChild {
  spec: WorkerSpec;
  /** False for a transient child that ended normally: its spec stays, with no pid. */
  running: boolean;
}

/** A group as the model has it: its children in start order (dropped temporaries are absent). */
export interface ModelGroup {
  spec: GroupSpec;
  children: ModelChild[];
}

/** What the soak does to a group in one round. */
export type Kill =
  | { kind: 'sup' }
  /** exit(Child, reason) from the host: a signal from outside. */
  | { kind: 'exit'; child: string; reason: unknown }
  /** The child stops itself with `reason` (its handler returns `['stop', reason, state]`). */
  | { kind: 'stop'; child: string; reason: unknown };

/** The group after a kill, and which pids must be new (the processes started again). */
export interface Expected {
  group: ModelGroup;
  supRestarted: boolean;
  /** Ids of the children that must run under a pid other than before. */
  fresh: Set<string>;
  /** False when the kill changes nothing (an `exit(Pid, normal)`). */
  effective: boolean;
}

export function initialGroup(spec: GroupSpec): ModelGroup {
  return { spec, children: spec.workers.map((w) => ({ spec: w, running: true })) };
}

export function isNormalReason(reason: unknown): boolean {
  return reason === 'normal' || reason === 'shutdown' || (typeof reason === 'object' && reason !== null && 'shutdown' in reason);
}

export function applyKill(group: ModelGroup, kill: Kill): Expected {
  if (kill.kind === 'sup') {
    const fresh = initialGroup(group.spec);
    return { group: fresh, supRestarted: true, fresh: new Set(group.spec.workers.map((w) => w.id)), effective: true };
  }
  const unchanged: Expected = { group, supRestarted: false, fresh: new Set(), effective: false };
  const index = group.children.findIndex((c) => c.spec.id === kill.child);
  const child = group.children[index];
  if (child === undefined || !child.running) throw new Error(`the soak killed ${kill.child}, which the model says is not running`);
  if (kill.kind === 'exit' && kill.reason === 'normal') return unchanged;
  const reason = kill.kind === 'exit' && kill.reason === 'kill' ? 'killed' : kill.reason;
  const copy = group.children.map((c) => ({ ...c }));
  if (child.spec.restart === 'temporary') {
    copy.splice(index, 1);
    return { group: { spec: group.spec, children: copy }, supRestarted: false, fresh: new Set(), effective: true };
  }
  if (child.spec.restart === 'transient' && isNormalReason(reason)) {
    copy[index]!.running = false;
    return { group: { spec: group.spec, children: copy }, supRestarted: false, fresh: new Set(), effective: true };
  }
  const fresh = new Set<string>([child.spec.id]);
  let children = copy;
  if (group.spec.strategy !== 'one_for_one') {
    // The siblings the strategy terminates: temporary ones are dropped, the others started again
    // (those that were not running too: "then all child processes are restarted").
    const hit = (i: number): boolean => i !== index && (group.spec.strategy === 'one_for_all' || i > index);
    children = copy.filter((c, i) => !(hit(i) && c.spec.restart === 'temporary'));
    for (const c of children) {
      const i = copy.indexOf(c);
      if (hit(i)) {
        c.running = true;
        fresh.add(c.spec.id);
      }
    }
  }
  children.find((c) => c.spec.id === child.spec.id)!.running = true;
  return { group: { spec: group.spec, children }, supRestarted: false, fresh, effective: true };
}
