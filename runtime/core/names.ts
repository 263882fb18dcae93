/**
 * Registered names (erlang:register/2, unregister/1, whereis/1). The table that holds them is
 * per scheduler by default; under a node it is the node's, so that a name is unique node-wide,
 * and the scheduler only asks it to claim and release.
 */
import { badarg } from './errors.ts';
import { describe } from './describe.ts';
import type { Pid } from './pid.ts';
import type { Process } from './Process.ts';
import type { Scheduler } from './Scheduler.ts';

/** Where registered names live: per scheduler here, node-wide once the node owns them. */
export interface NameTable {
  get(name: string): Pid | undefined;
  /** Claims a name; returns the current owner when taken. */
  claim(name: string, pid: Pid): Pid | null;
  release(name: string, pid: Pid): void;
  names(): string[];
}

/** register/2: `badarg` for a bad name, a dead or remote pid, a pid with a name, a taken name. */
export function register(s: Scheduler, name: string, pid: Pid, p: Process | undefined): true {
  if (typeof name !== 'string' || name.length === 0 || name.charCodeAt(0) === 60 || name === 'undefined') {
    throw badarg(`register: ${describe(name)} is not a valid name (a non-empty string not starting with '<')`);
  }
  if (p === undefined || !p.alive) throw badarg(`register '${name}': ${describe(pid)} is not a live local process`);
  const ext = p.extension();
  if (ext.name !== null) throw badarg(`register '${name}': ${pid} is already registered as '${ext.name}'`);
  const owner = s.names.claim(name, pid);
  if (owner !== null) throw badarg(`register '${name}': the name is already registered to ${owner}`);
  ext.name = name;
  if (s.watch !== null) s.changed(p);
  return true;
}

/** unregister/1: `badarg` when nobody has the name. */
export function unregister(s: Scheduler, name: string): true {
  const pid = s.names.get(name);
  if (pid === undefined) throw badarg(`unregister '${name}': no process is registered under that name`);
  s.names.release(name, pid);
  const p = s.procs.get(pid);
  if (p?.ext != null) p.ext.name = null;
  if (p !== undefined && s.watch !== null) s.changed(p);
  return true;
}

/** The default NameTable: a Map of this scheduler's own. */
export function localNames(): NameTable {
  const table = new Map<string, Pid>();
  return {
    get: (name) => table.get(name),
    claim(name, pid) {
      const owner = table.get(name);
      if (owner !== undefined) return owner;
      table.set(name, pid);
      return null;
    },
    release(name, pid) {
      if (table.get(name) === pid) table.delete(name);
    },
    names: () => [...table.keys()],
  };
}
