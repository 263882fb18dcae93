import { describe, expect, it } from 'vitest';
import { Tuple } from '../../../runtime/beam/etf.ts';
import {
  applicationRows, behaviourOf, erlText, fixedFacts, pidNumbers, processRow, rankedPass, props, schedulerRows, statusOf, supervisorFacts,
  supervisorRow, tableRow, whichChildren,
} from '../../../runtime/beam/translate.ts';
import { LIMITS } from '../../../runtime/protocol/messages.ts';
import type { Pid } from '../../../runtime/core/pid.ts';

// What the probe reads on a BEAM node, as the protocol's rows. The inputs are the terms OTP
// returns (decoded by etf.ts: atoms and binaries as strings, tuples as Tuple, pids <0.N.S>).
const t = (...x: unknown[]): Tuple => Tuple.make(...x);
const pid = (n: number): Pid => `<0.${n}.0>` as Pid;

describe('process rows', () => {
  const fixedInfo = props([
    t('initial_call', t('proc_lib', 'init_p', 5)),
    t('dictionary', [t('$ancestors', ['pooly_worker_sup', pid(88)]), t('$initial_call', t('pooly_worker', 'init', 1))]),
    t('current_function', t('gen_server', 'loop', 7)),
  ]);

  it("shows proc_lib's $initial_call, not proc_lib:init_p/5 (proc_lib docs, initial_call/1)", () => {
    expect(fixedFacts(fixedInfo, 0).initialCall).toBe('pooly_worker:init/1');
    expect(fixedFacts(props([t('initial_call', t('erlang', 'apply', 2)), t('dictionary', [])]), 0).initialCall).toBe('erlang:apply/2');
  });

  it('takes the parent from $ancestors when its head is a pid, not a registered name', () => {
    expect(fixedFacts(fixedInfo, 0).parent).toBeNull();
    const byPid = props([t('dictionary', [t('$ancestors', [pid(90), 'pooly_sup'])])]);
    expect(fixedFacts(byPid, 0).parent).toBe(pid(90));
  });

  it('names the behaviour: supervisors by their initial call {supervisor, Mod, 1}, servers by the loop they wait in', () => {
    expect(behaviourOf(t('supervisor', 'pooly_sup', 1), t('gen_server', 'loop', 7))).toBe('supervisor');
    expect(behaviourOf(t('pooly_worker', 'init', 1), t('gen_server', 'loop', 7))).toBe('gen_server');
    expect(behaviourOf(t('m', 'init', 1), t('gen_statem', 'loop_receive', 3))).toBe('gen_statem');
    expect(behaviourOf(undefined, t('erlang', 'apply', 2))).toBeNull();
  });

  it('maps BEAM statuses to the protocol (garbage_collecting runs, suspended waits)', () => {
    expect(statusOf('running')).toBe('running');
    expect(statusOf('garbage_collecting')).toBe('running');
    expect(statusOf('runnable')).toBe('runnable');
    expect(statusOf('suspended')).toBe('waiting');
    expect(statusOf('exiting')).toBe('exiting');
  });

  it('builds a row: registered name, mailbox, memory, pid links and monitors, its place under its supervisor', () => {
    const info = props([
      t('registered_name', 'pooly_server'), t('current_function', t('gen_server', 'loop', 7)), t('status', 'waiting'),
      t('message_queue_len', 3), t('memory', 2864), t('links', [pid(88), '#Port<0.5>']),
      t('monitors', [t('process', pid(95)), t('process', t('other', 'node@host')), t('port', '#Port<0.9>')]),
      t('reductions', 120), t('trap_exit', true),
    ]);
    const row = processRow(pid(89), info, fixedFacts(fixedInfo, 1000), 7, { supervisor: pid(88), childId: 'pooly_server', restarts: 2, lastExitReason: 'killed' });
    expect(row).toMatchObject({
      pid: pid(89), name: 'pooly_server', status: 'waiting', mailbox: 3, memory: 2864, reductions: 120, reductionsDelta: 7,
      links: [pid(88)], monitors: [pid(95)], trapExit: true, supervisor: pid(88), childId: 'pooly_server', restarts: 2,
      lastExitReason: 'killed', parent: pid(88), initialCall: 'pooly_worker:init/1', startedAt: 1000,
    });
    expect(processRow(pid(1), props([t('registered_name', [])]), fixedFacts(fixedInfo, 0), 0, undefined).name).toBeNull();
  });

  it('cuts links to LIMITS.rowPids and says how many there are', () => {
    const many = Array.from({ length: LIMITS.rowPids + 10 }, (_, i) => pid(i + 1));
    const row = processRow(pid(1), props([t('links', many)]), fixedFacts(fixedInfo, 0), 0, undefined);
    expect(row.links).toHaveLength(LIMITS.rowPids);
    expect(row.linkCount).toBe(LIMITS.rowPids + 10);
  });

  it("reads the probe's ranked pass: each view's rows in rank order, the tree's rows, and the total; a process by its numbers <0.Id.Serial>", () => {
    const pass = t(100_000, [[t(3, 0, 99, 7), t(1, 2, 10, 0)], []], [t(1, 2, 10, 0), 'junk']);
    expect(rankedPass(pass, 2)).toEqual({
      total: 100_000,
      views: [[{ pid: '<0.3.0>', reductions: 99, delta: 7 }, { pid: '<0.1.2>', reductions: 10, delta: 0 }], []],
      tree: [{ pid: '<0.1.2>', reductions: 10, delta: 0 }],
    });
    expect(rankedPass('undefined', 1)).toEqual({ total: 0, views: [[]], tree: [] });
    expect([...pidNumbers('<0.1234.5>' as Pid)]).toEqual([1234, 5]);
  });
});

describe('supervisors', () => {
  it('lists which_children in start order (the supervisor keeps them newest first)', () => {
    const list = [t(t('worker', 2), pid(92), 'worker', ['pooly_worker']), t(t('worker', 1), pid(91), 'worker', ['pooly_worker'])];
    expect(whichChildren(list).map((c) => c.id)).toEqual(['{worker,1}', '{worker,2}']);
  });

  it('keeps a child between exit and restart as restarting, with no pid (supervisor docs, which_children/1)', () => {
    const [c] = whichChildren([t('db', 'restarting', 'worker', ['db'])]);
    expect(c).toEqual({ id: 'db', pid: null, type: 'worker', state: 'restarting' });
  });

  it("reads strategy, intensity, period and restart types from the probe's summary of sys:get_state/2", () => {
    const facts = supervisorFacts(t('rest_for_one', 10, 5, 1, [t('chain_a', 'permanent'), t('chain_b', 'transient')]))!;
    expect(facts).toMatchObject({ strategy: 'rest_for_one', intensity: 10, period: 5, restartsInWindow: 1 });
    const row = supervisorRow(pid(99), whichChildren([t('chain_b', pid(101), 'worker', []), t('chain_a', pid(100), 'worker', [])]), facts,
      new Map([[`${pid(99)} chain_b`, { count: 2, lastExitReason: 'killed', lastRestartAt: 5 }]]));
    expect(row.children.map((c) => [c.id, c.restart, c.restarts, c.lastExitReason])).toEqual([
      ['chain_a', 'permanent', 0, null],
      ['chain_b', 'transient', 2, 'killed'],
    ]);
    expect(supervisorFacts(t('not_a_strategy', 1, 1, 0, []))).toBeNull();
  });

  it("finds each application's root supervisor: the master's loop process links to it (application_master.erl)", () => {
    const ac = pid(44);
    const rows = applicationRows([t('pooly', pid(86), [t(pid(87), [pid(86), pid(88)])]), t('stdlib', pid(70), [])], ac);
    expect(rows).toEqual([
      { name: 'pooly', master: pid(86), root: pid(88) },
      { name: 'stdlib', master: pid(70), root: null },
    ]);
  });
});

describe('node', () => {
  it('computes scheduler utilization from two scheduler_wall_time samples (erlang:statistics/1)', () => {
    const rows = schedulerRows([t(1, 100, 1000), t(2, 0, 1000), t(3, 0, 1000)], [t(1, 600, 2000), t(2, 0, 2000), t(3, 500, 2000)], 2, [3, 0]);
    expect(rows).toEqual([
      { id: 0, utilization: 0.5, runQueue: 3, messagesIn: 0, messagesOut: 0, processes: 0 },
      { id: 1, utilization: 0, runQueue: 0, messagesIn: 0, messagesOut: 0, processes: 0 },
    ]);
  });

  it('reads ETS tables: named or not, access, memory in words times the word size (ets:info/1)', () => {
    const info = [t('id', 'x'), t('name', 'pooly_checkouts'), t('named_table', true), t('owner', pid(89)), t('heir', 'none'),
      t('type', 'set'), t('protection', 'public'), t('size', 5), t('memory', 360)];
    expect(tableRow('pooly_checkouts', info, 8)).toEqual({
      id: 'pooly_checkouts', name: 'pooly_checkouts', owner: pid(89), heir: null, type: 'set', access: 'public', size: 5, memory: 2880,
    });
    expect(tableRow('#Ref<0.1.2.3>', [...info.slice(0, 2), t('named_table', false), ...info.slice(3)], 8)?.name).toBeNull();
  });

  it('prints terms as Erlang does for ids: tuples in braces, lists in brackets', () => {
    expect(erlText(t('worker', 3))).toBe('{worker,3}');
    expect(erlText([1, t('a', 'b')])).toBe('[1,{a,b}]');
  });
});
