/**
 * Tables against ETS's rules. Each `it` names the rule and where OTP states it: the ets
 * reference manual, https://www.erlang.org/doc/apps/stdlib/ets.html (its section or function).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Pid, setDefaultScheduler } from '../../../runtime/core/index.ts';
import { Table } from '../../../runtime/behaviours/index.ts';
import { type Driver, driver, harness } from './helpers.ts';
import { thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function world() {
  const h = harness();
  const owner = driver(h);
  const other = driver(h);
  return { h, owner, other };
}

/** What `fn` threw when run by `d` (tables are used synchronously, so the job ends at once). */
function errorIn(d: Driver, fn: () => unknown): Error {
  let e: Error | null = null;
  d.run(() => {
    e = thrown(fn);
  });
  return e!;
}

describe('new', () => {
  it('returns a table id that names the table in later calls (ets:new/2)', () => {
    const { owner } = world();
    const t = owner.run(() => Table.new('users'));
    expect(t).toMatch(/^#Ref</);
    owner.run(() => Table.insert(t, ['ann', 31]));
    expect(owner.run(() => Table.lookup(t, 'ann'))).toEqual([['ann', 31]]);
  });

  it('with named_table returns the name, and a second named table of that name is badarg (ets:new/2, named_table)', () => {
    const { owner, other } = world();
    expect(owner.run(() => Table.new('cache', { named: true }))).toBe('cache');
    expect(owner.run(() => Table.insert('cache', ['k', 1]))).toBe(true);
    expect(Table.whereis('cache')).toMatch(/^#Ref</);
    const e = errorIn(other, () => Table.new('cache', { named: true }));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toMatch(/\bcache\b/);
    // Unnamed tables may share a name: the name is only a label then.
    expect(other.run(() => Table.new('cache'))).toMatch(/^#Ref</);
  });

  it('defaults to a protected set keyed on the first element (ets:new/2, "Options")', () => {
    const { owner } = world();
    const t = owner.run(() => Table.new('defaults'));
    expect(Table.info(t)).toMatchObject({ name: 'defaults', named: false, type: 'set', access: 'protected', keyPos: 1, owner: owner.pid, heir: 'none', size: 0 });
  });

  it('rejects unknown options with badarg naming them (ets:new/2)', () => {
    const { owner } = world();
    expect(errorIn(owner, () => Table.new('t', { type: 'hash' as never })).message).toMatch(/\bhash\b.*table type/);
    expect(errorIn(owner, () => Table.new('t', { keyPos: 0 })).message).toMatch(/\bkeyPos\b/);
  });

  it('must be called from a process, the owner to be (ets:new/2: the table is linked to the creating process)', () => {
    world();
    expect(thrown(() => Table.new('orphan')).message).toMatch(/\bnot_in_process\b/);
  });
});

describe('table types', () => {
  it('a set holds one object per key: inserting with the same key replaces it (ets docs, "set")', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('s');
      Table.insert(t, ['a', 1], ['b', 2]);
      Table.insert(t, ['a', 3]);
      expect(Table.lookup(t, 'a')).toEqual([['a', 3]]);
      expect(Table.lookup(t, 'zz')).toEqual([]);
      expect(Table.info(t)!.size).toBe(2);
    });
  });

  it('matches keys as terms, so an equal tuple finds the object (ets docs, "set": keys match)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('terms');
      Table.insert(t, [['user', 7], 'ann']);
      Table.insert(t, [{ b: 1, a: 2 }, 'map']);
      expect(Table.lookup(t, ['user', 7])).toEqual([[['user', 7], 'ann']]);
      expect(Table.lookup(t, { a: 2, b: 1 })).toEqual([[{ b: 1, a: 2 }, 'map']]);
      expect(Table.member(t, ['user', 8])).toBe(false);
    });
  });

  it('an ordered_set traverses in term order, with first/next/last/prev (ets docs, "ordered_set"; ets:next/2)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('o', { type: 'ordered_set' });
      Table.insert(t, ['m', 1], [3, 'three'], ['b', 2], [1, 'one'], [['t', 1], 'tuple']);
      expect(Table.toList(t).map((o) => o[0])).toEqual([1, 3, 'b', 'm', ['t', 1]]);
      expect(Table.first(t)).toBe(1);
      expect(Table.next(t, 3)).toBe('b');
      // From a key that is not there, next goes to the following one (ordered_set only).
      expect(Table.next(t, 'c')).toBe('m');
      expect(Table.last(t)).toEqual(['t', 1]);
      expect(Table.prev(t, 'b')).toBe(3);
      expect(Table.next(t, ['t', 1])).toBe(Table.END_OF_TABLE);
      Table.delete(t, 'b');
      expect(Table.next(t, 3)).toBe('m');
    });
  });

  it('next on a set from a key that is not there is badarg (ets:next/2)', () => {
    const { owner } = world();
    const t = owner.run(() => Table.new('s'));
    owner.run(() => Table.insert(t, ['a', 1]));
    expect(errorIn(owner, () => Table.next(t, 'nope')).message).toMatch(/\bbadarg\b.*nope/);
  });

  it('a bag holds several objects per key but one copy of equal objects; a duplicate_bag keeps copies (ets docs, "bag")', () => {
    const { owner } = world();
    owner.run(() => {
      const bag = Table.new('b', { type: 'bag' });
      Table.insert(bag, ['k', 1], ['k', 2], ['k', 1]);
      expect(Table.lookup(bag, 'k')).toEqual([['k', 1], ['k', 2]]);
      const dup = Table.new('d', { type: 'duplicate_bag' });
      Table.insert(dup, ['k', 1], ['k', 2], ['k', 1]);
      expect(Table.lookup(dup, 'k')).toEqual([['k', 1], ['k', 2], ['k', 1]]);
      expect(Table.info(dup)!.size).toBe(3);
    });
  });

  it('keys the objects on the element at keyPos, counted from 1 (ets:new/2, {keypos, Pos})', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('byId', { keyPos: 2 });
      Table.insert(t, ['ann', 1], ['bob', 2]);
      expect(Table.lookup(t, 2)).toEqual([['bob', 2]]);
      expect(Table.lookupElement(t, 1, 1)).toBe('ann');
      expect(thrown(() => Table.insert(t, ['short'])).message).toMatch(/\bbadarg\b.*position 2/);
    });
  });

  it('insertNew inserts nothing when any key is present (ets:insert_new/2)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('n');
      Table.insert(t, ['a', 1]);
      expect(Table.insertNew(t, ['b', 2], ['a', 9])).toBe(false);
      expect(Table.member(t, 'b')).toBe(false);
      expect(Table.insertNew(t, ['b', 2], ['c', 3])).toBe(true);
      expect(Table.lookup(t, 'a')).toEqual([['a', 1]]);
    });
  });

  it('lookupElement of a missing key is badarg (ets:lookup_element/3)', () => {
    const { owner } = world();
    const t = owner.run(() => Table.new('le'));
    expect(errorIn(owner, () => Table.lookupElement(t, 'x', 2)).message).toMatch(/\bbadarg\b.*no object with key "x"/);
  });
});

describe('delete', () => {
  it('deletes the objects under a key, or an exact object from a bag (ets:delete/2, ets:delete_object/2)', () => {
    const { owner } = world();
    owner.run(() => {
      const bag = Table.new('b', { type: 'duplicate_bag' });
      Table.insert(bag, ['k', 1], ['k', 2], ['k', 1], ['j', 0]);
      Table.deleteObject(bag, ['k', 1]);
      // "In a duplicate_bag table, all instances of the object are deleted."
      expect(Table.lookup(bag, 'k')).toEqual([['k', 2]]);
      Table.delete(bag, 'k');
      expect(Table.toList(bag)).toEqual([['j', 0]]);
      expect(Table.take(bag, 'j')).toEqual([['j', 0]]);
      expect(Table.info(bag)!.size).toBe(0);
    });
  });

  it('deleting the table makes every later use badarg (ets:delete/1)', () => {
    const { owner } = world();
    const t = owner.run(() => Table.new('gone', { named: true }));
    owner.run(() => Table.delete(t));
    expect(Table.info(t)).toBeUndefined();
    expect(Table.all()).not.toContain(t);
    const e = errorIn(owner, () => Table.lookup(t, 'a'));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toMatch(/no table "gone"/);
    // The name is free again.
    expect(owner.run(() => Table.new('gone', { named: true }))).toBe('gone');
  });

  it('deleteAllObjects empties the table and keeps it (ets:delete_all_objects/1)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('o', { type: 'ordered_set' });
      Table.insert(t, [1], [2]);
      Table.deleteAllObjects(t);
      expect(Table.toList(t)).toEqual([]);
      expect(Table.first(t)).toBe(Table.END_OF_TABLE);
      Table.insert(t, [5]);
      expect(Table.toList(t)).toEqual([[5]]);
    });
  });
});

describe('match and select', () => {
  it('match returns the objects a predicate accepts; select projects them; selectDelete counts (ets:match_object/2, select/2, select_delete/2)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('people', { type: 'ordered_set' });
      Table.insert(t, ['ann', 31], ['bob', 17], ['cy', 45]);
      expect(Table.match(t, ([, age]) => (age as number) >= 18)).toEqual([['ann', 31], ['cy', 45]]);
      expect(Table.select(t, ([, age]) => (age as number) < 40, ([name]) => name)).toEqual(['ann', 'bob']);
      expect(Table.selectDelete(t, ([, age]) => (age as number) < 18)).toBe(1);
      expect(Table.toList(t)).toEqual([['ann', 31], ['cy', 45]]);
    });
  });
});

describe('updateCounter', () => {
  it('adds to the element after the key and returns the new value, or to [pos, incr] (ets:update_counter/3)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('c');
      Table.insert(t, ['hits', 10, 0]);
      expect(Table.updateCounter(t, 'hits', 1)).toBe(11);
      expect(Table.updateCounter(t, 'hits', [3, 5])).toBe(5);
      expect(Table.updateCounter(t, 'hits', [[2, -1], [3, 1]])).toEqual([10, 6]);
      expect(Table.lookup(t, 'hits')).toEqual([['hits', 10, 6]]);
    });
  });

  it('sets the counter to setValue past the threshold (ets:update_counter/3, {Pos, Incr, Threshold, SetValue})', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('wrap');
      Table.insert(t, ['i', 2]);
      expect(Table.updateCounter(t, 'i', [2, 1, 3, 0])).toBe(3);
      expect(Table.updateCounter(t, 'i', [2, 1, 3, 0])).toBe(0);
      expect(Table.updateCounter(t, 'i', [2, -1, 0, 9])).toBe(9);
    });
  });

  it('a missing key is badarg unless a default object is given, which is inserted first (ets:update_counter/4)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('d');
      expect(thrown(() => Table.updateCounter(t, 'new', 1)).message).toMatch(/\bbadarg\b.*no object with key "new"/);
      expect(Table.updateCounter(t, 'new', 1, ['ignored', 100])).toBe(101);
      expect(Table.lookup(t, 'new')).toEqual([['new', 101]]);
    });
  });

  it('is badarg on a bag, on the key position and on a non-integer, and then changes nothing (ets:update_counter/3, "Failures")', () => {
    const { owner } = world();
    owner.run(() => {
      const bag = Table.new('b', { type: 'bag' });
      Table.insert(bag, ['k', 1]);
      expect(thrown(() => Table.updateCounter(bag, 'k', 1)).message).toMatch(/\bbadarg\b.*\bbag\b/);
      const t = Table.new('s');
      const stored = ['k', 1, 'text'] as const;
      Table.insert(t, stored);
      expect(thrown(() => Table.updateCounter(t, 'k', [1, 1])).message).toMatch(/\bbadarg\b.*\bkey\b/);
      expect(thrown(() => Table.updateCounter(t, 'k', [[2, 1], [3, 1]])).message).toMatch(/\bbadarg\b.*integers/);
      expect(Table.lookup(t, 'k')).toEqual([['k', 1, 'text']]);
      // The stored tuple is replaced, never changed: a tuple read earlier stays as it was.
      const before = Table.lookup(t, 'k')[0];
      Table.updateCounter(t, 'k', 1);
      expect(before).toEqual(['k', 1, 'text']);
    });
  });

  it('updateElement replaces elements and returns false for a missing key (ets:update_element/3)', () => {
    const { owner } = world();
    owner.run(() => {
      const t = Table.new('e');
      Table.insert(t, ['k', 1, 2]);
      expect(Table.updateElement(t, 'k', [[2, 'x'], [3, 'y']])).toBe(true);
      expect(Table.lookup(t, 'k')).toEqual([['k', 'x', 'y']]);
      expect(Table.updateElement(t, 'nope', [2, 0])).toBe(false);
    });
  });
});

describe('access', () => {
  it('protected: other processes read but may not write, badarg naming the table and the rule (ets docs, "protected")', () => {
    const { owner, other } = world();
    const t = owner.run(() => Table.new('prot', { named: true }));
    owner.run(() => Table.insert(t, ['a', 1]));
    expect(other.run(() => Table.lookup(t, 'a'))).toEqual([['a', 1]]);
    const e = errorIn(other, () => Table.insert(t, ['b', 2]));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toMatch(/"prot" is protected/);
    expect(e.message).toMatch(/only its owner may write/);
    expect(errorIn(other, () => Table.delete(t)).message).toMatch(/\bprotected\b/);
  });

  it('private: only the owner reads or writes (ets docs, "private")', () => {
    const { owner, other } = world();
    const t = owner.run(() => Table.new('priv', { access: 'private' }));
    owner.run(() => Table.insert(t, ['a', 1]));
    expect(owner.run(() => Table.lookup(t, 'a'))).toEqual([['a', 1]]);
    expect(errorIn(other, () => Table.lookup(t, 'a')).message).toMatch(/\bprivate\b.*only its owner may read or write/);
    // info and all() still see it, as ets:info/1 and ets:all/0 do.
    expect(Table.info(t)!.access).toBe('private');
    expect(Table.all()).toContain(t);
  });

  it('public: any process reads, writes and may delete the table (ets docs, "public"; ets:delete/1)', () => {
    const { owner, other } = world();
    const t = owner.run(() => Table.new('pub', { access: 'public' }));
    other.run(() => Table.insert(t, ['from other', 1]));
    expect(owner.run(() => Table.lookup(t, 'from other'))).toEqual([['from other', 1]]);
    expect(other.run(() => Table.updateCounter(t, 'from other', 1))).toBe(2);
    other.run(() => Table.delete(t));
    expect(Table.info(t)).toBeUndefined();
  });
});

describe('owner and heir', () => {
  it('a table is deleted when its owner exits, and its name is free for a restarted owner (ets docs, "a table is deleted when the owner terminates")', () => {
    const { h, owner, other } = world();
    const t = owner.run(() => Table.new('session', { named: true }));
    h.exit(owner.pid, 'kill');
    h.run();
    expect(Table.info(t)).toBeUndefined();
    expect(Table.whereis('session')).toBeUndefined();
    expect(other.run(() => Table.new('session', { named: true }))).toBe('session');
  });

  it('the heir inherits the table when the owner exits and gets ETS-TRANSFER with the heir data (ets:new/2, {heir, Pid, HeirData})', () => {
    const { h, owner, other } = world();
    const t = owner.run(() => Table.new('kept', { heir: other.pid, heirData: 'for you' }));
    owner.run(() => Table.insert(t, ['a', 1]));
    const old = owner.pid;
    h.exit(owner.pid, 'shutdown');
    h.run();
    expect(other.mailbox()).toEqual([{ type: 'ETS-TRANSFER', table: t, from: old, data: 'for you' }]);
    expect(Table.info(t)).toMatchObject({ owner: other.pid, size: 1 });
    // The new owner may write a protected table now.
    expect(other.run(() => Table.insert(t, ['b', 2]))).toBe(true);
  });

  it('the table is deleted when the heir is not alive at the owner\'s exit (ets:new/2, heir)', () => {
    const { h, owner, other } = world();
    const heir: Pid = other.pid;
    const t = owner.run(() => Table.new('orphaned', { heir }));
    h.exit(heir, 'kill');
    h.run();
    h.exit(owner.pid, 'kill');
    h.run();
    expect(Table.info(t)).toBeUndefined();
  });

  it('ignores a heir that is already dead when the table is created or the heir set: info reports none (ets:new/2 {heir, Pid, HeirData}; checked on OTP 25: ets:info(T, heir) =:= none)', () => {
    const { h, owner, other } = world();
    const dead: Pid = other.pid;
    h.exit(dead, 'kill');
    h.run();
    const t = owner.run(() => Table.new('dead_heir', { heir: dead, heirData: 'lost' }));
    expect(Table.info(t)!.heir).toBe('none');
    const u = owner.run(() => Table.new('dead_heir_later'));
    owner.run(() => Table.setHeir(u, dead, 'lost'));
    expect(Table.info(u)!.heir).toBe('none');
  });

  it('setHeir lets the owner name or clear the heir (ets:setopts/2, heir)', () => {
    const { h, owner, other } = world();
    const t = owner.run(() => Table.new('later'));
    owner.run(() => Table.setHeir(t, other.pid, 42));
    expect(Table.info(t)!.heir).toBe(other.pid);
    expect(errorIn(other, () => Table.setHeir(t, 'none')).message).toMatch(/only its owner may set its heir/);
    h.exit(owner.pid, 'kill');
    h.run();
    expect(other.mailbox()).toMatchObject([{ type: 'ETS-TRANSFER', data: 42 }]);
  });
});

describe('giveAway', () => {
  it('makes pid the owner, which receives ETS-TRANSFER with the gift data (ets:give_away/3)', () => {
    const { h, owner, other } = world();
    const t = owner.run(() => Table.new('gift'));
    owner.run(() => Table.giveAway(t, other.pid, { note: 'yours' }));
    expect(other.mailbox()).toEqual([{ type: 'ETS-TRANSFER', table: t, from: owner.pid, data: { note: 'yours' } }]);
    expect(Table.info(t)!.owner).toBe(other.pid);
    // The old owner's exit no longer touches it.
    h.exit(owner.pid, 'kill');
    h.run();
    expect(Table.info(t)!.owner).toBe(other.pid);
  });

  it('is badarg from a process that is not the owner, to the owner itself, or to a dead pid (ets:give_away/3)', () => {
    const { h, owner, other } = world();
    const t = owner.run(() => Table.new('mine'));
    expect(errorIn(other, () => Table.giveAway(t, other.pid, null)).message).toMatch(/only its owner may give it away/);
    expect(errorIn(owner, () => Table.giveAway(t, owner.pid, null)).message).toMatch(/already owns/);
    const gone = h.s.spawn(() => {});
    h.run();
    expect(errorIn(owner, () => Table.giveAway(t, gone, null)).message).toMatch(/not a live process/);
  });
});
