import { afterEach, describe, expect, it } from 'vitest';
import { exit, receive, self, setDefaultScheduler, spawn, trapExit } from '../../../runtime/core/index.ts';
import { type Proc, alive, collector, dead, setup } from '../../utils.ts';
import { addLink } from '../../../runtime/core/links.ts';

afterEach(() => setDefaultScheduler(null));

/** A process that waits for ever without trapping exits. */
function* idle(): Proc {
  yield receive(() => false);
}

describe('exit/2', () => {
  it("with reason 'normal' is ignored by a process that does not trap exits (erlang:exit/2 docs)", () => {
    const h = setup();
    const target = spawn(idle);
    h.run();
    spawn(() => exit(target, 'normal'));
    h.run();
    exit(target, 'normal');
    h.run();
    expect(alive(h, target)).toBe(true);
  });

  it("with reason 'normal' sent to the caller itself ends it with 'normal' (erlang:exit/2 docs)", () => {
    const h = setup();
    let after = false;
    const pid = spawn(function* (): Proc {
      exit(self(), 'normal');
      after = true;
      yield receive();
    });
    h.run();
    expect(dead(h, pid)).toBe(true);
    expect(h.exits.get(pid)).toBe('normal');
    expect(after).toBe(false);
  });

  it("with reason 'normal' reaches a trapping process as {EXIT, From, normal} (erlang:exit/2 docs)", () => {
    const h = setup();
    const target = collector(h, { trapExit: true });
    const from = spawn(() => exit(target.pid, 'normal'));
    h.run();
    expect(target.messages).toEqual([{ type: 'EXIT', from, reason: 'normal' }]);
    expect(alive(h, target.pid)).toBe(true);
  });

  it("with reason 'kill' cannot be trapped: the process dies with 'killed' (erlang:exit/2 docs)", () => {
    const h = setup();
    const target = collector(h, { trapExit: true });
    spawn(() => exit(target.pid, 'kill'));
    h.run();
    expect(dead(h, target.pid)).toBe(true);
    expect(h.exits.get(target.pid)).toBe('killed');
    expect(target.messages).toEqual([]);
  });

  it("with reason 'normal' sent to the caller itself while trapping becomes {EXIT, Self, normal} (erlang:exit/2 docs)", () => {
    const h = setup();
    const got: unknown[] = [];
    let me = '' as ReturnType<typeof self>;
    const pid = spawn(function* (): Proc {
      trapExit(true);
      me = self();
      exit(self(), 'normal');
      got.push(yield receive());
      yield receive(() => false);
    });
    h.run();
    expect(got).toEqual([{ type: 'EXIT', from: me, reason: 'normal' }]);
    expect(alive(h, pid)).toBe(true);
  });

  it('with any other reason ends a non-trapping process with that reason (erlang:exit/2 docs)', () => {
    const h = setup();
    const target = spawn(idle);
    h.run();
    spawn(() => exit(target, { shutdown: 'maintenance' }));
    h.run();
    expect(dead(h, target)).toBe(true);
    expect(h.exits.get(target)).toEqual({ shutdown: 'maintenance' });
  });

  it('with any other reason reaches a trapping process as {EXIT, From, Reason} and it lives on (erlang:exit/2 docs)', () => {
    const h = setup();
    const target = collector(h, { trapExit: true });
    const from = spawn(() => exit(target.pid, 'shutdown'));
    h.run();
    exit(target.pid, 'from the host');
    h.run();
    expect(target.messages).toEqual([
      { type: 'EXIT', from, reason: 'shutdown' },
      { type: 'EXIT', from: h.s.hostPid, reason: 'from the host' },
    ]);
    expect(alive(h, target.pid)).toBe(true);
  });

  it('sent to the caller itself with an abnormal reason ends it before its next line runs (erlang:exit/2 docs)', () => {
    const h = setup();
    let after = false;
    const pid = spawn(function* (): Proc {
      exit(self(), 'bye');
      after = true;
      yield receive();
    });
    h.run();
    expect(h.exits.get(pid)).toBe('bye');
    expect(after).toBe(false);
  });

  it('turning trap_exit on changes how later signals are handled (erlang:process_flag/2 docs, trap_exit)', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      const was = trapExit(true);
      got.push(was);
      got.push(yield receive());
    });
    h.run();
    exit(pid, 'boom');
    h.run();
    expect(got).toEqual([false, { type: 'EXIT', from: h.s.hostPid, reason: 'boom' }]);
  });
});

describe('exit/1', () => {
  it("ends the calling process with the reason, and linked processes see it (erlang:exit/1 docs)", () => {
    const h = setup();
    const watcher = collector(h, { trapExit: true });
    const pid = spawn(function* (): Proc {
      yield receive();
      exit({ custom: 'reason' });
    });
    h.run();
    addLink(h.s, h.s.procs.get(watcher.pid)!, h.s.procs.get(pid)!);
    h.s.send(pid, 'go');
    h.run();
    expect(h.exits.get(pid)).toEqual({ custom: 'reason' });
    expect(watcher.messages).toEqual([{ type: 'EXIT', from: pid, reason: { custom: 'reason' } }]);
  });

  it("can be caught by the process's own try/catch, as in Erlang (erlang:exit/1 docs: \"can be caught\")", () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      try {
        exit('changed my mind');
      } catch (e) {
        got.push((e as { reason: unknown }).reason);
      }
      got.push(yield receive());
    });
    h.run();
    expect(alive(h, pid)).toBe(true);
    h.s.send(pid, 'still here');
    h.run();
    expect(got).toEqual(['changed my mind', 'still here']);
    expect(h.exits.get(pid)).toBe('normal');
  });
});
