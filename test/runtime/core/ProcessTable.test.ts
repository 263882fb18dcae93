import { afterEach, describe, expect, it } from 'vitest';
import {
  defineModule,
  isAlive,
  makePid,
  receiveLoop,
  setDefaultScheduler,
  spawn,
  type Pid,
} from '../../../runtime/core/index.ts';
import { type Harness, collector, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

/** The process table's first capacity: numbers this far apart share a slot while it is small. */
const FIRST_CAPACITY = 1024;

function idle(h: Harness): Pid {
  const pid = spawn(() => receiveLoop(() => {}));
  h.run();
  return pid;
}

describe('process table', () => {
  it('never reuses a pid: 5,000 spawns and exits give 5,000 pids, and a dead one reaches nobody (reference manual, Data Types, "Pid": a terminated process\'s pid is reused only "after a while")', () => {
    const h = setup();
    const seen = new Set<Pid>();
    const first = spawn(() => {});
    for (let i = 0; i < 5_000; i++) {
      seen.add(spawn(() => {}));
      if (i % 100 === 0) h.run();
    }
    h.run();
    expect(seen.size).toBe(5_000);
    expect(seen.has(first)).toBe(false);
    const c = collector(h);
    h.s.send(first, 'to the dead');
    expect(isAlive(first)).toBe(false);
    expect(c.messages).toEqual([]);
    expect(h.s.procs.size).toBe(1);
  });

  it('finds two live processes whose numbers share a slot, and each gets only its own messages (erlang:send/2 docs)', () => {
    const h = setup();
    const a = collector(h);
    // Skip ahead so that the next number is congruent to a's modulo the table's capacity.
    h.s.reservePids(FIRST_CAPACITY - 1);
    const b = collector(h);
    expect(Number(b.pid.split('.')[1]) - Number(a.pid.split('.')[1])).toBe(FIRST_CAPACITY);
    h.s.send(a.pid, 'for a');
    h.s.send(b.pid, 'for b');
    h.run();
    expect(a.messages).toEqual(['for a']);
    expect(b.messages).toEqual(['for b']);
    h.exit(a.pid, 'kill');
    expect(isAlive(a.pid)).toBe(false);
    expect(isAlive(b.pid)).toBe(true);
    h.s.send(b.pid, 'still b');
    h.run();
    expect(b.messages).toEqual(['for b', 'still b']);
    expect(h.s.procs.size).toBe(1);
  });

  it('starts a remote spawn under a pid reserved long before, while the table has grown and shrunk (erlang:spawn/4 docs; Placement grants blocks of pids)', () => {
    const h = setup();
    const got: unknown[] = [];
    defineModule('test.table.collect', (tag: string) => {
      receiveLoop((m) => void got.push([tag, m]));
    });
    const first = h.s.reservePids(4);
    const crowd: Pid[] = [];
    for (let i = 0; i < 3 * FIRST_CAPACITY; i++) crowd.push(spawn(() => receiveLoop(() => {})));
    h.run();
    for (const pid of crowd.slice(10)) h.exit(pid, 'kill');
    const reserved = makePid(0, first + 2);
    h.s.accept({ kind: 'spawn', from: makePid(1, 1), to: reserved, parent: null, module: 'test.table.collect', args: ['reserved'], options: {} });
    h.s.send(reserved, 'hello');
    h.run();
    expect(got).toEqual([['reserved', 'hello']]);
    expect(isAlive(reserved)).toBe(true);
    expect(crowd.slice(0, 10).every(isAlive)).toBe(true);
    expect(h.s.procs.size).toBe(11);
  });

  it('keeps every process reachable while it grows past its first capacity and shrinks back (erlang:send/2 docs)', () => {
    const h = setup();
    const n = 5 * FIRST_CAPACITY;
    const got = new Map<Pid, unknown>();
    const pids: Pid[] = [];
    for (let i = 0; i < n; i++) {
      const pid: Pid = spawn(() => receiveLoop((m) => void got.set(pid, m)));
      pids.push(pid);
    }
    h.run();
    pids.forEach((pid, i) => h.s.send(pid, i));
    h.run();
    expect(got.size).toBe(n);
    expect(pids.every((pid, i) => got.get(pid) === i)).toBe(true);
    const kept = pids.filter((_, i) => i % 97 === 0);
    for (const pid of pids) if (!kept.includes(pid)) h.exit(pid, 'kill');
    expect(h.s.procs.size).toBe(kept.length);
    expect(new Set(h.s.procs.keys())).toEqual(new Set(kept));
    got.clear();
    for (const pid of kept) h.s.send(pid, 'again');
    h.run();
    expect([...got.keys()].sort()).toEqual([...kept].sort());
  });

  it('visits every survivor once in a walk during which most processes exit and the table shrinks', () => {
    const h = setup();
    const pids: Pid[] = [];
    for (let i = 0; i < 3 * FIRST_CAPACITY; i++) pids.push(spawn(() => receiveLoop(() => {})));
    h.run();
    const survivors = new Set(pids.filter((_, i) => i % 10 === 0));
    // Midway, as a walk over the live slots would be when the table is rebuilt under it.
    const killer = pids[1500]!;
    survivors.add(killer);
    const visited: Pid[] = [];
    for (const p of h.s.procs.values()) {
      if (p.pid === killer) for (const pid of pids) if (!survivors.has(pid)) h.exit(pid, 'kill');
      visited.push(p.pid);
    }
    const once = visited.filter((pid) => survivors.has(pid));
    expect(once.length).toBe(survivors.size);
    expect(new Set(once)).toEqual(survivors);
    expect(new Set(visited).size).toBe(visited.length);
  });

  it('finds nothing for what is not a live local pid: a name, a number, a pid of another scheduler (erlang:is_process_alive/1 docs)', () => {
    const h = setup();
    const a = idle(h);
    const sameNumberElsewhere = a.replace(/\.0>$/, '.1>') as Pid;
    expect(h.s.procs.get(sameNumberElsewhere)).toBeUndefined();
    expect(h.s.procs.get('a_name' as Pid)).toBeUndefined();
    expect(h.s.procs.get(42 as unknown as Pid)).toBeUndefined();
    expect(h.s.procs.get(undefined as unknown as Pid)).toBeUndefined();
    expect(h.s.procs.has(a)).toBe(true);
    // An equal string built elsewhere (as a clone from another worker is) finds the process.
    expect(h.s.procs.get(`<0.${a.slice(3)}` as Pid)?.pid).toBe(a);
  });
});
