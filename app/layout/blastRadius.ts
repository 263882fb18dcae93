/**
 * The blast radius of an exit signal: before a kill, which processes will die, why, and which
 * of them their supervisors will start again. A pure simulation of Erlang's rules over what
 * the ingest store knows (links, trap_exit, parents, supervisor strategies and restart
 * windows); nothing is sent. The rules, as the reference manual and supervisor docs state them:
 *
 * - `exit(Pid, kill)` cannot be trapped: the process dies with `killed`. Any other reason is
 *   received as an `{'EXIT', From, Reason}` message by a process that traps exits; `normal` is
 *   ignored by one that does not (erlang:exit/2).
 * - A dying process sends its exit reason to every linked process: one that traps exits gets a
 *   message, one that does not dies with the same reason, unless the reason is `normal`.
 *   A `killed` process sends `killed`. Monitors only get a DOWN message.
 * - An OTP process (gen_server, supervisor) that traps exits and gets an exit signal from its
 *   parent stops with the same reason (gen_server docs, "terminate"). A supervisor that stops
 *   this way, or gives up, terminates its children first (reverse start order, `shutdown`); a
 *   killed one cannot, and its children die by their links.
 * - A supervisor restarts a `permanent` child always, a `transient` one only after an abnormal
 *   exit (not `normal`, `shutdown`, `{shutdown, _}`), a `temporary` one never. `one_for_one`
 *   restarts the child; `one_for_all` terminates the others and restarts all; `rest_for_one`
 *   terminates the children started after it and restarts those and it.
 * - Each restart counts against the intensity: more than `intensity` restarts within `period`
 *   seconds and the supervisor terminates its children and exits with `shutdown`, and its own
 *   supervisor reacts in turn (supervisor docs, "Restart intensity and period").
 * - When an application's root supervisor exits, its application master stops: the
 *   application is gone.
 */
import type { ApplicationRow, Pid, ProcessRow, SupervisorRow } from '../protocol.ts';

export interface BlastInput {
  processes: ReadonlyMap<Pid, ProcessRow>;
  supervisors: ReadonlyMap<Pid, SupervisorRow>;
  applications: readonly ApplicationRow[];
}

export interface Casualty {
  pid: Pid;
  /** The exit reason it dies with, as text. */
  reason: string;
  why: string;
  /** Its supervisor starts it again (directly, or by restarting a supervisor above it). */
  restarted: boolean;
}

export interface Notified {
  pid: Pid;
  why: string;
}

export interface BlastRadius {
  target: Pid;
  /** `ignored`: `normal` to a process that does not trap exits; `trapped`: it gets a message. */
  effect: 'dies' | 'ignored' | 'trapped';
  /** In the order they die. */
  dies: Casualty[];
  /** Live processes that get an EXIT or DOWN message and carry on. */
  notified: Notified[];
  /** Supervisors whose restart intensity this exceeds. */
  gaveUp: Pid[];
  /** Applications whose root supervisor exits. */
  stopsApplications: string[];
}

/** `normal`, `shutdown` and `{shutdown, _}`: the reasons a transient child is not restarted for. */
export function isNormalExit(reason: unknown): boolean {
  if (reason === 'normal' || reason === 'shutdown') return true;
  if (typeof reason === 'string') return reason.startsWith('{shutdown') || reason.startsWith('{"shutdown"');
  return typeof reason === 'object' && reason !== null && 'shutdown' in reason;
}

export function reasonText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

interface ChildPlace {
  sup: Pid;
  index: number;
  restart: SupervisorRow['children'][number]['restart'];
}

export function blastRadius(input: BlastInput, target: Pid, reason: unknown): BlastRadius {
  const { processes, supervisors } = input;
  // Links are symmetric; a top-N snapshot may hold only one end, and supervisor rows name
  // children whose rows are missing, so take the union of everything that implies a link.
  const links = new Map<Pid, Set<Pid>>();
  const link = (a: Pid, b: Pid) => {
    if (a === b) return;
    (links.get(a) ?? links.set(a, new Set()).get(a)!).add(b);
    (links.get(b) ?? links.set(b, new Set()).get(b)!).add(a);
  };
  const monitoredBy = new Map<Pid, Pid[]>();
  for (const row of processes.values()) {
    for (const l of row.links) link(row.pid, l);
    for (const m of row.monitors) (monitoredBy.get(m) ?? monitoredBy.set(m, []).get(m)!).push(row.pid);
  }
  const placeOf = new Map<Pid, ChildPlace>();
  for (const sup of supervisors.values()) {
    sup.children.forEach((c, index) => {
      if (c.pid === null) return;
      placeOf.set(c.pid, { sup: sup.pid, index, restart: c.restart });
      link(sup.pid, c.pid);
    });
  }
  const appOfRoot = new Map<Pid, ApplicationRow>();
  for (const app of input.applications) {
    if (app.root === null) continue;
    appOfRoot.set(app.root, app);
    link(app.master, app.root);
  }
  const parentOf = (pid: Pid): Pid | null => placeOf.get(pid)?.sup ?? processes.get(pid)?.parent ?? masterOf(pid);
  const masterOf = (pid: Pid): Pid | null => appOfRoot.get(pid)?.master ?? null;
  const traps = (pid: Pid): boolean => supervisors.has(pid) || isMaster(pid) || (processes.get(pid)?.trapExit ?? false);
  const masterApp = new Map(input.applications.map((a) => [a.master, a]));
  const isMaster = (pid: Pid): boolean => masterApp.has(pid);
  const isOtp = (pid: Pid): boolean => supervisors.has(pid) || placeOf.has(pid) || (processes.get(pid)?.behaviour ?? null) !== null;

  const out: BlastRadius = { target, effect: 'dies', dies: [], notified: [], gaveUp: [], stopsApplications: [] };
  const dead = new Map<Pid, Casualty>();
  const notified = new Map<Pid, string>();
  const restartedBy = new Map<Pid, Pid>();
  /** Per supervisor: restarts counted so far and the children already handled in this blast. */
  const sim = new Map<Pid, { window: number; handled: Set<Pid> }>();
  const simOf = (sup: Pid) => {
    let s = sim.get(sup);
    if (s === undefined) sim.set(sup, (s = { window: supervisors.get(sup)?.restartsInWindow ?? 0, handled: new Set() }));
    return s;
  };

  const die = (pid: Pid, why: string, reason: string, opts: { by?: Pid; brutal?: boolean } = {}): void => {
    if (dead.has(pid)) return;
    const supRow = supervisors.get(pid);
    // Mark first: a child's link back to its terminating supervisor must not bring it here again.
    const casualty: Casualty = { pid, reason, why, restarted: false };
    dead.set(pid, casualty);
    if (supRow !== undefined && opts.brutal !== true) {
      for (let i = supRow.children.length - 1; i >= 0; i--) {
        const c = supRow.children[i]!;
        if (c.pid !== null) die(c.pid, `terminated by its supervisor ${pid}, which is stopping`, 'shutdown', { by: pid });
      }
    }
    const app = masterApp.get(pid);
    if (app !== undefined) {
      // The application master traps exits and, asked to stop, shuts its tree down first.
      if (app.root !== null && opts.brutal !== true) die(app.root, `application ${app.name} stops: its master shuts the tree down`, 'shutdown', { by: pid });
      if (!out.stopsApplications.includes(app.name)) out.stopsApplications.push(app.name);
    }
    out.dies.push(casualty);
    notified.delete(pid);

    for (const other of links.get(pid) ?? []) {
      if (dead.has(other) || other === opts.by) continue;
      const place = placeOf.get(pid);
      if (place !== undefined && place.sup === other) {
        childExited(other, pid, reason, place);
        continue;
      }
      const rootOf = appOfRoot.get(pid);
      if (rootOf !== undefined && rootOf.master === other) {
        const app = rootOf;
        if (!out.stopsApplications.includes(app.name)) out.stopsApplications.push(app.name);
        dead.set(other, { pid: other, reason: 'normal', why: `application ${app.name} stops: its root supervisor exited`, restarted: false });
        out.dies.push(dead.get(other)!);
        continue;
      }
      if (traps(other)) {
        if (parentOf(other) === pid && isOtp(other)) die(other, `its parent ${pid} exited and it stops with it`, reason);
        else notified.set(other, `gets {'EXIT', ${pid}, ${reason}}: it traps exits`);
      } else if (reason !== 'normal') {
        die(other, `linked to ${pid} and does not trap exits`, reason, { brutal: true });
      }
    }
    for (const m of monitoredBy.get(pid) ?? []) {
      if (!dead.has(m) && !notified.has(m)) notified.set(m, `monitors ${pid}: gets a DOWN message`);
    }
  };

  const childExited = (sup: Pid, child: Pid, reason: string, place: ChildPlace): void => {
    const row = supervisors.get(sup)!;
    const s = simOf(sup);
    if (s.handled.has(child)) return; // already terminated and restarted as part of a group
    s.handled.add(child);
    if (place.restart === 'temporary') return;
    if (place.restart === 'transient' && isNormalExit(reason)) return;
    s.window++;
    if (s.window > row.intensity) {
      out.gaveUp.push(sup);
      die(sup, `more than ${row.intensity} restart${row.intensity === 1 ? '' : 's'} in ${row.period} s: its supervisor gives up`, 'shutdown');
      return;
    }
    restartedBy.set(child, sup);
    if (row.strategy !== 'one_for_all' && row.strategy !== 'rest_for_one') return;
    const group = row.children.filter((c, i) => c.pid !== null && c.pid !== child && (row.strategy === 'one_for_all' || i > place.index));
    for (let i = group.length - 1; i >= 0; i--) {
      const c = group[i]!;
      const pid = c.pid!;
      s.handled.add(pid);
      if (!dead.has(pid)) {
        const which = row.strategy === 'one_for_all' ? 'one_for_all: every child goes when one fails' : `rest_for_one: started after ${place.index < row.children.length ? row.children[place.index]!.id : child}`;
        die(pid, which, 'shutdown', { by: sup });
      }
      if (c.restart !== 'temporary') restartedBy.set(pid, sup);
    }
  };

  const text = reasonText(reason);
  if (reason === 'kill') die(target, 'killed: kill cannot be trapped', 'killed', { brutal: true });
  else if (isMaster(target)) die(target, `exit signal ${text}: the application stops`, text);
  else if (traps(target)) out.effect = 'trapped';
  else if (reason === 'normal') out.effect = 'ignored';
  else die(target, `exit signal ${text}`, text);

  // A process whose supervisor dies too comes back when that supervisor is restarted.
  const restarted = (pid: Pid, depth = 0): boolean => {
    if (restartedBy.has(pid)) return !dead.has(restartedBy.get(pid)!) || restarted(restartedBy.get(pid)!, depth + 1);
    const place = placeOf.get(pid);
    if (place === undefined || place.restart === 'temporary' || !dead.has(place.sup) || depth > 64) return false;
    return restarted(place.sup, depth + 1);
  };
  for (const c of out.dies) c.restarted = restarted(c.pid);
  if (out.effect === 'trapped') notified.set(target, `traps exits: gets {'EXIT', observer, ${text}} as a message`);
  for (const [pid, why] of notified) out.notified.push({ pid, why });
  return out;
}
