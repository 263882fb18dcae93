/**
 * A read-only map made from another by a few changes, sharing what did not change. The
 * supervision forest's indexes hold 10,000 nodes and a tick replaces a handful: copying both
 * Maps every tick cost ~2.4 ms, while older forests must keep seeing their own contents (the
 * canvas and the tracker compare the forest they drew with the new one).
 *
 * A map is a frozen base plus a small patch; `with` copies only the patch, and folds it into a
 * new base once it grows past an eighth of the base, so lookups stay two Map reads at most
 * and the copying is amortized.
 */
const GONE: unique symbol = Symbol('gone');

export class PatchedMap<K, V> implements ReadonlyMap<K, V> {
  readonly size: number;
  private readonly base: ReadonlyMap<K, V>;
  private readonly patch: ReadonlyMap<K, V | typeof GONE>;

  private constructor(base: ReadonlyMap<K, V>, patch: ReadonlyMap<K, V | typeof GONE>, size: number) {
    this.base = base;
    this.patch = patch;
    this.size = size;
  }

  /** Takes `entries` over (the caller must not change a Map it passes). */
  static of<K, V>(entries: Map<K, V>): PatchedMap<K, V> {
    return new PatchedMap(entries, new Map(), entries.size);
  }

  /** This map with `changes` applied in order; an undefined value removes the key. */
  with(changes: Iterable<readonly [K, V | undefined]>): PatchedMap<K, V> {
    const patch = new Map(this.patch);
    let size = this.size;
    const has = (k: K): boolean => {
      const p = patch.get(k);
      return p !== undefined ? p !== GONE : this.base.has(k);
    };
    for (const [k, v] of changes) {
      const had = has(k);
      if (v === undefined) {
        if (!had) continue;
        size--;
        if (this.base.has(k)) patch.set(k, GONE);
        else patch.delete(k);
      } else {
        if (!had) size++;
        patch.set(k, v);
      }
    }
    const next = new PatchedMap(this.base, patch, size);
    return patch.size > 64 && patch.size > this.base.size / 8 ? PatchedMap.of(new Map(next)) : next;
  }

  get(key: K): V | undefined {
    const p = this.patch.get(key);
    if (p !== undefined) return p === GONE ? undefined : p;
    return this.base.get(key);
  }

  has(key: K): boolean {
    const p = this.patch.get(key);
    if (p !== undefined) return p !== GONE;
    return this.base.has(key);
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this) fn.call(thisArg, v, k, this);
  }

  *entries(): MapIterator<[K, V]> {
    for (const [k, v] of this.base) {
      const p = this.patch.get(k);
      if (p === undefined) yield [k, v];
      else if (p !== GONE) yield [k, p];
    }
    for (const [k, p] of this.patch) if (p !== GONE && !this.base.has(k)) yield [k, p];
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
