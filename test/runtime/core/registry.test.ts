import { afterEach, describe, expect, it } from 'vitest';
import { receive, register, registered, setDefaultScheduler, spawn, unregister, whereis } from '../../../runtime/core/index.ts';
import { type Proc, setup, thrown } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function* idle(): Proc {
  yield receive(() => false);
}

describe('register', () => {
  it('associates a name with a pid, listed by registered() and found by whereis() (erlang:register/2 docs)', () => {
    const h = setup();
    const a = spawn(idle);
    const b = spawn(idle);
    h.run();
    expect(register('test.reg.a', a)).toBe(true);
    register('test.reg.b', b);
    expect(whereis('test.reg.a')).toBe(a);
    expect(whereis('test.reg.b')).toBe(b);
    expect(whereis('test.reg.none')).toBeUndefined();
    expect(registered().sort()).toEqual(['test.reg.a', 'test.reg.b']);
    expect(h.s.info(a)!.registeredName).toBe('test.reg.a');
  });

  it('unregister removes the name, and whereis then finds nothing (erlang:unregister/1 docs)', () => {
    const h = setup();
    const a = spawn(idle);
    h.run();
    register('test.reg.a', a);
    expect(unregister('test.reg.a')).toBe(true);
    expect(whereis('test.reg.a')).toBeUndefined();
    expect(registered()).toEqual([]);
    expect(h.s.info(a)!.registeredName).toBeNull();
    // The process may take a name again afterwards.
    expect(register('test.reg.again', a)).toBe(true);
  });

  it('unregister of a name nobody has throws badarg naming it (erlang:unregister/1 docs, "Failure: badarg")', () => {
    setup();
    const e = thrown(() => unregister('test.reg.nobody'));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toMatch(/test\.reg\.nobody/);
  });

  it('fails with badarg naming the owner when the name is taken (erlang:register/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const a = spawn(idle);
    const b = spawn(idle);
    h.run();
    register('test.reg.taken', a);
    const e = thrown(() => register('test.reg.taken', b));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toMatch(/test\.reg\.taken/);
    expect(e.message).toContain(a);
    expect(whereis('test.reg.taken')).toBe(a);
  });

  it('gives a process at most one name (erlang:register/2 docs, "Failure: badarg": already registered)', () => {
    const h = setup();
    const a = spawn(idle);
    h.run();
    register('test.reg.first', a);
    const e = thrown(() => register('test.reg.second', a));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toMatch(/test\.reg\.first/);
    expect(whereis('test.reg.second')).toBeUndefined();
  });

  it('rejects invalid names: empty, pid-like, "undefined", not a string (erlang:register/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const a = spawn(idle);
    h.run();
    for (const name of ['', '<0.1.0>', 'undefined', 42, null]) {
      const e = thrown(() => register(name as string, a));
      expect(e.message).toMatch(/\bbadarg\b/);
      expect(e.message).toMatch(/not a valid name/);
    }
    expect(registered()).toEqual([]);
  });

  it('fails with badarg for a pid that is not alive (erlang:register/2 docs, "Failure: badarg")', () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    const e = thrown(() => register('test.reg.ghost', gone));
    expect(e.message).toMatch(/\bbadarg\b/);
    expect(e.message).toContain(gone);
  });

  it('through the spawn option {name} takes effect before the process first runs (proc_lib/gen "{local, Name}")', () => {
    const h = setup();
    const pid = spawn(idle, [], { name: 'test.reg.spawned' });
    expect(whereis('test.reg.spawned')).toBe(pid);
    h.run();
    expect(h.s.info(pid)!.registeredName).toBe('test.reg.spawned');
  });

  it('a failed spawn leaves no name behind (erlang:register/2 docs: the name belongs to a live process)', () => {
    const h = setup();
    // A link needs a calling process: from the host the spawn fails, and must not leak the name.
    expect(() => h.s.spawn(idle, [], { name: 'test.reg.leak', link: true })).toThrow(/\bbadarg\b/);
    expect(whereis('test.reg.leak')).toBeUndefined();
    expect(h.s.stats().processes).toBe(0);
  });
});
