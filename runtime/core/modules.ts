/**
 * Code is addressed by name (DESIGN decision 5): a module is registered under a name in every
 * scheduler and spawned as name plus cloneable arguments, like spawn(Module, Function, Args).
 */
import { OrchardError } from './errors.ts';
import type { Body } from './Process.ts';

export interface ModuleDef {
  readonly name: string;
  readonly body: Body;
  /** The behaviour it runs, shown by the inspector ('GenServer', 'Supervisor'…). */
  readonly behaviour?: string;
}

const modules = new Map<string, ModuleDef>();

/** Registers `body` under `name`. Redefining a name replaces it (hot code loading, roughly). */
export function defineModule(name: string, body: Body, behaviour?: string): ModuleDef {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`defineModule: a module name is a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (typeof body !== 'function') {
    throw new TypeError(`defineModule: module '${name}' needs a function body, got ${typeof body}`);
  }
  const def: ModuleDef = behaviour === undefined ? { name, body } : { name, body, behaviour };
  modules.set(name, def);
  return def;
}

export function lookupModule(name: string): ModuleDef {
  const def = modules.get(name);
  if (def === undefined) {
    const known = [...modules.keys()].sort().slice(0, 20).join(', ') || 'none';
    throw new OrchardError('undef', `undef: no module named '${name}' is defined (defined: ${known})`);
  }
  return def;
}

export function moduleNames(): string[] {
  return [...modules.keys()].sort();
}
