/**
 * The options a spawn placed on another scheduler carries there, checked at the spawner (a
 * scheduler's Placement, or the node): a bad or taken name fails the spawn where it was made,
 * as a local spawn with a name fails, and is claimed before the process exists.
 */
import { OrchardError, type Pid, type SpawnOptions } from '../core/index.ts';

export type RemoteSpawnOptions = { link?: boolean; name?: string; label?: string; trapExit?: boolean };

/**
 * `options` for the spawn of `pid`, with its name claimed through `claim` (which returns the
 * owner when the name is taken, else null).
 */
export function remoteSpawnOptions(options: SpawnOptions, pid: Pid, claim: (name: string, pid: Pid) => Pid | null): RemoteSpawnOptions {
  const out: RemoteSpawnOptions = {};
  const name = options.name;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length === 0 || name.charCodeAt(0) === 60 || name === 'undefined') {
      throw new OrchardError('badarg', `badarg: register: ${JSON.stringify(name)} is not a valid name`);
    }
    const owner = claim(name, pid);
    if (owner !== null) throw new OrchardError('badarg', `badarg: register '${name}': the name is already registered to ${owner}`);
    out.name = name;
  }
  if (options.link === true) out.link = true;
  if (options.label !== undefined) out.label = String(options.label);
  if (options.trapExit === true) out.trapExit = true;
  return out;
}
