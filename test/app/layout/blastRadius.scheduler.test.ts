/**
 * blastRadius's predictions against a real Scheduler: build a supervision tree, take the rows
 * the inspector would send (rows.ts processRow and supervisorRow), predict a kill, then kill and
 * compare what died, with which reason, and what came back under the same child id, with what
 * was predicted. One tree per strategy, plus an escalation, a nested supervisor and a process
 * linked to a child from outside the tree.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Pid, type Wait, link, receive, setDefaultScheduler } from '../../../runtime/core/index.ts';
import { GenServer, Supervisor } from '../../../runtime/behaviours/index.ts';
import type { ChildSpec, SupervisorOptions } from '../../../runtime/behaviours/index.ts';
import { processRow, reasonText, supervisorReport, supervisorRow } from '../../../runtime/inspector/rows.ts';
import { type BlastInput, blastRadius } from '../../../app/layout/blastRadius.ts';
import type { ProcessRow, SupervisorRow } from '../../../app/protocol.ts';
import { driven, okPid, worker } from '../../runtime/behaviours/helpers.ts';

afterEach(() => setDefaultScheduler(null));

type H = ReturnType<typeof driven>['h'];

/** What the inspector would send of every live process and supervisor on `h`'s scheduler. */
function snapshot(h: H): BlastInput {
  const processes = new Map<Pid, ProcessRow>();
  const supervisors = new Map<Pid, SupervisorRow>();
  for (const p of h.s.procs.values()) {
    if (!p.alive) continue;
    processes.set(p.pid, processRow(p, h.s.id, 0, 0, undefined, 0));
    const r = supervisorReport(p, h.s);
    if (r !== null) supervisors.set(p.pid, supervisorRow(p.pid, r, 0));
  }
  return { processes, supervisors, applications: [] };
}

/** Every supervised process by its path of child ids from `root` ('mid/w1'). */
function paths(input: BlastInput, root: Pid): Map<string, Pid> {
  const out = new Map<string, Pid>();
  const walk = (sup: Pid, prefix: string) => {
    for (const c of input.supervisors.get(sup)?.children ?? []) {
      if (c.pid === null) continue;
      out.set(prefix + c.id, c.pid);
      walk(c.pid, `${prefix}${c.id}/`);
    }
  };
  walk(root, '');
  return out;
}

const leaf = (id: string, extra: Partial<ChildSpec> = {}): ChildSpec => ({ id, start: () => GenServer.startLink(worker(id, []), null), ...extra });

const sup = (id: string, children: ChildSpec[], options: SupervisorOptions = {}): ChildSpec => ({
  id, type: 'supervisor', start: () => Supervisor.startLink(children, options),
});

/**
 * Kills `targetPath` (or a pid) in a fresh tree and returns the prediction next to what happened:
 * per path (or pid), `reason:restarted|gone`.
 */
function killAndCompare(children: ChildSpec[], options: SupervisorOptions, target: string, prepare?: (h: H, at: Map<string, Pid>) => void) {
  const { h, d } = driven({ trapExit: true });
  const root = okPid(d.run(() => Supervisor.startLink(children, options)));
  if (prepare !== undefined) {
    prepare(h, paths(snapshot(h), root));
    h.run();
  }
  const before = snapshot(h);
  const at = paths(before, root);
  const targetPid = at.get(target)!;
  const name = new Map([...at].map(([path, pid]) => [pid, path]));
  const predicted = blastRadius(before, targetPid, 'kill');
  h.exit(targetPid, 'kill');
  h.run();
  const after = paths(snapshot(h), root);
  const expected = predicted.dies.map((c) => `${name.get(c.pid) ?? 'outsider'}:${c.reason}:${c.restarted ? 'restarted' : 'gone'}`).sort();
  const actual = [...before.processes.keys()]
    .filter((pid) => h.exits.has(pid))
    .map((pid) => {
      const path = name.get(pid);
      const back = path !== undefined && after.has(path) && after.get(path) !== pid;
      return `${path ?? 'outsider'}:${reasonText(h.exits.get(pid))}:${back ? 'restarted' : 'gone'}`;
    })
    .sort();
  return { expected, actual, predicted, h, root };
}

describe('blastRadius against a real Scheduler, kill', () => {
  it('one_for_one: only the killed child dies, and comes back', () => {
    const r = killAndCompare([leaf('w1'), leaf('w2'), leaf('w3')], { strategy: 'one_for_one' }, 'w2');
    expect(r.actual).toEqual(['w2:killed:restarted']);
    expect(r.expected).toEqual(r.actual);
  });

  it('one_for_all: every child goes (the others with shutdown) and all come back', () => {
    const r = killAndCompare([leaf('w1'), leaf('w2'), leaf('w3')], { strategy: 'one_for_all' }, 'w2');
    expect(r.actual).toEqual(['w1:shutdown:restarted', 'w2:killed:restarted', 'w3:shutdown:restarted']);
    expect(r.expected).toEqual(r.actual);
  });

  it('rest_for_one: the killed child and those started after it go and come back', () => {
    const r = killAndCompare([leaf('w1'), leaf('w2'), leaf('w3')], { strategy: 'rest_for_one' }, 'w2');
    expect(r.actual).toEqual(['w2:killed:restarted', 'w3:shutdown:restarted']);
    expect(r.expected).toEqual(r.actual);
  });

  it('temporary and transient children: a killed temporary one is gone, a killed transient one comes back', () => {
    const temp = killAndCompare([leaf('t', { restart: 'temporary' }), leaf('w')], {}, 't');
    expect(temp.actual).toEqual(['t:killed:gone']);
    expect(temp.expected).toEqual(temp.actual);
    const trans = killAndCompare([leaf('t', { restart: 'transient' }), leaf('w')], {}, 't');
    expect(trans.actual).toEqual(['t:killed:restarted']);
    expect(trans.expected).toEqual(trans.actual);
  });

  it('escalation: a supervisor past its intensity shuts its children down and exits; its own supervisor restarts it, children and all', () => {
    const r = killAndCompare([sup('mid', [leaf('a'), leaf('b')], { intensity: 0 }), leaf('other')], { intensity: 5 }, 'mid/a');
    expect(r.predicted.gaveUp).toHaveLength(1);
    expect(r.actual).toEqual(['mid/a:killed:restarted', 'mid/b:shutdown:restarted', 'mid:shutdown:restarted']);
    expect(r.expected).toEqual(r.actual);
  });

  it('a killed supervisor cannot stop its children: they die by their links with killed, and come back with it', () => {
    const r = killAndCompare([sup('mid', [leaf('a'), leaf('b')], { strategy: 'one_for_all' }), leaf('other')], {}, 'mid');
    expect(r.actual).toEqual(['mid/a:killed:restarted', 'mid/b:killed:restarted', 'mid:killed:restarted']);
    expect(r.expected).toEqual(r.actual);
  });

  it('a process outside the tree linked to a child, not trapping exits, dies with it and stays dead', () => {
    const r = killAndCompare([leaf('w1'), leaf('w2')], {}, 'w1', (h, at) => {
      const child = at.get('w1')!;
      h.s.spawn(function* outsider(): Generator<Wait, void, unknown> {
        link(child);
        yield receive(() => false);
      });
    });
    expect(r.actual).toEqual(['outsider:killed:gone', 'w1:killed:restarted']);
    expect(r.expected).toEqual(r.actual);
  });
});
