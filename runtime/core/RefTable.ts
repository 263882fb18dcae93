/**
 * Small tables keyed by reference: a process's monitors, the monitors on it, and its reply
 * aliases. A GenServer call adds one monitor on each side and one alias, and removes all three
 * when the reply is in. V8's Map and Set give back their storage when they lose their last entry
 * (a fresh table, allocated through the runtime), so a Map per process made each call pay three
 * reallocations: the largest single cost of a call round trip. These keep up to SMALL entries in
 * arrays that keep their storage, searched in order, and move to a Map only when they grow past
 * that (a server monitored by many callers).
 *
 * They answer the parts of Map's and Set's interface the runtime uses. Iteration walks a copy
 * taken when it starts, so entries may be deleted while it runs, as with a Map.
 */
import type { Ref } from './pid.ts';

const SMALL = 8;

export class RefMap<V> implements Iterable<[Ref, V]> {
  private readonly refs: Ref[] = [];
  private readonly vals: V[] = [];
  private big: Map<Ref, V> | null = null;

  get size(): number {
    return this.big === null ? this.refs.length : this.big.size;
  }

  get(ref: Ref): V | undefined {
    if (this.big !== null) return this.big.get(ref);
    const refs = this.refs;
    for (let i = 0; i < refs.length; i++) if (refs[i] === ref) return this.vals[i];
    return undefined;
  }

  has(ref: Ref): boolean {
    if (this.big !== null) return this.big.has(ref);
    return this.refs.indexOf(ref) !== -1;
  }

  set(ref: Ref, value: V): this {
    if (this.big !== null) {
      this.big.set(ref, value);
      return this;
    }
    const refs = this.refs;
    const i = refs.indexOf(ref);
    if (i !== -1) {
      this.vals[i] = value;
    } else if (refs.length < SMALL) {
      refs.push(ref);
      this.vals.push(value);
    } else {
      const big = new Map<Ref, V>();
      for (let j = 0; j < refs.length; j++) big.set(refs[j]!, this.vals[j]!);
      big.set(ref, value);
      this.big = big;
      refs.length = 0;
      this.vals.length = 0;
    }
    return this;
  }

  delete(ref: Ref): boolean {
    if (this.big !== null) return this.big.delete(ref);
    const refs = this.refs;
    const i = refs.indexOf(ref);
    if (i === -1) return false;
    removeAt(refs, i);
    removeAt(this.vals, i);
    return true;
  }

  values(): IterableIterator<V> {
    return this.big !== null ? this.big.values() : this.vals.slice().values();
  }

  [Symbol.iterator](): IterableIterator<[Ref, V]> {
    if (this.big !== null) return this.big[Symbol.iterator]();
    const pairs: Array<[Ref, V]> = [];
    for (let i = 0; i < this.refs.length; i++) pairs.push([this.refs[i]!, this.vals[i]!]);
    return pairs.values();
  }
}

export class RefSet implements Iterable<Ref> {
  private readonly refs: Ref[] = [];
  private big: Set<Ref> | null = null;

  get size(): number {
    return this.big === null ? this.refs.length : this.big.size;
  }

  has(ref: Ref): boolean {
    if (this.big !== null) return this.big.has(ref);
    // A reply is usually for the alias added last: look from the end.
    return this.refs.lastIndexOf(ref) !== -1;
  }

  add(ref: Ref): this {
    if (this.big !== null) {
      this.big.add(ref);
    } else if (this.refs.indexOf(ref) === -1) {
      if (this.refs.length < SMALL) {
        this.refs.push(ref);
      } else {
        this.big = new Set(this.refs);
        this.big.add(ref);
        this.refs.length = 0;
      }
    }
    return this;
  }

  delete(ref: Ref): boolean {
    if (this.big !== null) return this.big.delete(ref);
    const i = this.refs.lastIndexOf(ref);
    if (i === -1) return false;
    removeAt(this.refs, i);
    return true;
  }

  [Symbol.iterator](): IterableIterator<Ref> {
    return this.big !== null ? this.big.values() : this.refs.slice().values();
  }
}

/** Removes xs[i], keeping the order, with pop (which keeps the array's storage, unlike `length = 0`). */
function removeAt<T>(xs: T[], i: number): void {
  const last = xs.length - 1;
  for (let j = i; j < last; j++) xs[j] = xs[j + 1]!;
  xs.pop();
}
