import { describe, expect, it } from 'vitest';
import { blastRadius, isNormalExit } from '../../../app/layout/blastRadius.ts';
import { linkRows, world, workers } from './fixtures.ts';

const summary = (b: ReturnType<typeof blastRadius>, w: ReturnType<typeof world>) => {
  const path = new Map([...w.at].map(([k, v]) => [v, k]));
  return b.dies.map((c) => `${path.get(c.pid) ?? c.pid}:${c.reason}:${c.restarted ? 'restarted' : 'gone'}`);
};

describe('exit signals to the target (erlang:exit/2)', () => {
  const w = world({ A: { children: [{ id: 'plain' }, { id: 'trapper', trapExit: true }] } });

  it('kill cannot be trapped: the process dies with killed', () => {
    const b = blastRadius(w, w.at.get('A/root/trapper')!, 'kill');
    expect(b.effect).toBe('dies');
    expect(b.dies[0]).toMatchObject({ pid: w.at.get('A/root/trapper'), reason: 'killed' });
  });

  it('any other reason reaches a process that traps exits as a message', () => {
    const b = blastRadius(w, w.at.get('A/root/trapper')!, 'shutdown');
    expect(b.effect).toBe('trapped');
    expect(b.dies).toEqual([]);
    expect(b.notified.map((n) => n.pid)).toEqual([w.at.get('A/root/trapper')]);
  });

  it('normal is ignored by a process that does not trap exits', () => {
    expect(blastRadius(w, w.at.get('A/root/plain')!, 'normal')).toMatchObject({ effect: 'ignored', dies: [] });
  });

  it('a custom reason kills a process that does not trap exits, with that reason', () => {
    const b = blastRadius(w, w.at.get('A/root/plain')!, { bad: 'thing' });
    expect(b.dies[0]!.reason).toBe('{"bad":"thing"}');
  });
});

describe('one_for_one', () => {
  const w = world({ P: { intensity: 5, children: workers('w1', 'w2', 'w3') } });

  it('restarts only the child that exited; its siblings are untouched', () => {
    expect(summary(blastRadius(w, w.at.get('P/root/w2')!, 'kill'), w)).toEqual(['P/root/w2:killed:restarted']);
  });
});

describe('rest_for_one', () => {
  const w = world({ Chain: { strategy: 'rest_for_one', children: workers('db', 'cache', 'api', 'web') } });

  it('terminates the children started after the failed one (reverse start order) and restarts it and them', () => {
    expect(summary(blastRadius(w, w.at.get('Chain/root/cache')!, 'kill'), w)).toEqual([
      'Chain/root/cache:killed:restarted',
      'Chain/root/web:shutdown:restarted',
      'Chain/root/api:shutdown:restarted',
    ]);
  });

  it('leaves the children started before it alone', () => {
    const b = blastRadius(w, w.at.get('Chain/root/cache')!, 'kill');
    expect(b.dies.map((d) => d.pid)).not.toContain(w.at.get('Chain/root/db'));
  });

  it('takes nothing else down when the last child fails', () => {
    expect(summary(blastRadius(w, w.at.get('Chain/root/web')!, 'kill'), w)).toEqual(['Chain/root/web:killed:restarted']);
  });
});

describe('one_for_all', () => {
  it('terminates every other child and restarts them all', () => {
    const w = world({ G: { strategy: 'one_for_all', children: workers('leader', 'm1', 'm2') } });
    expect(summary(blastRadius(w, w.at.get('G/root/m1')!, 'kill'), w)).toEqual([
      'G/root/m1:killed:restarted',
      'G/root/m2:shutdown:restarted',
      'G/root/leader:shutdown:restarted',
    ]);
  });

  it('drops a temporary sibling it terminates instead of restarting it', () => {
    const w = world({ G: { strategy: 'one_for_all', children: [{ id: 'a' }, { id: 't', restart: 'temporary' }] } });
    expect(summary(blastRadius(w, w.at.get('G/root/a')!, 'kill'), w)).toEqual(['G/root/a:killed:restarted', 'G/root/t:shutdown:gone']);
  });

  it("takes down a child supervisor's whole subtree in order (Pooly: kill the server)", () => {
    const w = world({
      Pooly: { strategy: 'one_for_all', intensity: 3, children: [{ id: 'server' }, { id: 'worker_sup', sup: { children: workers('w1', 'w2') } }] },
    });
    expect(summary(blastRadius(w, w.at.get('Pooly/root/server')!, 'kill'), w)).toEqual([
      'Pooly/root/server:killed:restarted',
      'Pooly/root/worker_sup/w2:shutdown:restarted',
      'Pooly/root/worker_sup/w1:shutdown:restarted',
      'Pooly/root/worker_sup:shutdown:restarted',
    ]);
  });
});

describe('restart types (supervisor docs, "restart")', () => {
  const w = world({ R: { children: [{ id: 'temp', restart: 'temporary' }, { id: 'trans', restart: 'transient' }, { id: 'perm' }] } });

  it('never restarts a temporary child', () => {
    expect(summary(blastRadius(w, w.at.get('R/root/temp')!, 'kill'), w)).toEqual(['R/root/temp:killed:gone']);
  });

  it('restarts a transient child after an abnormal exit only', () => {
    expect(summary(blastRadius(w, w.at.get('R/root/trans')!, 'kill'), w)).toEqual(['R/root/trans:killed:restarted']);
    expect(summary(blastRadius(w, w.at.get('R/root/trans')!, 'shutdown'), w)).toEqual(['R/root/trans:shutdown:gone']);
    expect(summary(blastRadius(w, w.at.get('R/root/trans')!, { shutdown: 'bye' }), w)).toEqual(['R/root/trans:{"shutdown":"bye"}:gone']);
  });

  it('restarts a permanent child whatever the reason', () => {
    expect(summary(blastRadius(w, w.at.get('R/root/perm')!, 'shutdown'), w)).toEqual(['R/root/perm:shutdown:restarted']);
  });

  it('counts normal, shutdown and {shutdown, _} as normal exits', () => {
    expect(['normal', 'shutdown', { shutdown: 1 }, '{shutdown,x}'].every(isNormalExit)).toBe(true);
    expect(['killed', 'kill', { badarg: 1 }].some(isNormalExit)).toBe(false);
  });
});

describe('restart intensity (supervisor docs, "Restart intensity and period")', () => {
  const crashLoop = (loopWindow: number, rootWindow: number) =>
    world({
      CrashLoop: {
        intensity: 1,
        period: 30,
        restartsInWindow: rootWindow,
        children: [{ id: 'loop_sup', sup: { intensity: 3, restartsInWindow: loopWindow, children: workers('flaky') } }],
      },
    });

  it('restarts while the window has room', () => {
    const w = crashLoop(2, 0);
    const b = blastRadius(w, w.at.get('CrashLoop/root/loop_sup/flaky')!, 'kill');
    expect(b.gaveUp).toEqual([]);
    expect(summary(b, w)).toEqual(['CrashLoop/root/loop_sup/flaky:killed:restarted']);
  });

  it('gives up on the restart that exceeds the intensity, and its supervisor restarts it', () => {
    const w = crashLoop(3, 0);
    const b = blastRadius(w, w.at.get('CrashLoop/root/loop_sup/flaky')!, 'kill');
    expect(b.gaveUp).toEqual([w.at.get('CrashLoop/root/loop_sup')]);
    expect(summary(b, w)).toEqual(['CrashLoop/root/loop_sup/flaky:killed:restarted', 'CrashLoop/root/loop_sup:shutdown:restarted']);
  });

  it('escalates to the root and stops the application when the root has no room either', () => {
    const w = crashLoop(3, 1);
    const b = blastRadius(w, w.at.get('CrashLoop/root/loop_sup/flaky')!, 'kill');
    expect(b.gaveUp).toEqual([w.at.get('CrashLoop/root/loop_sup'), w.at.get('CrashLoop/root')]);
    expect(b.stopsApplications).toEqual(['CrashLoop']);
    expect(b.dies.every((d) => !d.restarted)).toBe(true);
  });
});

describe('links and monitors', () => {
  it('takes down a linked process that does not trap exits, with the same reason', () => {
    const w = world({ A: { children: workers('a') }, B: { children: workers('b') } });
    linkRows(w, w.at.get('A/root/a')!, w.at.get('B/root/b')!);
    expect(summary(blastRadius(w, w.at.get('A/root/a')!, 'kill'), w)).toEqual(['A/root/a:killed:restarted', 'B/root/b:killed:restarted']);
  });

  it('only notifies a linked process that traps exits', () => {
    const w = world({ A: { children: [{ id: 'a' }, { id: 't', trapExit: true }] } });
    linkRows(w, w.at.get('A/root/a')!, w.at.get('A/root/t')!);
    const b = blastRadius(w, w.at.get('A/root/a')!, 'kill');
    expect(b.dies).toHaveLength(1);
    expect(b.notified.map((n) => n.pid)).toEqual([w.at.get('A/root/t')]);
  });

  it('does not spread a normal exit through a link', () => {
    const w = world({ A: { children: [{ id: 'a', trapExit: false }, { id: 'b' }] } });
    linkRows(w, w.at.get('A/root/a')!, w.at.get('A/root/b')!);
    expect(blastRadius(w, w.at.get('A/root/a')!, 'normal').dies).toEqual([]);
  });

  it('sends monitors a DOWN message and nothing more', () => {
    const w = world({ A: { children: workers('a', 'watcher') } });
    w.processes.get(w.at.get('A/root/watcher')!)!.monitors.push(w.at.get('A/root/a')!);
    const b = blastRadius(w, w.at.get('A/root/a')!, 'kill');
    expect(b.dies).toHaveLength(1);
    expect(b.notified).toEqual([{ pid: w.at.get('A/root/watcher'), why: expect.stringMatching(/\bDOWN\b/) }]);
  });
});

describe('killing a supervisor', () => {
  it('kills its workers through their links (it cannot shut them down) and its parent restarts the subtree', () => {
    const w = world({ S: { intensity: 3, children: [{ id: 'sub', sup: { children: [{ id: 'w1' }, { id: 'inner', sup: { children: workers('x') } }] } }] } });
    const b = blastRadius(w, w.at.get('S/root/sub')!, 'kill');
    expect(summary(b, w)).toEqual([
      'S/root/sub:killed:restarted',
      'S/root/sub/w1:killed:restarted',
      'S/root/sub/inner/x:shutdown:restarted',
      'S/root/sub/inner:killed:restarted',
    ]);
  });

  it('stops the application when its root supervisor is killed', () => {
    const w = world({ App: { children: workers('a') } });
    const b = blastRadius(w, w.at.get('App/root')!, 'kill');
    expect(b.stopsApplications).toEqual(['App']);
    expect(b.dies.filter((d) => d.restarted)).toEqual([]);
  });

  it('stops an application from its master: the tree shuts down in reverse order, nothing restarts', () => {
    const w = world({ App: { children: workers('a', 'b') } });
    const b = blastRadius(w, w.at.get('App')!, 'shutdown');
    expect(summary(b, w)).toEqual(['App/root/b:shutdown:gone', 'App/root/a:shutdown:gone', 'App/root:shutdown:gone', 'App:shutdown:gone']);
    expect(b.stopsApplications).toEqual(['App']);
  });
});
