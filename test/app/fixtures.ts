/** Protocol messages as a runtime sends them, built with the contract's own types and envelope(). */
import { envelope, type NodeStats, type Pid, type ProcessRow, type RuntimeMessage, type RuntimeToInspector, type SupervisorRow } from '../../app/protocol.ts';

export const pid = (n: number, s = 0): Pid => `<0.${n}.${s}>` as Pid;

export function row(n: number, patch: Partial<ProcessRow> = {}): ProcessRow {
  return {
    pid: pid(n),
    name: null,
    label: null,
    behaviour: null,
    initialCall: 'anonymous',
    status: 'waiting',
    mailbox: 0,
    reductions: 10,
    reductionsDelta: 0,
    memory: 300,
    scheduler: 0,
    links: [],
    monitors: [],
    parent: null,
    startedAt: 1_000,
    trapExit: false,
    supervisor: null,
    childId: null,
    restarts: 0,
    lastExitReason: null,
    ...patch,
  };
}

export function node(patch: Partial<NodeStats> = {}): NodeStats {
  return {
    uptimeMs: 5_000,
    startedAt: 1_000,
    schedulers: 1,
    processes: 3,
    reductions: 1_000,
    reductionsPerSecond: 200,
    messagesPerSecond: 50,
    memory: { processes: 4_096 },
    ...patch,
  };
}

export function supervisor(n: number, children: Array<[string, Pid | null]>): SupervisorRow {
  return {
    pid: pid(n),
    strategy: 'one_for_one',
    intensity: 3,
    period: 5,
    restartsInWindow: 0,
    children: children.map(([id, p]) => ({ id, pid: p, type: 'worker', restart: 'permanent', restarts: 0, lastExitReason: null, lastRestartAt: null })),
  };
}

/** A supervisor <0.1.0> with two workers <0.2.0> and <0.3.0>. */
export function smallTree(): ProcessRow[] {
  return [
    row(1, { name: 'Pool.Supervisor', behaviour: 'supervisor', trapExit: true, links: [pid(2), pid(3)] }),
    row(2, { label: 'worker_1', behaviour: 'gen_server', supervisor: pid(1), parent: pid(1), childId: 'worker_1', links: [pid(1)] }),
    row(3, { label: 'worker_2', behaviour: 'gen_server', supervisor: pid(1), parent: pid(1), childId: 'worker_2', links: [pid(1)], mailbox: 7 }),
  ];
}

export function snapshot(seq: number, at: number, processes: ProcessRow[], patch: Partial<RuntimeToInspector['snapshot']> = {}): RuntimeMessage<'snapshot'> {
  return envelope('snapshot', {
    seq,
    at,
    node: node({ processes: processes.length }),
    schedulers: [{ id: 0, utilization: 0.25, runQueue: 1, messagesIn: 10, messagesOut: 10, processes: processes.length }],
    processes,
    processTotal: processes.length,
    supervisors: [supervisor(1, [['worker_1', pid(2)], ['worker_2', pid(3)]])],
    applications: [{ name: 'Pool', master: pid(0), root: pid(1) }],
    available: [{ name: 'Pool', description: 'a pool' }],
    ...patch,
  });
}

export function delta(seq: number, at: number, patch: Partial<RuntimeToInspector['delta']> = {}): RuntimeMessage<'delta'> {
  return envelope('delta', {
    seq,
    at,
    node: node(),
    schedulers: [{ id: 0, utilization: 0.5, runQueue: 2, messagesIn: 10, messagesOut: 10, processes: 3 }],
    processes: [],
    removed: [],
    processTotal: 3,
    supervisors: [],
    removedSupervisors: [],
    applications: [{ name: 'Pool', master: pid(0), root: pid(1) }],
    ...patch,
  });
}
