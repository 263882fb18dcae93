/**
 * Registered names, one scheduler's side: the NameTable the core uses (the shared table, or
 * this scheduler's replica of the node's) and what the other schedulers and the node say about
 * names. The two designs and their trade-offs are described in SharedNames and ReplicatedNames.
 */
import { type NameTable, OrchardError, type Pid, errorReason, schedulerOf } from '../core/index.ts';
import { exitProcess, sendExit } from '../core/exit.ts';
import { Op } from '../transport/wire.ts';
import { ReplicatedNames } from './ReplicatedNames.ts';
import type { Router } from './Router.ts';
import { SharedNames } from '../transport/SharedNames.ts';

export class WorkerNames {
  /** The names as the core sees them. */
  readonly table: NameTable;
  /** The replica, when names are not in shared memory. */
  private readonly replica: ReplicatedNames | null;

  constructor(private readonly router: Router, shared: SharedArrayBuffer | null) {
    if (shared !== null) {
      const t = new SharedNames(shared, router.id);
      this.replica = null;
      this.table = {
        get: (name) => t.get(name),
        claim: (name, pid) => t.claim(name, pid),
        release: (name, pid) => {
          t.release(name, pid);
          // unregister/1 of another scheduler's process: its scheduler forgets the name too.
          const owner = schedulerOf(pid);
          if (owner !== router.id) {
            router.peer(owner)?.push2(Op.NameRelease, name, pid);
            router.queueFlush();
          }
        },
        names: () => t.names(),
      };
    } else {
      this.replica = new ReplicatedNames((claim, name, pid) => this.announce(claim, name, pid));
      this.table = this.replica;
    }
  }

  /** Replicated names: a claim or release made here goes to every scheduler and the node. */
  private announce(claim: boolean, name: string, pid: Pid): void {
    const r = this.router;
    r.forEachPeer((p) => p.push2(claim ? Op.NameClaim : Op.NameRelease, name, pid));
    r.tellNode(claim ? { t: 'nameClaim', name, pid } : { t: 'nameRelease', name, pid });
  }

  // --- From other schedulers ---

  peerClaimed(name: string, pid: Pid): void {
    this.replica?.peerClaimed(name, pid);
  }

  peerReleased(name: string, pid: Pid): void {
    if (this.replica === null ? this.table.get(name) !== pid : this.replica.peerReleased(name, pid)) this.forgetLocal(name, pid);
  }

  // --- From the node (replicated names) ---

  load(entries: Array<[string, Pid]>): void {
    this.replica?.load(entries);
  }

  nodeSet(name: string, pid: Pid): void {
    this.replica?.nodeSet(name, pid);
  }

  nodeDeleted(name: string, pid: Pid): void {
    this.replica?.nodeDeleted(name, pid);
    if (this.table.get(name) !== pid) this.forgetLocal(name, pid);
  }

  /** The node asks whether `owner` still holds `name` here. */
  check(name: string, owner: Pid): void {
    const p = this.router.scheduler.procs.get(owner);
    const owns = p !== undefined && p.alive && p.ext?.name === name;
    this.router.tellNode({ t: 'nameCheckReply', name, owner, owns });
  }

  /**
   * The node gave `name` to `owner`, which claimed it first on another scheduler: `pid`'s
   * register failed after all, and it exits as an uncaught `badarg` would have made it.
   */
  rejected(name: string, pid: Pid, owner: Pid): void {
    this.replica?.rejected(name, pid, owner);
    const s = this.router.scheduler;
    const error = new OrchardError(
      'badarg',
      `badarg: register '${name}': the name is already registered to ${owner} (claimed at the same time on scheduler ${schedulerOf(owner)})`,
    );
    const p = s.procs.get(pid);
    if (p !== undefined) {
      if (p.ext?.name === name) p.ext.name = null;
      exitProcess(s, p, errorReason(error));
    } else {
      sendExit(s, pid, 'kill', s.hostPid);
    }
  }

  /** Scheduler `id` is gone: so are its processes' names. */
  forget(id: number): void {
    this.replica?.forgetScheduler((pid) => schedulerOf(pid) === id);
  }

  /** A local process lost its name elsewhere: it may register another. */
  private forgetLocal(name: string, pid: Pid): void {
    const ext = this.router.scheduler.procs.get(pid)?.ext;
    if (ext != null && ext.name === name) ext.name = null;
  }
}
