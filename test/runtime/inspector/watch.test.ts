/**
 * The core's hooks for the inspector (runtime/core/Scheduler.ts): change tracking, extra event
 * listeners, link/monitor events and message tracing, all costing nothing until watched.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RuntimeEvent, demonitor, link, monitor, receive, setDefaultScheduler, spawn, unlink } from '../../../runtime/core/index.ts';
import { type Proc, collector, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function* idle(): Proc {
  yield receive(() => false);
}

describe('change tracking (Scheduler.setWatching / takeChanged)', () => {
  it('records nothing while nobody watches', () => {
    const h = setup();
    collector(h);
    expect(h.s.watch).toBeNull();
    expect(h.s.takeChanged()).toEqual([]);
  });

  it('lists each changed process once: spawned, messaged, ran, exited', () => {
    const h = setup();
    const c = collector(h);
    const d = collector(h);
    h.s.setWatching(true);
    h.s.send(c.pid, 1);
    h.s.send(c.pid, 2);
    const n = spawn(idle);
    h.exit(d.pid, 'kill');
    h.run();
    const changed = h.s.takeChanged().map((p) => p.pid);
    expect(changed.sort()).toEqual([c.pid, d.pid, n].sort());
    expect(h.s.takeChanged()).toEqual([]);
    h.s.send(c.pid, 3);
    expect(h.s.takeChanged().map((p) => p.pid)).toEqual([c.pid]);
  });

  it('forgets what was not taken when watching stops, and starts clean again', () => {
    const h = setup();
    const c = collector(h);
    h.s.setWatching(true);
    h.s.send(c.pid, 1);
    h.s.setWatching(false);
    h.s.setWatching(true);
    h.s.send(c.pid, 2);
    expect(h.s.takeChanged().map((p) => p.pid)).toEqual([c.pid]);
  });

  it('marks the partner of a link that an exit broke', () => {
    const h = setup();
    const a = collector(h, { trapExit: true });
    const b = spawn(function* (): Proc {
      link(a.pid);
      yield receive(() => false);
    });
    h.run();
    h.s.setWatching(true);
    h.exit(b, 'kill');
    expect(h.s.takeChanged().map((p) => p.pid)).toContain(a.pid);
  });
});

describe('event listeners (Scheduler.listen)', () => {
  it('adds listeners beside onEvent, and removes them', () => {
    const h = setup();
    const seen: string[] = [];
    const off = h.s.listen((e) => seen.push(e.type));
    spawn(() => {});
    h.run();
    expect(seen).toEqual(['spawn', 'exit']);
    off();
    spawn(() => {});
    h.run();
    expect(seen).toHaveLength(2);
  });

  it('rethrows a throwing listener from a timer, without breaking the process that caused the event (STYLE G7)', () => {
    const h = setup();
    const timers = vi.spyOn(h.clock, 'setTimeout');
    h.s.listen(() => {
      throw new Error('listener broke');
    });
    const seen: string[] = [];
    h.s.listen((e) => seen.push(e.type));
    const pid = spawn(idle);
    h.run();
    expect(h.s.info(pid)?.status).toBe('waiting');
    expect(seen).toEqual(['spawn']);
    expect(timers).toHaveBeenCalled();
  });
});

describe('link and monitor events', () => {
  it('are made only while watched', () => {
    const h = setup();
    const events: RuntimeEvent[] = [];
    h.s.listen((e) => events.push(e));
    const a = spawn(idle);
    const body = function* (): Proc {
      link(a);
      const ref = monitor(a);
      demonitor(ref);
      unlink(a);
      yield receive(() => false);
    };
    spawn(body);
    h.run();
    expect(events.map((e) => e.type).filter((t) => t !== 'spawn')).toEqual([]);
    h.s.setWatching(true);
    const b = spawn(body);
    h.run();
    expect(events.filter((e) => e.type !== 'spawn').map((e) => [e.type, (e as { pid: string }).pid])).toEqual([
      ['link', b],
      ['monitor', b],
      ['unlink', b],
    ]);
  });

  it('report a DOWN to the watcher', () => {
    const h = setup();
    const events: RuntimeEvent[] = [];
    h.s.listen((e) => events.push(e));
    h.s.setWatching(true);
    const a = spawn(idle);
    const w = spawn(function* (): Proc {
      monitor(a);
      yield receive();
    });
    h.run();
    h.exit(a, 'boom');
    h.run();
    expect(events.find((e) => e.type === 'down')).toMatchObject({ pid: w, target: a, reason: 'boom' });
  });
});

describe('message tracing (Scheduler.setTrace)', () => {
  it("makes a traced process's sends and receives events, while watched", () => {
    const h = setup();
    const events: RuntimeEvent[] = [];
    h.s.listen((e) => events.push(e));
    const sink = collector(h);
    const echo = collector(h);
    h.s.setWatching(true);
    expect(h.s.setTrace(echo.pid, true)).toBe(true);
    expect(h.s.tracing).toBe(1);
    h.s.send(echo.pid, 'in');
    h.s.send(sink.pid, 'elsewhere');
    h.run();
    expect(events.filter((e) => e.type === 'receive')).toEqual([expect.objectContaining({ pid: echo.pid, message: 'in' })]);
    h.s.setTrace(echo.pid, false);
    expect(h.s.tracing).toBe(0);
  });

  it('counts a traced process that exits out of the tracing count', () => {
    const h = setup();
    const c = collector(h);
    h.s.setTrace(c.pid, true);
    h.exit(c.pid, 'kill');
    expect(h.s.tracing).toBe(0);
    expect(h.s.setTrace(c.pid, true)).toBe(false);
  });
});
