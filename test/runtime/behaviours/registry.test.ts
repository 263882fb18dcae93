/**
 * Registry against Elixir's rules. Each `it` names the rule and where it is stated: Elixir's
 * Registry docs (https://hexdocs.pm/elixir/Registry.html) or its source,
 * lib/elixir/lib/registry.ex.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setDefaultScheduler } from '../../../runtime/core/index.ts';
import { Agent, GenServer, Registry } from '../../../runtime/behaviours/index.ts';
import { type Driver, driven, driver, okPid } from './helpers.ts';
import { thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function world(keys: Registry.RegistryKeys = 'unique', extra: Partial<Registry.RegistryOptions> = {}) {
  const { h, d } = driven();
  const reg = okPid(d.run(() => Registry.startLink({ keys, name: 'test.reg', ...extra })));
  return { h, d, reg, a: driver(h), b: driver(h) };
}

/** What `fn` threw when run by `p` (the registry's functions are synchronous). */
function errorIn(p: Driver, fn: () => unknown): Error {
  let e: Error | null = null;
  p.run(() => {
    e = thrown(fn);
  });
  return e!;
}

const echo = { init: () => ['ok', null] as ['ok', null], handleCall: (r: unknown, _f: unknown, s: null) => ['reply', r, s] as ['reply', unknown, null] };

describe('startLink', () => {
  it('starts a registry process under its name and needs keys and a name (start_link/1)', () => {
    const { h, d, reg } = world();
    expect(h.s.whereis('test.reg')).toBe(reg);
    expect(h.s.info(reg)!.behaviour).toBe('Registry');
    expect(errorIn(d, () => Registry.startLink({ keys: 'unique' } as never)).message).toMatch(/\bbadarg\b.*needs a name/);
    expect(errorIn(d, () => Registry.startLink({ keys: 'many', name: 'x' } as never)).message).toMatch(/'unique' or 'duplicate'/);
  });

  it('an unknown registry is badarg naming it (registry.ex: "unknown registry")', () => {
    const { a } = world();
    expect(errorIn(a, () => Registry.lookup('test.nope', 'k')).message).toMatch(/\bbadarg\b.*unknown registry: "test\.nope"/);
  });
});

describe('unique keys', () => {
  it("register returns ['ok', owner] and links the caller to the owner; lookup finds [pid, value] (register/3, lookup/2)", () => {
    const { h, reg, a, b } = world();
    expect(a.run(() => Registry.register('test.reg', 'hello', 'world'))).toEqual(['ok', reg]);
    expect(h.s.info(a.pid)!.links).toContain(reg);
    expect(b.run(() => Registry.lookup('test.reg', 'hello'))).toEqual([[a.pid, 'world']]);
    expect(b.run(() => Registry.lookup('test.reg', 'other'))).toEqual([]);
    expect(b.run(() => Registry.keys('test.reg', a.pid))).toEqual(['hello']);
    expect(b.run(() => Registry.values('test.reg', 'hello', a.pid))).toEqual(['world']);
  });

  it('a taken key gives already_registered with the holder, the caller included (register/3)', () => {
    const { a, b } = world();
    a.run(() => Registry.register('test.reg', 'k', 1));
    expect(b.run(() => Registry.register('test.reg', 'k', 2))).toEqual(['error', { already_registered: a.pid }]);
    expect(a.run(() => Registry.register('test.reg', 'k', 3))).toEqual(['error', { already_registered: a.pid }]);
    expect(b.run(() => Registry.lookup('test.reg', 'k'))).toEqual([[a.pid, 1]]);
  });

  it('compares keys as terms (Registry docs: "All key comparisons in the registry are done using the match operation")', () => {
    const { a, b } = world();
    a.run(() => Registry.register('test.reg', ['worker', 1], 'w1'));
    expect(b.run(() => Registry.lookup('test.reg', ['worker', 1]))).toEqual([[a.pid, 'w1']]);
    expect(b.run(() => Registry.register('test.reg', ['worker', 1], 'x'))).toEqual(['error', { already_registered: a.pid }]);
  });

  it('registers and looks up without a message to the registry, so the next lookup sees it (Registry docs, "Registrations")', () => {
    const { h, reg, a, b } = world();
    const before = h.s.info(reg)!.reductions;
    a.run(() => Registry.register('test.reg', 'fast', 1));
    expect(h.s.info(reg)!.mailboxLength).toBe(0);
    expect(b.run(() => Registry.lookup('test.reg', 'fast'))).toEqual([[a.pid, 1]]);
    expect(h.s.info(reg)!.reductions).toBe(before);
  });

  it("drops a process's entries when it exits; until the registry has, lookups skip it and its key is free (Registry docs, \"Registrations\")", () => {
    const { h, reg, a, b } = world();
    a.run(() => Registry.register('test.reg', 'k', 1));
    a.run(() => Registry.register('test.reg', 'other', 2));
    h.exit(a.pid, 'kill');
    // The registry has the exit in its mailbox but has not handled it yet.
    expect(h.s.info(reg)!.mailboxLength).toBe(1);
    expect(Registry.lookup('test.reg', 'k')).toEqual([]);
    expect(b.run(() => Registry.register('test.reg', 'k', 'b'))).toEqual(['ok', reg]);
    h.run();
    expect(b.run(() => Registry.lookup('test.reg', 'k'))).toEqual([[b.pid, 'b']]);
    expect(Registry.count('test.reg')).toBe(1);
    expect(Registry.keys('test.reg', a.pid)).toEqual([]);
  });

  it('unregister drops the key and unlinks the caller once it holds no key (unregister/2)', () => {
    const { h, reg, a } = world();
    a.run(() => Registry.register('test.reg', 'x', 1));
    a.run(() => Registry.register('test.reg', 'y', 2));
    expect(a.run(() => Registry.unregister('test.reg', 'x'))).toBe('ok');
    expect(h.s.info(a.pid)!.links).toContain(reg);
    a.run(() => Registry.unregister('test.reg', 'y'));
    expect(h.s.info(a.pid)!.links).not.toContain(reg);
    expect(Registry.count('test.reg')).toBe(0);
  });

  it('unregisterMatch drops the key only when the value matches, as the docs example does (unregister_match/4, unique registry example)', () => {
    const { h, reg, a } = world();
    a.run(() => Registry.register('test.reg', 'hello', 'world'));
    expect(Registry.keys('test.reg', a.pid)).toEqual(['hello']);
    expect(a.run(() => Registry.unregisterMatch('test.reg', 'hello', (v) => v === 'foo'))).toBe('ok');
    expect(Registry.keys('test.reg', a.pid)).toEqual(['hello']);
    expect(a.run(() => Registry.unregisterMatch('test.reg', 'hello', (v) => v === 'world'))).toBe('ok');
    expect(Registry.keys('test.reg', a.pid)).toEqual([]);
    expect(h.s.info(a.pid)!.links).not.toContain(reg); // nothing left to hold: unlinked, as unregister does
  });

  it("updateValue replaces the caller's value and returns [new, old], or 'error' for a key it does not hold (update_value/3)", () => {
    const { a, b } = world();
    a.run(() => Registry.register('test.reg', 'n', 1));
    expect(a.run(() => Registry.updateValue('test.reg', 'n', (v: number) => v + 1))).toEqual([2, 1]);
    expect(b.run(() => Registry.lookup('test.reg', 'n'))).toEqual([[a.pid, 2]]);
    expect(b.run(() => Registry.updateValue('test.reg', 'n', (v: number) => v + 1))).toBe('error');
  });

  it("a registry's registrants are linked to it, so they exit when it does (register/3: \"The owner is automatically linked to the caller\")", () => {
    const { h, reg, a, b } = world();
    a.run(() => Registry.register('test.reg', 'k', 1));
    h.exit(reg, 'kill');
    h.run();
    expect(h.exits.get(a.pid)).toBe('killed');
    expect(b.alive()).toBe(true);
  });
});

describe('duplicate keys', () => {
  it('keeps every registration, from one process or many, in order (register/3, lookup/2)', () => {
    const { a, b } = world('duplicate');
    a.run(() => Registry.register('test.reg', 'topic', 'first'));
    a.run(() => Registry.register('test.reg', 'topic', 'second'));
    b.run(() => Registry.register('test.reg', 'topic', 'third'));
    expect(Registry.lookup('test.reg', 'topic')).toEqual([[a.pid, 'first'], [a.pid, 'second'], [b.pid, 'third']]);
    expect(Registry.keys('test.reg', a.pid)).toEqual(['topic', 'topic']);
    expect(Registry.count('test.reg')).toBe(3);
    a.run(() => Registry.unregister('test.reg', 'topic'));
    expect(Registry.lookup('test.reg', 'topic')).toEqual([[b.pid, 'third']]);
  });

  it('dispatch calls the function with the entries in the caller, and not at all without entries (dispatch/3, "Using as a PubSub")', () => {
    const { h, a, b } = world('duplicate');
    a.run(() => Registry.register('test.reg', 'news', []));
    b.run(() => Registry.register('test.reg', 'news', []));
    const caller = driver(h);
    const calls: unknown[] = [];
    caller.run(() => Registry.dispatch('test.reg', 'news', (entries) => {
      calls.push(h.s.current!.pid);
      for (const [pid] of entries) h.s.send(pid, { broadcast: 'world' });
    }));
    expect(calls).toEqual([caller.pid]);
    expect(a.mailbox()).toEqual([{ broadcast: 'world' }]);
    expect(b.mailbox()).toEqual([{ broadcast: 'world' }]);
    expect(caller.run(() => Registry.dispatch('test.reg', 'quiet', () => calls.push('called')))).toBe('ok');
    expect(calls).toHaveLength(1);
  });

  it('match returns the entries whose value a predicate accepts (match/3, with a predicate for the pattern)', () => {
    const { a } = world('duplicate');
    a.run(() => {
      Registry.register('test.reg', 'hello', [1, 'atom', 1]);
      Registry.register('test.reg', 'hello', [2, 'atom', 2]);
    });
    expect(Registry.match('test.reg', 'hello', (v) => (v as number[])[0] === 2)).toEqual([[a.pid, [2, 'atom', 2]]]);
  });

  it("unregisterMatch drops only the caller's matching entries under the key (unregister_match/4, duplicate registry example)", () => {
    const { a, b } = world('duplicate');
    a.run(() => {
      Registry.register('test.reg', 'hello', 'world_a');
      Registry.register('test.reg', 'hello', 'world_b');
      Registry.register('test.reg', 'hello', 'world_c');
    });
    b.run(() => Registry.register('test.reg', 'hello', 'world_a'));
    expect(Registry.keys('test.reg', a.pid)).toEqual(['hello', 'hello', 'hello']);
    expect(a.run(() => Registry.unregisterMatch('test.reg', 'hello', (v) => v === 'world_a'))).toBe('ok');
    expect(Registry.keys('test.reg', a.pid)).toEqual(['hello', 'hello']);
    expect(Registry.lookup('test.reg', 'hello')).toEqual([[a.pid, 'world_b'], [a.pid, 'world_c'], [b.pid, 'world_a']]);
  });

  it("drops every entry of a process that exits and keeps the others' (Registry docs: \"the registry ... automatically removes the entries\" when a process dies)", () => {
    const { h, a, b } = world('duplicate');
    a.run(() => {
      Registry.register('test.reg', 'topic', 1);
      Registry.register('test.reg', 'topic', 2);
      Registry.register('test.reg', 'other', 3);
    });
    b.run(() => Registry.register('test.reg', 'topic', 4));
    h.exit(a.pid, 'kill');
    h.run();
    expect(Registry.lookup('test.reg', 'topic')).toEqual([[b.pid, 4]]);
    expect(Registry.lookup('test.reg', 'other')).toEqual([]);
    expect(Registry.count('test.reg')).toBe(1);
    const t = h.s.procs.get(h.s.whereis('test.reg')!)!.ext!.dict!.get(Registry.REGISTRY_TABLE) as { byPid: Map<unknown, unknown> };
    expect(t.byPid.has(a.pid)).toBe(false); // removed, not only skipped by lookups
  });

  it('updateValue is for unique registries only (update_value/3: "If a non-unique registry is given, an error is raised")', () => {
    const { a } = world('duplicate');
    expect(errorIn(a, () => Registry.updateValue('test.reg', 'k', (v) => v)).message).toMatch(/\bbadarg\b.*\bunique\b/);
  });
});

describe('via names', () => {
  it('names a GenServer through {via: [registry, key]}; a second start gets already_started (Registry docs, "Using in :via")', () => {
    const { h, d } = world();
    const name = { via: ['test.reg', 'agent'] as [string, unknown] };
    // Started without a link, so that killing it below leaves the driver alone.
    const server = okPid(d.run(() => GenServer.start(echo, null, { name })));
    expect(Registry.lookup('test.reg', 'agent')).toEqual([[server, null]]);
    expect(d.run(() => GenServer.call(name, 'hi'))).toBe('hi');
    expect(d.run(() => GenServer.start(echo, null, { name }))).toEqual(['error', { already_started: server }]);
    h.exit(server, 'kill');
    expect(d.exitOf(() => GenServer.call(name, 'hi'))).toBe('noproc');
    expect(okPid(d.run(() => GenServer.start(echo, null, { name })))).not.toBe(server);
  });

  it('works for Agents, as in the Registry docs example (Registry docs, "Using in :via")', () => {
    const { d } = world();
    const name = { via: ['test.reg', 'agent'] as [string, unknown] };
    okPid(d.run(() => Agent.startLink(() => 0, { name })));
    d.run(() => Agent.update(name, (n: number) => n + 1));
    expect(d.run(() => Agent.get(name, (n: number) => n))).toBe(1);
  });

  it('is badarg with a duplicate registry (Registry docs: "Only registries with unique keys can be used in :via")', () => {
    const { d } = world('duplicate');
    const e = thrown(() => d.run(() => GenServer.call({ via: ['test.reg', 'k'] }, 'hi')));
    expect(e.message).toMatch(/\bbadarg\b.*unique registry/);
  });
});

describe('listeners and meta', () => {
  it('tells listeners of each register and unregister (start_link/1, :listeners)', () => {
    const { h, d } = driven();
    const listener = driver(h);
    h.s.register('test.reg.listener', listener.pid);
    okPid(d.run(() => Registry.startLink({ keys: 'unique', name: 'test.reg', listeners: ['test.reg.listener'] })));
    const a = driver(h);
    a.run(() => Registry.register('test.reg', 'k', 'v'));
    a.run(() => Registry.unregister('test.reg', 'k'));
    expect(listener.mailbox()).toEqual([
      { type: 'register', registry: 'test.reg', key: 'k', pid: a.pid, value: 'v' },
      { type: 'unregister', registry: 'test.reg', key: 'k', pid: a.pid },
    ]);
  });

  it("keeps metadata given at start or put later; meta of a missing key is 'error' (meta/2, put_meta/3)", () => {
    const { a } = world('unique', { meta: { custom: 'value' } });
    expect(a.run(() => Registry.meta('test.reg', 'custom'))).toEqual(['ok', 'value']);
    expect(a.run(() => Registry.meta('test.reg', 'unknown'))).toBe('error');
    a.run(() => Registry.putMeta('test.reg', 'later', 1));
    expect(Registry.meta('test.reg', 'later')).toEqual(['ok', 1]);
  });
});

