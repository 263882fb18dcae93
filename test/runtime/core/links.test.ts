import { afterEach, describe, expect, it } from 'vitest';
import { OrchardError, exit, link, processInfo, receive, self, setDefaultScheduler, spawn, trapExit, unlink, type Pid } from '../../../runtime/core/index.ts';
import { type Proc, alive, collector, dead, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

/** A process that links to `to` on start and then exits with whatever reason it is sent. */
function* linkedThenExit(to: Pid): Proc {
  link(to);
  const reason = yield receive();
  exit(reason);
}

function* idle(): Proc {
  yield receive(() => false);
}

describe('link', () => {
  it('is bidirectional: both processes list the link (erlang:link/1 docs)', () => {
    const h = setup();
    const b = spawn(idle);
    const a = spawn(function* (): Proc {
      link(b);
      yield receive(() => false);
    });
    h.run();
    expect(h.s.info(a)!.links).toEqual([b]);
    expect(h.s.info(b)!.links).toEqual([a]);
  });

  it('is bidirectional: either side dying takes the other down (Erlang reference manual, Processes, "Links")', () => {
    const h = setup();
    for (const which of ['caller', 'callee'] as const) {
      const callee = spawn(idle);
      const caller = spawn(function* (): Proc {
        link(callee);
        yield receive(() => false);
      });
      h.run();
      h.exit(which === 'caller' ? caller : callee, 'crash');
      expect(dead(h, caller)).toBe(true);
      expect(dead(h, callee)).toBe(true);
      expect(h.exits.get(which === 'caller' ? callee : caller)).toBe('crash');
    }
  });

  it('sends each linked process an exit signal with the exit reason, hop by hop (Erlang reference manual, Processes, "Sending Exit Signals")', () => {
    const h = setup();
    const c = spawn(idle);
    h.run();
    const b = spawn(linkedThenExit, [c]);
    h.run();
    const a = spawn(linkedThenExit, [b]);
    h.run();
    h.s.send(a, { error: 'boom' });
    h.run();
    for (const pid of [a, b, c]) expect(h.exits.get(pid)).toEqual({ error: 'boom' });
  });

  it("with reason 'normal' does nothing to a non-trapping partner (Erlang reference manual, Processes, \"Receiving Exit Signals\")", () => {
    const h = setup();
    const partner = spawn(idle);
    h.run();
    const a = spawn(linkedThenExit, [partner]);
    h.run();
    h.s.send(a, 'normal');
    h.run();
    expect(dead(h, a)).toBe(true);
    expect(alive(h, partner)).toBe(true);
    expect(h.s.info(partner)!.links).toEqual([]);
  });

  it('reaches a trapping partner as {EXIT, From, Reason} in its mailbox, normal included (Erlang reference manual, Processes, "Receiving Exit Signals")', () => {
    const h = setup();
    const partner = collector(h, { trapExit: true });
    const a = spawn(linkedThenExit, [partner.pid]);
    const b = spawn(linkedThenExit, [partner.pid]);
    h.run();
    h.s.send(a, 'normal');
    h.s.send(b, 'shutdown');
    h.run();
    expect(partner.messages).toEqual([
      { type: 'EXIT', from: a, reason: 'normal' },
      { type: 'EXIT', from: b, reason: 'shutdown' },
    ]);
    expect(alive(h, partner.pid)).toBe(true);
  });

  it("from a process that exited with reason 'kill' (exit/1) is a trappable 'kill' (Erlang reference manual, Processes, \"Receiving Exit Signals\")", () => {
    const h = setup();
    const trapping = collector(h, { trapExit: true });
    const plain = spawn(idle);
    h.run();
    const a = spawn(function* (): Proc {
      link(trapping.pid);
      link(plain);
      yield receive();
      exit('kill');
    });
    h.run();
    h.s.send(a, 'go');
    h.run();
    expect(h.exits.get(a)).toBe('kill');
    expect(trapping.messages).toEqual([{ type: 'EXIT', from: a, reason: 'kill' }]);
    expect(alive(h, trapping.pid)).toBe(true);
    // Not trapping: it dies with the link's reason as it is, 'kill', not 'killed'.
    expect(h.exits.get(plain)).toBe('kill');
  });

  it("from a process killed by exit(Pid, kill) carries 'killed', which a trapping partner can trap (erlang:exit/2 docs)", () => {
    const h = setup();
    const trapping = collector(h, { trapExit: true });
    const plain = spawn(idle);
    h.run();
    const victim = spawn(function* (): Proc {
      link(trapping.pid);
      link(plain);
      yield receive(() => false);
    });
    h.run();
    h.exit(victim, 'kill');
    h.run();
    expect(h.exits.get(victim)).toBe('killed');
    expect(h.exits.get(plain)).toBe('killed');
    expect(trapping.messages).toEqual([{ type: 'EXIT', from: victim, reason: 'killed' }]);
  });

  it('to oneself does nothing (erlang:link/1 docs: "If PidOrPort is the calling process, nothing happens")', () => {
    const h = setup();
    let links: Pid[] | null = null;
    spawn(function* (): Proc {
      link(self());
      links = processInfo(self())!.links;
      yield receive(() => false);
    });
    h.run();
    expect(links).toEqual([]);
  });
});

describe('link to a dead pid', () => {
  // erlang:link/1 (OTP 26 docs, "Failure: noproc"): a non-trapping caller linking to a local
  // process that does not exist gets a noproc error, which it can catch and go on. On OTP 25:
  // `catch link(Dead)` in a spawned process is {'EXIT', {noproc, _}} and the caller lives.
  it("raises a noproc error in a non-trapping caller, which may catch it and go on (erlang:link/1 docs, Failure: noproc)", () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    let caught: unknown;
    let after = false;
    const caller = spawn(function* (): Proc {
      try {
        link(gone);
      } catch (e) {
        caught = e;
      }
      after = true;
      yield receive();
    });
    h.run();
    expect(caught).toBeInstanceOf(OrchardError);
    expect((caught as OrchardError).code).toBe('noproc');
    expect((caught as Error).message).toMatch(/\bnoproc\b/);
    expect((caught as Error).message).toContain(gone);
    expect(after).toBe(true);
    expect(alive(h, caller)).toBe(true);
    expect(h.s.info(caller)!.links).toEqual([]);
    expect(h.s.info(caller)!.mailboxLength).toBe(0);
  });

  it('ends a non-trapping caller that does not catch the noproc error, with that error as its reason (erlang:link/1 docs)', () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    const caller = spawn(function* (): Proc {
      link(gone);
      yield receive();
    });
    h.run();
    expect(dead(h, caller)).toBe(true);
    expect(JSON.stringify(h.exits.get(caller))).toMatch(/\bnoproc\b/);
  });

  it('gives a trapping caller {EXIT, Pid, noproc} and it lives on (erlang:link/1 docs)', () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    const got: unknown[] = [];
    const caller = spawn(function* (): Proc {
      trapExit(true);
      link(gone);
      got.push(yield receive());
      yield receive(() => false);
    });
    h.run();
    expect(got).toEqual([{ type: 'EXIT', from: gone, reason: 'noproc' }]);
    expect(alive(h, caller)).toBe(true);
  });
});

describe('unlink', () => {
  it('removes the link both ways (erlang:unlink/1 docs)', () => {
    const h = setup();
    const b = spawn(idle);
    const a = spawn(function* (): Proc {
      link(b);
      yield receive();
      unlink(b);
      yield receive(() => false);
    });
    h.run();
    expect(h.s.info(b)!.links).toEqual([a]);
    h.s.send(a, 'unlink now');
    h.run();
    expect(h.s.info(a)!.links).toEqual([]);
    expect(h.s.info(b)!.links).toEqual([]);
  });

  it('means no later exit signal from that link arrives, on either side (erlang:unlink/1 docs)', () => {
    const h = setup();
    const trapping = collector(h, { trapExit: true });
    const a = spawn(function* (): Proc {
      link(trapping.pid);
      yield receive();
      unlink(trapping.pid);
      exit((yield receive()) as string);
    });
    const b = spawn(idle);
    const c = spawn(function* (): Proc {
      link(b);
      unlink(b);
      yield receive(() => false);
    });
    h.run();
    h.s.send(a, 'unlink');
    h.s.send(a, 'crash');
    h.exit(b, 'crash');
    h.run();
    expect(dead(h, a)).toBe(true);
    expect(trapping.messages).toEqual([]);
    expect(alive(h, c)).toBe(true);
  });
});
