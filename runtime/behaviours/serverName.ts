/**
 * How a behaviour is addressed: a pid, a registered name, or `{ via: [registry, key] }` as
 * OTP's `{via, Module, Name}` (here the Registry module plugs itself in).
 */
import { type Pid, type Scheduler, OrchardError } from '../core/index.ts';

export type ViaName = { via: [registry: string, key: unknown] };
export type ServerName = string | ViaName;
export type ServerRef = Pid | ServerName;

export interface ViaModule {
  /** Registers `pid` under `key`; returns the current owner if the key is taken. */
  registerName(s: Scheduler, registry: string, key: unknown, pid: Pid): Pid | null;
  whereisName(s: Scheduler, registry: string, key: unknown): Pid | undefined;
}

let via: ViaModule | null = null;

export function setViaModule(module: ViaModule): void {
  via = module;
}

function viaModule(): ViaModule {
  if (via === null) throw new OrchardError('undef', 'undef: a {via} name needs the Registry module to be loaded');
  return via;
}

export function isViaName(x: unknown): x is ViaName {
  return typeof x === 'object' && x !== null && Array.isArray((x as ViaName).via) && (x as ViaName).via.length === 2;
}

/** The pid a reference names now, or undefined when nobody has the name. */
export function resolveServer(s: Scheduler, ref: ServerRef): Pid | undefined {
  if (typeof ref === 'string') return ref.charCodeAt(0) === 60 /* < */ ? (ref as Pid) : s.whereis(ref);
  if (isViaName(ref)) return viaModule().whereisName(s, ref.via[0], ref.via[1]);
  throw new OrchardError('badarg', `badarg: ${JSON.stringify(ref)} is not a pid, a name or {via: [registry, key]}`);
}

/** Registers the calling server under its name; returns the owner when the name is taken. */
export function registerServerName(s: Scheduler, name: ServerName, pid: Pid): Pid | null {
  if (typeof name === 'string') {
    const owner = s.whereis(name);
    if (owner !== undefined) return owner;
    s.register(name, pid);
    return null;
  }
  if (isViaName(name)) return viaModule().registerName(s, name.via[0], name.via[1], pid);
  throw new OrchardError('badarg', `badarg: ${JSON.stringify(name)} is not a valid server name`);
}
