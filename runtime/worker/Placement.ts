/**
 * Spawns placed on other schedulers, one scheduler's side: spawn returns the new pid at once,
 * as spawn does, because every scheduler reserves blocks of its pid numbers for every other
 * one (and for the node) ahead of time, and past those each spawner has a range of numbers of
 * its own on every other scheduler (see PidPool). Also the loads the node reports, for
 * `'least_loaded'`.
 */
import {
  type Body, OrchardError, type Pid, type Process, type SpawnOptions, lookupModule, makePid, schedulerOf,
} from '../core/index.ts';
import { findUncloneable } from '../core/findUncloneable.ts';
import { type Load, Op } from '../transport/wire.ts';
import { GrantLedger, NODE, PidPool, mintedBy } from '../transport/PidPool.ts';
import { type Router, notCloneable } from './Router.ts';
import { remoteSpawnOptions } from '../transport/spawnOptions.ts';

const MAX_GRANT = 1 << 20;

export class Placement {
  /** Pids other schedulers reserved for spawns from here, by scheduler. */
  private readonly pools = new Map<number, PidPool>();
  /** Pids reserved here for each spawner (a scheduler or NODE). */
  private readonly ledgers = new Map<number, GrantLedger>();
  private loads: Load[] = [];
  /** Spawns placed on each scheduler since the node's last report of loads. */
  private readonly placed = new Map<number, number>();
  /** Peers whose first block of reserved pids has not arrived yet, and who waits for them. */
  private readonly ungranted = new Set<number>();
  private onGranted: (() => void) | null = null;
  /** Schedulers the watchdog replaced: old id → its replacement. */
  private readonly replacements = new Map<number, number>();

  constructor(private readonly router: Router) {}

  /** The core's `place`: spawns with a `scheduler` option. */
  readonly place = (body: Body | string, args: readonly unknown[], options: SpawnOptions, parent: Process | null): Pid | null => {
    const r = this.router;
    const target = options.scheduler === 'least_loaded' ? this.leastLoaded() : this.current(options.scheduler);
    if (target === r.id) {
      this.placed.set(r.id, (this.placed.get(r.id) ?? 0) + 1);
      return null;
    }
    if (typeof target !== 'number' || !Number.isInteger(target) || target < 0) {
      throw new OrchardError('badarg', `badarg: spawn: scheduler ${JSON.stringify(options.scheduler)} is not a scheduler index or 'least_loaded'`);
    }
    const peer = r.peer(target);
    if (peer === undefined) throw new OrchardError('badarg', `badarg: spawn: scheduler ${target} is not running`);
    if (typeof body !== 'string') {
      throw new OrchardError(
        'badarg',
        `badarg: spawn on scheduler ${target}: ${describeBody(body)} exists only on scheduler ${r.id}; spawn a module by name (defineModule) to place it elsewhere`,
      );
    }
    lookupModule(body);
    if (!Array.isArray(args)) throw new OrchardError('badarg', 'badarg: spawn arguments must be an array');
    const bad = findUncloneable(args);
    if (bad !== null) throw notCloneable(`the arguments of spawn('${body}')`, target, bad);
    if ((options.link === true || options.monitor === true) && parent === null) {
      throw new OrchardError('badarg', 'badarg: spawn with link or monitor must be called from a process');
    }
    const pool = this.pool(target);
    const pid = makePid(target, pool.take());
    const used = pool.requestDue(r.config.grant);
    if (used !== null) {
      peer.push1(Op.GrantRequest, used);
      r.queueFlush();
    }
    const spawnOptions = remoteSpawnOptions(options, pid, r.names.table.claim.bind(r.names.table));
    if (options.link === true) (parent!.links ??= new Set()).add(pid);
    const from = parent?.pid ?? r.scheduler.hostPid;
    peer.pushN(Op.Spawn, [from, pid, parent === null ? null : parent.pid, body, args, spawnOptions]);
    this.placed.set(target, (this.placed.get(target) ?? 0) + 1);
    r.sent(peer);
    return pid;
  };

  /**
   * The live scheduler with the fewest processes, counting those placed since the last report.
   * This scheduler is measured the same way as the others, by the node's last report plus what
   * was placed since: counting its own processes live would count the children a placed
   * supervisor has already started here, but not those it started elsewhere, and skew the choice.
   */
  leastLoaded(): number {
    const r = this.router;
    let best = r.id;
    const own = this.loads.find((l) => l.id === r.id);
    let bestLoad = (own === undefined ? r.scheduler.procs.size : own.processes + own.runQueue) + (this.placed.get(r.id) ?? 0);
    for (const l of this.loads) {
      if (l.id === r.id || r.peer(l.id) === undefined) continue;
      const load = l.processes + l.runQueue + (this.placed.get(l.id) ?? 0);
      if (load < bestLoad) {
        best = l.id;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Scheduler `old` was replaced by `by`: what is pinned to `old` runs on `by` from now on. */
  replaced(old: number, by: number): void {
    this.replacements.set(old, by);
  }

  /**
   * The scheduler that stands for `id` now: itself, or the last of its replacements. A child
   * spec's `scheduler: N` names a place in the node, not a worker: when the watchdog replaces
   * N, its pinned children restart on the replacement (else every restart would fail, and the
   * supervisor would use up its intensity at once).
   */
  current(id: SpawnOptions['scheduler']): SpawnOptions['scheduler'] {
    if (typeof id !== 'number') return id;
    let at = id;
    for (let hops = 0; hops < 1_000; hops++) {
      const next = this.replacements.get(at);
      if (next === undefined) return at;
      at = next;
    }
    return at;
  }

  setLoads(loads: Load[]): void {
    this.loads = loads;
    this.placed.clear();
  }

  // --- Reserved pids ---

  /** Reserves pid numbers here for `spawner` (a scheduler or NODE) and tells it. */
  grant(spawner: number, count: number): void {
    const r = this.router;
    const first = r.scheduler.reservePids(count);
    let ledger = this.ledgers.get(spawner);
    if (ledger === undefined) this.ledgers.set(spawner, (ledger = new GrantLedger()));
    ledger.grant(first, count);
    if (spawner === NODE) {
      r.tellNode({ t: 'grant', first, count });
    } else {
      r.peer(spawner)?.push2(Op.Grant, first, count);
      r.queueFlush();
    }
  }

  /** A block of `from`'s pids reserved for spawns from here. */
  granted(from: number, first: number, count: number): void {
    this.pool(from).add(first, count);
    if (this.ungranted.delete(from) && this.ungranted.size === 0) this.onGranted?.();
  }

  /** `spawner` asks for more, having taken `used` since it last asked. */
  grantRequested(spawner: number, used: number): void {
    this.grant(spawner, Math.min(MAX_GRANT, Math.max(this.router.config.grant, 2 * used)));
  }

  /**
   * Calls `fn` once every peer known now has reserved pids for us: each has then connected to
   * us and keeps a ledger for us, which a signal for a pid we minted there needs (see willSpawn).
   */
  whenGranted(peers: readonly number[], fn: () => void): void {
    for (const id of peers) if (this.pool(id).available === 0) this.ungranted.add(id);
    if (this.ungranted.size === 0) fn();
    else this.onGranted = fn;
  }

  /** A spawn under a pid reserved here for `spawner` has arrived. */
  spawned(spawner: number, pid: Pid): void {
    this.ledgers.get(spawner)?.spawned(pidNumber(pid));
  }

  /** Whether `pid` was reserved here, or minted for here, and its spawn is yet to come. */
  willSpawn(pid: Pid): boolean {
    if (schedulerOf(pid) !== this.router.id) return false;
    const n = pidNumber(pid);
    const minted = mintedBy(n);
    if (minted !== null) return this.ledgers.get(minted[0])?.willSpawn(n) === true;
    for (const ledger of this.ledgers.values()) if (ledger.willSpawn(n)) return true;
    return false;
  }

  /** Scheduler `id` is gone: its reservations both ways are void. */
  forget(id: number): void {
    this.pools.delete(id);
    this.placed.delete(id);
    this.ledgers.delete(id);
  }

  private pool(target: number): PidPool {
    let pool = this.pools.get(target);
    if (pool === undefined) this.pools.set(target, (pool = new PidPool(this.router.id)));
    return pool;
  }
}

function describeBody(body: unknown): string {
  return typeof body === 'function' ? `a closure (${body.name || 'anonymous'})` : JSON.stringify(body);
}

/** N in `<0.N.S>`. */
function pidNumber(pid: Pid): number {
  return Number(pid.slice(3, pid.lastIndexOf('.')));
}
