/**
 * Every listed pid in pid order, kept up to date from each change's added and removed pids
 * instead of sorted again: the process table's rate order puts the idle processes in this
 * order (processQuery.ts `rateOrder`). With 100,000 rows and a top-N list that gains and loses
 * a thousand rows a tick, a merge of the changes costs a pass over the array; a sort of 100,000
 * pids took 100–600 ms on a loaded machine. One per store, made on first use, like the rates.
 */
import type { Pid } from '../protocol.ts';
import { pidKey, queryProcesses } from './processQuery.ts';
import type { RuntimeState, RuntimeStore } from './runtimeStore.ts';

export interface PidOrder {
  /** The listed pids, lowest pid number first. Do not mutate. */
  pids(): readonly Pid[];
}

const orders = new WeakMap<RuntimeStore, PidOrderTracker>();
/** Up to this many pids added and removed, splicing beats a pass over 100,000. */
const FEW = 64;

export function pidOrder(runtime: RuntimeStore): PidOrder {
  let t = orders.get(runtime);
  if (t === undefined) orders.set(runtime, (t = new PidOrderTracker(runtime)));
  return t;
}

class PidOrderTracker implements PidOrder {
  private sorted: Pid[] = [];
  private keys: number[] = [];
  private seenRevision = -1;
  private stale = true;
  private added: Pid[] = [];
  private readonly removed = new Set<Pid>();

  constructor(private readonly runtime: RuntimeStore) {
    runtime.subscribe((s) => this.note(s));
  }

  pids(): readonly Pid[] {
    const s = this.runtime.getState();
    this.note(s);
    if (this.stale) this.rebuild(s);
    else if (this.added.length > 0 || this.removed.size > 0) this.merge();
    return this.sorted;
  }

  /** Takes one store change; a change it cannot follow (a snapshot, a missed revision) means sorting again. */
  private note(s: RuntimeState): void {
    if (s.revision === this.seenRevision) return;
    // The change says what moved since the revision before, whichever Map holds the rows now (a
    // replayed moment restored from a keyframe has a new one, and a change that says what differs).
    const next = s.revision === this.seenRevision + 1 && !s.lastChange.full;
    this.seenRevision = s.revision;
    if (!next) {
      this.stale = true;
      this.added = [];
      this.removed.clear();
      return;
    }
    for (const pid of s.lastChange.added) this.added.push(pid);
    for (const row of s.lastChange.removed) this.removed.add(row.pid);
  }

  private rebuild(s: RuntimeState): void {
    this.sorted = queryProcesses(s.processes.values(), '', { key: 'pid', dir: 'asc' });
    this.keys = this.sorted.map(pidKey);
    this.stale = false;
    this.added = [];
    this.removed.clear();
  }

  /**
   * The kept order without the removed pids and with the added ones: a few are spliced in and
   * out where a binary search finds them; many are merged in one pass.
   */
  private merge(): void {
    const { sorted, keys, removed } = this;
    // A pid added and removed since the last merge is in neither list.
    const added = removed.size === 0 ? this.added : this.added.filter((pid) => !removed.delete(pid));
    this.added = [];
    if (added.length + removed.size <= FEW) {
      for (const pid of removed) {
        const i = this.find(pidKey(pid));
        if (sorted[i] === pid) {
          sorted.splice(i, 1);
          keys.splice(i, 1);
        }
      }
      for (const pid of added) {
        const k = pidKey(pid);
        const i = this.find(k);
        sorted.splice(i, 0, pid);
        keys.splice(i, 0, k);
      }
      removed.clear();
      return;
    }
    const addKeys = added.map(pidKey);
    const addOrder = added.map((_, i) => i).sort((a, b) => addKeys[a]! - addKeys[b]!);
    const outPids: Pid[] = [];
    const outKeys: number[] = [];
    let j = 0;
    for (let i = 0; i < sorted.length; i++) {
      const pid = sorted[i]!;
      if (removed.size > 0 && removed.has(pid)) continue;
      const k = keys[i]!;
      for (; j < addOrder.length && addKeys[addOrder[j]!]! < k; j++) {
        outPids.push(added[addOrder[j]!]!);
        outKeys.push(addKeys[addOrder[j]!]!);
      }
      outPids.push(pid);
      outKeys.push(k);
    }
    for (; j < addOrder.length; j++) {
      outPids.push(added[addOrder[j]!]!);
      outKeys.push(addKeys[addOrder[j]!]!);
    }
    this.sorted = outPids;
    this.keys = outKeys;
    removed.clear();
  }

  /** The first index whose key is not below `k`. */
  private find(k: number): number {
    const { keys } = this;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
