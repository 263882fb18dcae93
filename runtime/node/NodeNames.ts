/**
 * The node's table of registered names: the authority the schedulers' views converge on (see
 * ReplicatedNames for the protocol and its one deviation from Erlang).
 *
 * Claims are applied in the order they reach the node. A claim for a name the table gives to
 * a pid of another scheduler may be older news than a release still on its way from that
 * scheduler, so the node asks the owner's scheduler whether it still holds the name; its
 * answer travels behind any release, on the same channel. Only a confirmed owner makes the
 * later claim fail.
 */
import { type Pid, schedulerOf } from '../core/index.ts';
import type { NodeToScheduler } from '../transport/wire.ts';

export interface NamesIO {
  send(scheduler: number, message: NodeToScheduler): void;
  broadcast(message: NodeToScheduler): void;
  isLive(scheduler: number): boolean;
}

interface Check {
  owner: Pid;
  /** Claims waiting for the answer, in arrival order. */
  claims: Pid[];
}

/** The node's side of the names, replicated (NodeNames) or shared (SharedNodeNames). */
export interface NodeNameTable {
  get(name: string): Pid | undefined;
  names(): string[];
  entries(): Array<[string, Pid]>;
  /** A claim made by the node itself (node.spawn with a name). Returns the owner when taken. */
  claimHere(name: string, pid: Pid): Pid | null;
  claimed(name: string, pid: Pid): void;
  released(name: string, pid: Pid): void;
  checked(name: string, owner: Pid, owns: boolean): void;
  schedulerDown(id: number): void;
}

export class NodeNames implements NodeNameTable {
  private readonly owners = new Map<string, Pid>();
  private readonly checks = new Map<string, Check>();

  constructor(private readonly io: NamesIO) {}

  get(name: string): Pid | undefined {
    return this.owners.get(name);
  }

  names(): string[] {
    return [...this.owners.keys()];
  }

  entries(): Array<[string, Pid]> {
    return [...this.owners];
  }

  claimHere(name: string, pid: Pid): Pid | null {
    const owner = this.owners.get(name);
    if (owner !== undefined || this.checks.has(name)) return owner ?? this.checks.get(name)!.owner;
    this.owners.set(name, pid);
    this.io.broadcast({ t: 'nameSet', name, pid });
    return null;
  }

  /** A scheduler registered `pid` under `name` (already in effect there). */
  claimed(name: string, pid: Pid): void {
    const check = this.checks.get(name);
    if (check !== undefined) {
      check.claims.push(pid);
      return;
    }
    const owner = this.owners.get(name);
    if (owner === undefined || owner === pid || !this.io.isLive(schedulerOf(owner))) {
      this.owners.set(name, pid);
      this.io.broadcast({ t: 'nameSet', name, pid });
      return;
    }
    this.checks.set(name, { owner, claims: [pid] });
    this.io.send(schedulerOf(owner), { t: 'nameCheck', name, owner });
  }

  released(name: string, pid: Pid): void {
    if (this.owners.get(name) !== pid) return;
    this.owners.delete(name);
    this.io.broadcast({ t: 'nameDel', name, pid });
  }

  checked(name: string, owner: Pid, owns: boolean): void {
    const check = this.checks.get(name);
    if (check === undefined || check.owner !== owner) return;
    this.checks.delete(name);
    if (owns) {
      for (const pid of check.claims) this.io.send(schedulerOf(pid), { t: 'nameReject', name, pid, owner });
      // Schedulers that took a rejected claim's announcement learn the owner again.
      this.io.broadcast({ t: 'nameSet', name, pid: owner });
      return;
    }
    if (this.owners.get(name) === owner) this.owners.delete(name);
    for (const pid of check.claims) this.claimed(name, pid);
  }

  /** Frees the names of a dead scheduler's processes and settles checks it can no longer answer. */
  schedulerDown(id: number): void {
    for (const [name, pid] of this.owners) if (schedulerOf(pid) === id) this.owners.delete(name);
    for (const [name, check] of [...this.checks]) {
      check.claims = check.claims.filter((pid) => schedulerOf(pid) !== id);
      if (schedulerOf(check.owner) === id) this.checked(name, check.owner, false);
    }
  }
}
