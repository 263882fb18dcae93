/**
 * A dead process runs no more code (DESIGN decision 9). A process killed by an exit signal while
 * its own code is on the stack is unwound with EXIT_UNWIND; whatever the code's try/catch does,
 * nothing it does afterwards has an effect. On the BEAM a process that receives an exit signal it
 * does not trap is terminated at once: no catch, no `after` clause of its own runs again
 * (Erlang reference manual, Processes, "Receiving Exit Signals": "the receiver process is
 * terminated"; erlang:exit/2 docs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXIT_UNWIND, ProcessExit, type Pid, exit, isUnwind, link, monitor, receive, receiveLoop, register, self, send, sendAfter,
  setDefaultScheduler, sleep, spawn, spawnLink, trapExit,
} from '../../../runtime/core/index.ts';
import { type Harness, type Proc, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

describe('the unwind marker', () => {
  it('is what the code of a process killed under its own feet catches, and isUnwind tells it from errors (erlang:exit/2 docs)', () => {
    const h = setup();
    const caught: unknown[] = [];
    spawn(() => {
      try {
        exit(self(), 'die');
      } catch (e) {
        caught.push(e);
      }
    });
    h.run();
    expect(caught).toEqual([EXIT_UNWIND]);
    expect(isUnwind(caught[0])).toBe(true);
    expect(isUnwind(new ProcessExit('die'))).toBe(false);
    expect(isUnwind({ unwind: true })).toBe(false);
    expect(isUnwind(new Error('unwind'))).toBe(false);
  });

  it('is a frozen value: code that catches it cannot change it for other processes', () => {
    expect(Object.isFrozen(EXIT_UNWIND)).toBe(true);
  });
});

/**
 * The ways a process dies while its own code runs: exit/2 to itself, and exit/2 to a linked
 * process whose death comes back over the link. Each is run under every shape of catch.
 */
const KILLERS: Array<{ name: string; reason: unknown; kill: () => void }> = [
  { name: 'exit(self(), Reason)', reason: 'die', kill: () => exit(self(), 'die') },
  { name: "exit(self(), kill)", reason: 'killed', kill: () => exit(self(), 'kill') },
  {
    name: 'exit/2 to a linked process, whose exit comes back over the link',
    reason: 'boom',
    kill: () => {
      const partner = spawn(function* (): Proc {
        yield receive();
      });
      link(partner);
      exit(partner, 'boom');
    },
  },
];

/** A trapping process linked to `pid` would see its EXIT; this one just records what it gets. */
function watcher(h: Harness): { pid: Pid; got: unknown[] } {
  const got: unknown[] = [];
  const pid = spawn(() => receiveLoop((m) => void got.push(m)));
  h.run();
  return { pid, got };
}

describe('a dead process runs no more code', () => {
  for (const k of KILLERS) {
    describe(`killed by ${k.name}`, () => {
      it('a send after `catch {}` is not delivered, and the next BIF throws the unwind again (erlang:exit/2 docs; reference manual, "Receiving Exit Signals")', () => {
        const h = setup();
        const w = watcher(h);
        const rethrown: unknown[] = [];
        const pid = spawn(function* (): Proc {
          try {
            k.kill();
          } catch {}
          try {
            send(w.pid, 'sent by a dead process');
          } catch (e) {
            rethrown.push(e);
          }
          send(w.pid, 'sent again, uncaught');
          yield receive();
          send(w.pid, 'after a yield');
        });
        h.run();
        expect(h.exits.get(pid)).toBe(k.reason);
        expect(w.got).toEqual([]);
        expect(rethrown).toEqual([EXIT_UNWIND]);
      });

      it('`catch (e) { return }` ends nothing twice: one exit, with the signal\'s reason (reference manual, "Process Termination")', () => {
        const h = setup();
        const w = watcher(h);
        const exits: unknown[] = [];
        h.s.listen((e) => {
          if (e.type === 'exit') exits.push(e);
        });
        // oxlint-disable-next-line require-yield -- spawn takes a generator; this body never waits
        const pid = spawn(function* (): Proc {
          try {
            k.kill();
          } catch {
            return 'caught';
          }
          send(w.pid, 'never');
        });
        h.run();
        expect(exits.filter((e) => (e as { pid: Pid }).pid === pid)).toEqual([expect.objectContaining({ reason: k.reason })]);
        expect(w.got).toEqual([]);
      });

      it('a `finally` that yields is not resumed: the code after its yield never runs (reference manual, "Receiving Exit Signals")', () => {
        const h = setup();
        const w = watcher(h);
        let resumed = false;
        const pid = spawn(function* (): Proc {
          try {
            k.kill();
          } finally {
            try {
              send(w.pid, 'from finally');
            } catch {}
            yield sleep(0);
            resumed = true;
            send(w.pid, 'after the yield in finally');
          }
        });
        h.run();
        h.advance(10);
        expect(h.exits.get(pid)).toBe(k.reason);
        expect(resumed).toBe(false);
        expect(w.got).toEqual([]);
      });

      it('a behaviour loop handler that swallows the exit sends nothing afterwards (DESIGN decision 9)', () => {
        const h = setup();
        const w = watcher(h);
        const pid = spawn(() =>
          receiveLoop(() => {
            try {
              k.kill();
            } catch {}
            send(w.pid, 'from the handler');
          }),
        );
        h.run();
        h.s.send(pid, 'go');
        h.run();
        expect(h.exits.get(pid)).toBe(k.reason);
        expect(w.got).toEqual([]);
      });
    });
  }

  it('every BIF called after a swallowed exit throws the unwind again and has no effect', () => {
    const h = setup();
    const other = watcher(h);
    const calls: Record<string, () => unknown> = {
      self: () => self(),
      send: () => send(other.pid, 'x'),
      spawn: () => spawn(() => {}),
      spawnLink: () => spawnLink(() => {}),
      link: () => link(other.pid),
      monitor: () => monitor(other.pid),
      'exit/2 to another process': () => exit(other.pid, 'kill'),
      'exit/1': () => exit('again'),
      trapExit: () => trapExit(true),
      register: () => register('test.unwind.name'),
      sendAfter: () => sendAfter(0, other.pid, 'late'),
      receiveLoop: () => receiveLoop(() => {}),
    };
    const results: Record<string, unknown> = {};
    const spawnedBefore = h.s.spawned;
    const pid = spawn(() => {
      try {
        exit(self(), 'die');
      } catch {}
      for (const [name, call] of Object.entries(calls)) {
        try {
          results[name] = call();
        } catch (e) {
          results[name] = e;
        }
      }
    });
    h.run();
    h.advance(10);
    expect(h.exits.get(pid)).toBe('die');
    for (const name of Object.keys(calls)) expect({ [name]: results[name] }).toEqual({ [name]: EXIT_UNWIND });
    expect(h.s.info(other.pid)).toBeDefined();
    expect(other.got).toEqual([]);
    expect(h.s.spawned).toBe(spawnedBefore + 1);
    expect(h.s.whereis('test.unwind.name')).toBeUndefined();
    expect(h.s.timers.size).toBe(0);
  });

  it('a process killed while it waits is never resumed, and whoever sends to it afterwards gets nothing back (erlang:exit/2 docs)', () => {
    const h = setup();
    const w = watcher(h);
    let resumed = false;
    const pid = spawn(function* (): Proc {
      try {
        yield receive();
      } finally {
        resumed = true;
        send(w.pid, 'from finally');
      }
    });
    h.run();
    exit(pid, 'kill');
    h.s.send(pid, 'wake up');
    h.run();
    expect(h.exits.get(pid)).toBe('killed');
    expect(resumed).toBe(false);
    expect(w.got).toEqual([]);
  });
});
