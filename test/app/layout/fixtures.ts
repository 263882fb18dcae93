/**
 * Store-shaped fixtures for the layout tests: process and supervisor rows as the inspector
 * protocol sends them, built from a compact description of a supervision tree.
 */
import type { ApplicationRow, Pid, ProcessRow, SupervisorRow } from '../../../app/protocol.ts';

export const pid = (n: number): Pid => `<0.${n}.0>` as Pid;

export function processRow(p: Pid, patch: Partial<ProcessRow> = {}): ProcessRow {
  return {
    pid: p, name: null, label: null, behaviour: 'gen_server', initialCall: 'test', status: 'waiting', mailbox: 0,
    reductions: 0, reductionsDelta: 0, memory: 300, scheduler: 0, links: [], monitors: [], parent: null, startedAt: 0,
    trapExit: false, supervisor: null, childId: null, restarts: 0, lastExitReason: null, ...patch,
  };
}

export interface SupSpec {
  strategy?: SupervisorRow['strategy'];
  intensity?: number;
  period?: number;
  restartsInWindow?: number;
  name?: string;
  children: Array<ChildSpec>;
}

export interface ChildSpec {
  id: string;
  restart?: SupervisorRow['children'][number]['restart'];
  /** A child supervisor. */
  sup?: SupSpec;
  /** No pid: the supervisor is restarting it. */
  restarting?: boolean;
  trapExit?: boolean;
  restarts?: number;
  lastExitReason?: string;
}

export interface World {
  processes: Map<Pid, ProcessRow>;
  supervisors: Map<Pid, SupervisorRow>;
  applications: ApplicationRow[];
  /** Pids by child id path: `Pooly/root`, `Pooly/root/worker_sup/worker_1`. */
  at: Map<string, Pid>;
}

export function world(apps: Record<string, SupSpec>): World {
  const w: World = { processes: new Map(), supervisors: new Map(), applications: [], at: new Map() };
  let next = 100;
  const addSup = (path: string, p: Pid, spec: SupSpec, parent: Pid) => {
    const children: SupervisorRow['children'] = [];
    w.processes.set(p, processRow(p, { name: spec.name ?? null, behaviour: 'supervisor', trapExit: true, parent, links: [parent] }));
    w.at.set(path, p);
    for (const c of spec.children) {
      const cp = c.restarting === true ? null : pid(next++);
      children.push({
        id: c.id, pid: cp, type: c.sup ? 'supervisor' : 'worker', restart: c.restart ?? 'permanent',
        restarts: c.restarts ?? 0, lastExitReason: c.lastExitReason ?? null, lastRestartAt: null,
      });
      if (cp === null) continue;
      w.processes.get(p)!.links.push(cp);
      if (c.sup) addSup(`${path}/${c.id}`, cp, c.sup, p);
      else {
        w.processes.set(cp, processRow(cp, { label: c.id, parent: p, supervisor: p, childId: c.id, links: [p], trapExit: c.trapExit ?? false }));
        w.at.set(`${path}/${c.id}`, cp);
      }
      const row = w.processes.get(cp)!;
      row.supervisor = p;
      row.childId = c.id;
    }
    w.supervisors.set(p, {
      pid: p, strategy: spec.strategy ?? 'one_for_one', intensity: spec.intensity ?? 3, period: spec.period ?? 5,
      restartsInWindow: spec.restartsInWindow ?? 0, children,
    });
  };
  for (const [name, spec] of Object.entries(apps)) {
    const master = pid(next++);
    const root = pid(next++);
    w.processes.set(master, processRow(master, { label: `application_master ${name}`, behaviour: null, trapExit: true, links: [root] }));
    w.at.set(name, master);
    addSup(`${name}/root`, root, spec, master);
    w.applications.push({ name, master, root });
  }
  return w;
}

/** Links two processes both ways, as link/1 does. */
export function linkRows(w: World, a: Pid, b: Pid): void {
  w.processes.get(a)!.links.push(b);
  w.processes.get(b)!.links.push(a);
}

export const workers = (...ids: string[]): ChildSpec[] => ids.map((id) => ({ id }));
