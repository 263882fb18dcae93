/**
 * From what the probe reads on a BEAM node to the protocol's rows. Pure functions of decoded
 * terms (etf.ts: atoms and binaries are strings, tuples `Tuple`s, pids `<0.N.S>`), so that each
 * rule is tested without a node (test/runtime/beam/translate.test.ts).
 */
import type { Pid } from '../core/pid.ts';
import {
  type ApplicationRow, LIMITS, type ProcessRow, type ProcessStatus, type SchedulerRow, type SupervisorRow, type TableRow,
} from '../protocol/messages.ts';
import { Tuple } from './etf.ts';

const PID_RE = /^<0\.\d+\.\d+>$/;

export function isPidText(x: unknown): x is Pid {
  return typeof x === 'string' && PID_RE.test(x);
}

/** A decoded term printed roughly as Erlang prints it (for child ids and the like). */
export function erlText(v: unknown): string {
  if (v instanceof Tuple) return `{${v.map(erlText).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(erlText).join(',')}]`;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Map) return `#{${[...v].map(([k, x]) => `${erlText(k)} => ${erlText(x)}`).join(',')}}`;
  return String(v);
}

/** `{M, F, A}` as `M:F/A`. */
export function mfaText(v: unknown): string | null {
  if (v instanceof Tuple && v.length === 3) return `${erlText(v[0])}:${erlText(v[1])}/${erlText(v[2])}`;
  return null;
}

/** A property list (`[{Key, Value}]`) or the result of process_info/2 with a list, as a Map. */
export function props(list: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (!Array.isArray(list)) return m;
  for (const p of list) if (p instanceof Tuple && p.length === 2 && typeof p[0] === 'string') m.set(p[0], p[1]);
  return m;
}

// --- Processes ---

/** What the bridge knows of a process beyond process_info: its place in a tree, restarts seen. */
export interface ChildFacts {
  supervisor: Pid;
  childId: string;
  /** Restarts seen since the bridge attached (OTP keeps no count per child). */
  restarts: number;
  lastExitReason: string | null;
}

/** What stays the same for the life of a process, read once (the dictionary is read for shown rows only). */
export interface FixedFacts {
  initialCall: string;
  behaviour: string | null;
  parent: Pid | null;
  /** When the bridge first saw it: the BEAM records no start time. */
  firstSeen: number;
}

/** The process_info items read once per process, and those read on each refresh. */
export const FIXED_ITEMS = ['initial_call', 'dictionary', 'current_function'] as const;
export const ROW_ITEMS = ['registered_name', 'current_function', 'status', 'message_queue_len', 'memory', 'links', 'monitors', 'reductions', 'trap_exit'] as const;

/**
 * The fixed facts from process_info(P, FIXED_ITEMS): proc_lib's `$initial_call` from the
 * dictionary where there is one (what Observer shows: `pooly_worker:init/1`, not
 * `proc_lib:init_p/5`), the behaviour from how it runs, the parent from `$ancestors`.
 */
export function fixedFacts(info: Map<string, unknown>, now: number): FixedFacts {
  const dict = props(info.get('dictionary'));
  const declared = dict.get('$initial_call');
  const initialCall = mfaText(declared) ?? mfaText(info.get('initial_call')) ?? 'unknown';
  const ancestors = dict.get('$ancestors');
  const first = Array.isArray(ancestors) ? ancestors[0] : undefined;
  return { initialCall, behaviour: behaviourOf(declared, info.get('current_function')), parent: isPidText(first) ? first : null, firstSeen: now };
}

/** supervisor, gen_server, gen_statem or gen_event, from proc_lib's initial call and the function it waits in. */
export function behaviourOf(declared: unknown, current: unknown): string | null {
  if (declared instanceof Tuple && declared[0] === 'supervisor') return 'supervisor';
  if (declared instanceof Tuple && declared[0] === 'Elixir.DynamicSupervisor') return 'supervisor';
  const m = current instanceof Tuple ? current[0] : null;
  if (m === 'gen_server' || m === 'gen_statem' || m === 'gen_event') return m;
  if (declared instanceof Tuple && m === 'erlang' && current instanceof Tuple && current[1] === 'hibernate') return 'hibernating';
  return null;
}

/** Whether `sys:get_state/2` may be asked of it: a process that answers system messages. */
export function answersSys(behaviour: string | null): boolean {
  return behaviour === 'supervisor' || behaviour === 'gen_server' || behaviour === 'gen_statem' || behaviour === 'gen_event';
}

/** The BEAM's process statuses in the protocol's words. */
export function statusOf(s: unknown): ProcessStatus {
  switch (s) {
    case 'running':
    case 'garbage_collecting':
      return 'running';
    case 'runnable':
      return 'runnable';
    case 'exiting':
      return 'exiting';
    default:
      return 'waiting'; // waiting, suspended
  }
}

function pids(list: unknown, pick: (x: unknown) => unknown): { shown: Pid[]; count: number } {
  const shown: Pid[] = [];
  let count = 0;
  if (!Array.isArray(list)) return { shown, count };
  for (const x of list) {
    const p = pick(x);
    if (!isPidText(p)) continue;
    count++;
    if (shown.length < LIMITS.rowPids) shown.push(p);
  }
  return { shown, count };
}

/** A process row from process_info(P, ROW_ITEMS), its fixed facts and its place in a tree. */
export function processRow(pid: Pid, info: Map<string, unknown>, fixed: FixedFacts, reductionsDelta: number, child: ChildFacts | undefined): ProcessRow {
  const name = info.get('registered_name');
  const links = pids(info.get('links'), (x) => x);
  // monitors: [{process, Pid} | {process, {Name, Node}} | {port, Port}]; only pids are rows.
  const monitors = pids(info.get('monitors'), (x) => (x instanceof Tuple && x[0] === 'process' ? x[1] : null));
  const row: ProcessRow = {
    pid,
    name: typeof name === 'string' && name !== '' ? name : null,
    label: null,
    behaviour: fixed.behaviour,
    initialCall: fixed.initialCall,
    status: statusOf(info.get('status')),
    mailbox: num(info.get('message_queue_len')),
    reductions: num(info.get('reductions')),
    reductionsDelta,
    memory: num(info.get('memory')),
    scheduler: 0,
    links: links.shown,
    monitors: monitors.shown,
    parent: child?.supervisor ?? fixed.parent,
    startedAt: fixed.firstSeen,
    trapExit: info.get('trap_exit') === true,
    supervisor: child?.supervisor ?? null,
    childId: child?.childId ?? null,
    restarts: child?.restarts ?? 0,
    lastExitReason: child?.lastExitReason ?? null,
  };
  if (links.count > LIMITS.rowPids) row.linkCount = links.count;
  if (monitors.count > LIMITS.rowPids) row.monitorCount = monitors.count;
  return row;
}

function num(x: unknown): number {
  return typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : 0;
}

/** One process of the pass: its reductions, and those since the previous pass (0 when it is new). */
export interface PassRow {
  pid: Pid;
  reductions: number;
  delta: number;
}

/** The probe's ranked pass: how many processes live, each view's rows in rank order, and the tree's. */
export interface RankedPass {
  total: number;
  views: PassRow[][];
  tree: PassRow[];
}

/**
 * The all-process pass as the probe ranks it (orchard_probe.erl, pass/7):
 * `{Total, [[{Id, Serial, Reductions, Delta}] per view], [{Id, Serial, Reductions, Delta}] of the tree}`,
 * a process by its numbers as the target prints it (`<0.Id.Serial>`). Anything else reads as an
 * empty pass with as many (empty) views as asked.
 */
export function rankedPass(v: unknown, views: number): RankedPass {
  const rowsOf = (list: unknown): PassRow[] => {
    const out: PassRow[] = [];
    if (!Array.isArray(list)) return out;
    for (const x of list) {
      if (x instanceof Tuple && x.length === 4 && typeof x[0] === 'number' && typeof x[1] === 'number') {
        out.push({ pid: `<0.${x[0]}.${x[1]}>` as Pid, reductions: num(x[2]), delta: Math.max(0, num(x[3])) });
      }
    }
    return out;
  };
  if (!(v instanceof Tuple) || !Array.isArray(v[1])) return { total: 0, views: Array.from({ length: views }, () => []), tree: [] };
  const lists = v[1] as unknown[];
  return { total: num(v[0]), views: Array.from({ length: views }, (_, i) => rowsOf(lists[i])), tree: rowsOf(v[2]) };
}

/** A pid of the target as the pass names it: `{Id, Serial}`. */
export function pidNumbers(pid: Pid): Tuple {
  const m = /^<0\.(\d+)\.(\d+)>$/.exec(pid);
  if (m === null) throw new TypeError(`not a pid: ${pid}`);
  return Tuple.make(Number(m[1]), Number(m[2]));
}

// --- Supervisors and applications ---

export type Strategy = SupervisorRow['strategy'];
export type RestartType = SupervisorRow['children'][number]['restart'];

/** What sys:get_state/2 told of a supervisor (the probe's summary), when it could be read. */
export interface SupervisorFacts {
  strategy: Strategy;
  intensity: number;
  period: number;
  restartsInWindow: number;
  restartTypes: Map<string, RestartType>;
}

/** The probe's `{Strategy, Intensity, Period, Restarts, [{Id, RestartType}]}`. */
export function supervisorFacts(v: unknown): SupervisorFacts | null {
  if (!(v instanceof Tuple) || v.length !== 5) return null;
  const [strategy, intensity, period, restarts, types] = v;
  if (strategy !== 'one_for_one' && strategy !== 'one_for_all' && strategy !== 'rest_for_one' && strategy !== 'simple_one_for_one') return null;
  const restartTypes = new Map<string, RestartType>();
  if (Array.isArray(types)) {
    for (const t of types) {
      if (t instanceof Tuple && (t[1] === 'permanent' || t[1] === 'transient' || t[1] === 'temporary')) restartTypes.set(erlText(t[0]), t[1]);
    }
  }
  return { strategy, intensity: num(intensity), period: num(period), restartsInWindow: num(restarts), restartTypes };
}

/** One child as supervisor:which_children/1 lists it: `{Id, Child, Type, Modules}`. */
export interface WhichChild {
  id: string;
  pid: Pid | null;
  type: 'worker' | 'supervisor';
  /** `restarting` or `undefined` where there is no pid. */
  state: 'running' | 'restarting' | 'undefined';
}

/**
 * which_children's list in start order. The supervisor keeps its children newest first (it stops
 * them in that order), and which_children lists them as it keeps them.
 */
export function whichChildren(list: unknown): WhichChild[] {
  if (!Array.isArray(list)) return [];
  const out: WhichChild[] = [];
  for (const c of list) {
    if (!(c instanceof Tuple) || c.length !== 4) continue;
    const child = c[1];
    out.push({
      id: erlText(c[0]),
      pid: isPidText(child) ? child : null,
      type: c[2] === 'supervisor' ? 'supervisor' : 'worker',
      state: isPidText(child) ? 'running' : child === 'restarting' ? 'restarting' : 'undefined',
    });
  }
  return out.reverse();
}

/** Restarts seen per child since attaching: key `supervisor child-id`. */
export interface RestartRecord {
  count: number;
  lastExitReason: string | null;
  lastRestartAt: number | null;
}

export function restartKey(supervisor: Pid, childId: string): string {
  return `${supervisor} ${childId}`;
}

export function supervisorRow(pid: Pid, children: readonly WhichChild[], facts: SupervisorFacts | null, restarts: ReadonlyMap<string, RestartRecord>): SupervisorRow {
  return {
    pid,
    strategy: facts?.strategy ?? 'one_for_one',
    intensity: facts?.intensity ?? 0,
    period: facts?.period ?? 0,
    restartsInWindow: facts?.restartsInWindow ?? 0,
    children: children.map((c) => {
      const r = restarts.get(restartKey(pid, c.id));
      return {
        id: c.id,
        pid: c.pid,
        type: c.type,
        restart: facts?.restartTypes.get(c.id) ?? 'permanent',
        restarts: r?.count ?? 0,
        lastExitReason: r?.lastExitReason ?? null,
        lastRestartAt: r?.lastRestartAt ?? null,
      };
    }),
  };
}

/**
 * The running applications from the probe's `[{App, Master, [{LoopPid, LoopLinks}]}]`: the
 * application master's links lead to its loop process, whose other link is the root supervisor
 * (application_master.erl: the master spawns a loop process that runs `Mod:start/2`).
 */
export function applicationRows(list: unknown, controller: unknown): ApplicationRow[] {
  if (!Array.isArray(list)) return [];
  const rows: ApplicationRow[] = [];
  for (const a of list) {
    if (!(a instanceof Tuple) || a.length !== 3 || !isPidText(a[1])) continue;
    const master = a[1];
    let root: Pid | null = null;
    for (const l of Array.isArray(a[2]) ? a[2] : []) {
      if (!(l instanceof Tuple) || l[0] === controller || !Array.isArray(l[1])) continue;
      const other = (l[1] as unknown[]).find((p) => isPidText(p) && p !== master && p !== controller);
      if (isPidText(other)) root = other;
    }
    rows.push({ name: erlText(a[0]), master, root });
  }
  return rows.sort((x, y) => x.name.localeCompare(y.name));
}

// --- Node and schedulers ---

/** Utilization per scheduler from two erlang:statistics(scheduler_wall_time) samples. */
export function schedulerRows(before: unknown, after: unknown, schedulers: number, runQueues: unknown): SchedulerRow[] {
  const a = wallTimes(before);
  const b = wallTimes(after);
  const queues = Array.isArray(runQueues) ? runQueues : [];
  const rows: SchedulerRow[] = [];
  for (let id = 1; id <= schedulers; id++) {
    const x = a.get(id);
    const y = b.get(id);
    const total = x !== undefined && y !== undefined ? y.total - x.total : 0;
    const utilization = total > 0 ? Math.min(1, Math.max(0, (y!.active - x!.active) / total)) : 0;
    rows.push({ id: id - 1, utilization, runQueue: num(queues[id - 1]), messagesIn: 0, messagesOut: 0, processes: 0 });
  }
  return rows;
}

function wallTimes(v: unknown): Map<number, { active: number; total: number }> {
  const m = new Map<number, { active: number; total: number }>();
  if (!Array.isArray(v)) return m;
  for (const t of v) if (t instanceof Tuple && t.length === 3) m.set(num(t[0]), { active: num(t[1]), total: num(t[2]) });
  return m;
}

/** erlang:memory/0 as a record of bytes by type (total, processes, system, atom, binary, code, ets…). */
export function memoryByType(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of props(v)) out[k] = num(x);
  return out;
}

// --- Tables ---

/** One ETS table from `{Id, ets:info(Id)}`; its memory is reported in words. */
export function tableRow(id: unknown, info: unknown, wordSize: number): TableRow | null {
  const m = props(info);
  if (m.size === 0) return null;
  const named = m.get('named_table') === true;
  const name = erlText(m.get('name'));
  const owner = m.get('owner');
  const heir = m.get('heir');
  const type = m.get('type');
  const access = m.get('protection');
  if (!isPidText(owner)) return null;
  return {
    id: typeof id === 'string' ? id : erlText(id),
    name: named ? name : null,
    owner,
    heir: isPidText(heir) ? heir : null,
    type: type === 'ordered_set' || type === 'bag' || type === 'duplicate_bag' ? type : 'set',
    access: access === 'public' || access === 'private' ? access : 'protected',
    size: num(m.get('size')),
    memory: num(m.get('memory')) * wordSize,
  };
}
