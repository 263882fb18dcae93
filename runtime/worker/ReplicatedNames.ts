/**
 * Node-wide registered names, as one scheduler sees them.
 *
 * `register` is synchronous in Erlang, and a worker cannot wait for the node without shared
 * memory, so the node owns the table and every scheduler keeps a replicated view:
 *
 * - A claim is decided here, against this scheduler's view, and takes effect at once. It is
 *   announced to every other scheduler over the mesh, on the same ordered channels as the
 *   signals that follow it: whoever learns of the process through a later message already
 *   knows its name (causality holds), and to the node, which arbitrates.
 * - A release (unregister, or the owner's exit) is announced the same way, before the exit
 *   signals and DOWN messages of the owner, so whoever reacts to them can register the name.
 * - The node applies claims in the order they reach it and sends its decisions to all
 *   schedulers, whose views converge on its table.
 *
 * The deviation: two processes on different schedulers that claim a free name within the same
 * instant (before either announcement arrives) both succeed at first. The node keeps the claim
 * that reached it first; the other process loses the name and exits with the `badarg` that
 * register would have raised (Router.nameRejected). Between a claim and the node's decision,
 * another scheduler may briefly still resolve the name to an owner that has just exited,
 * which makes a send to the name a send to a dead pid (dropped) rather than `badarg`.
 */
import type { NameTable, Pid } from '../core/index.ts';

export class ReplicatedNames implements NameTable {
  private readonly table = new Map<string, Pid>();
  /** Claims made here that the node has not confirmed yet: its older news must not undo them. */
  private readonly unconfirmed = new Map<string, Pid>();

  constructor(private readonly announce: (claim: boolean, name: string, pid: Pid) => void) {}

  get(name: string): Pid | undefined {
    return this.table.get(name);
  }

  claim(name: string, pid: Pid): Pid | null {
    const owner = this.table.get(name);
    if (owner !== undefined) return owner;
    this.table.set(name, pid);
    this.unconfirmed.set(name, pid);
    this.announce(true, name, pid);
    return null;
  }

  release(name: string, pid: Pid): void {
    if (this.table.get(name) !== pid) return;
    this.table.delete(name);
    if (this.unconfirmed.get(name) === pid) this.unconfirmed.delete(name);
    this.announce(false, name, pid);
  }

  names(): string[] {
    return [...this.table.keys()];
  }

  // --- News from other schedulers (hints, in causal order with their signals) ---

  peerClaimed(name: string, pid: Pid): void {
    if (!this.table.has(name)) this.table.set(name, pid);
  }

  /** Returns true when the view changed. */
  peerReleased(name: string, pid: Pid): boolean {
    if (this.table.get(name) !== pid) return false;
    this.table.delete(name);
    return true;
  }

  // --- Decisions of the node (authoritative, in the node's order) ---

  nodeSet(name: string, pid: Pid): void {
    const mine = this.unconfirmed.get(name);
    if (mine !== undefined) {
      if (mine !== pid) return; // our claim is still being decided: its answer will come
      this.unconfirmed.delete(name);
    }
    this.table.set(name, pid);
  }

  nodeDeleted(name: string, pid: Pid): void {
    if (this.table.get(name) === pid && this.unconfirmed.get(name) !== pid) this.table.delete(name);
  }

  /** The node gave `name` to `owner`, not to our `pid`. Returns true when `pid` held it here. */
  rejected(name: string, pid: Pid, owner: Pid): boolean {
    if (this.unconfirmed.get(name) === pid) this.unconfirmed.delete(name);
    const held = this.table.get(name) === pid;
    if (held) this.table.set(name, owner);
    return held;
  }

  /** Forgets every name held by a pid of a scheduler that died. */
  forgetScheduler(isOf: (pid: Pid) => boolean): void {
    for (const [name, pid] of this.table) if (isOf(pid)) this.table.delete(name);
    for (const [name, pid] of this.unconfirmed) if (isOf(pid)) this.unconfirmed.delete(name);
  }

  /** The node's table at start-up. */
  load(entries: Array<[string, Pid]>): void {
    for (const [name, pid] of entries) this.table.set(name, pid);
  }
}
