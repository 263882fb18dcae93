/**
 * Stepping through a restart or an escalation. The runtime does it in microseconds and sends
 * it in one delta, its facts in the order they happened: the death and its reason, what the
 * supervisor's strategy takes down, each new child (or the supervisor giving up); the death
 * that set it off may have come a frame earlier (episodeOf). Step k shows
 * the tree after the first k facts: the delta cut after its k-th fact, the rows and supervisor
 * children those facts explain and no others. The last step is the whole delta, as received.
 */
import type { InspectorEvent, Pid, ProcessRow, SupervisorRow } from '../protocol.ts';
import { displayName } from '../store/processQuery.ts';
import { type Marker, type RecordedMessage, type Recording, factsOf } from '../store/recording.ts';
import type { RuntimeState } from '../store/runtimeStore.ts';

/** The frame after its first `k` facts (0: nothing of it; facts.length: all of it). */
export function partialFrame(m: RecordedMessage, facts: readonly InspectorEvent[], k: number, before: RuntimeState): RecordedMessage | null {
  if (k <= 0) return null;
  if (k >= facts.length) return m;
  const all = m.type === 'delta' ? (m.events ?? []) : m.type === 'events' ? m.events : [];
  const cut = all.indexOf(facts[k - 1]!);
  const events = all.slice(0, cut + 1);
  if (m.type === 'events') return { ...m, events };
  if (m.type !== 'delta') return m;
  const exited = new Set<Pid>();
  const born = new Set<Pid>();
  for (const e of events) {
    if (e.type === 'orchard.process.exited') exited.add(e.pid);
    else if (e.type === 'orchard.supervisor.restarted' && e.newPid !== null) born.add(e.newPid);
    else if (e.type === 'orchard.process.spawned') born.add(e.pid);
  }
  const has = (pid: Pid): boolean => before.processes.has(pid) ? !exited.has(pid) : born.has(pid);
  return {
    ...m,
    events,
    processes: m.processes.filter((r) => has(r.pid)),
    removed: m.removed.filter((pid) => exited.has(pid)),
    quiet: [],
    supervisors: m.supervisors.filter((s) => has(s.pid)).map((s) => patchSupervisor(before.supervisors.get(s.pid) ?? s, events)),
    removedSupervisors: m.removedSupervisors.filter((pid) => exited.has(pid)),
  };
}

/** A supervisor's children as the facts so far leave them: a dead child has no pid until it is restarted. */
function patchSupervisor(sup: SupervisorRow, events: readonly InspectorEvent[]): SupervisorRow {
  let children = sup.children;
  const edit = (id: string, patch: Partial<SupervisorRow['children'][number]>): void => {
    children = children.map((c) => (c.id === id ? { ...c, ...patch } : c));
  };
  for (const e of events) {
    if (e.type === 'orchard.process.exited' && e.supervisor === sup.pid && e.childId !== undefined) edit(e.childId, { pid: null, lastExitReason: e.reason });
    else if (e.type === 'orchard.supervisor.restarted' && e.supervisor === sup.pid) {
      const old = children.find((c) => c.id === e.childId);
      edit(e.childId, { pid: e.newPid, restarts: e.count ?? (old?.restarts ?? 0) + 1, lastExitReason: e.reason, lastRestartAt: e.at });
    }
  }
  return children === sup.children ? sup : { ...sup, children };
}

/** One fact in words, naming processes as the state before the frame knew them; `gaveUp`: supervisors that gave up earlier in the episode. */
export function describeFact(e: InspectorEvent, before: RuntimeState, gaveUp: ReadonlySet<Pid> = new Set()): string {
  const row = (pid: Pid | null | undefined): ProcessRow | undefined => (pid ? (before.processes.get(pid) ?? before.departed.get(pid)?.row) : undefined);
  const name = (pid: Pid | null | undefined): string => {
    if (!pid) return '?';
    const r = row(pid);
    return r === undefined ? pid : `${displayName(r)} ${pid}`;
  };
  const strategy = (pid: Pid | undefined): string => (pid ? (before.supervisors.get(pid)?.strategy ?? '') : '');
  switch (e.type) {
    case 'orchard.process.exited':
      if (gaveUp.has(e.pid)) return `${name(e.pid)} exits: ${e.reason}, having given up; to ${e.supervisor !== undefined ? name(e.supervisor) : 'its links'} it is a child that died`;
      if (e.supervisor !== undefined && e.reason === 'shutdown') {
        return `${name(e.supervisor)} (${strategy(e.supervisor) || 'supervisor'}) takes down ${e.childId ?? ''} ${e.pid}: shutdown`;
      }
      return `${name(e.pid)} exits: ${e.reason}${e.childId !== undefined && e.supervisor !== undefined ? ` (child ${e.childId} of ${name(e.supervisor)})` : ''}`;
    case 'orchard.supervisor.restarted':
      return `${name(e.supervisor)} (${strategy(e.supervisor) || 'supervisor'}) restarts ${e.childId}: ${e.oldPid ?? '?'} → ${e.newPid ?? 'failed to start'}${e.count !== undefined ? `, restart ${e.count}` : ''}`;
    case 'orchard.supervisor.intensity_exceeded':
      return `${name(e.supervisor)} gives up: ${e.restarts} restarts, at most ${e.intensity} in ${e.period} s${e.childId ? ` (${e.childId}: ${e.reason ?? ''})` : ''}; it shuts its children down and exits, and its own supervisor decides`;
    case 'orchard.scheduler.replaced':
      return `scheduler ${e.scheduler} replaced: ${e.reason}`;
    default:
      return e.type;
  }
}

/** One fact of an episode: the frame it came in, and its place among that frame's facts. */
export interface EpisodeFact {
  n: number;
  fact: InspectorEvent;
  /** 1-based: the frame cut after this fact shows it. */
  j: number;
}

/** How far back a restart's first death may lie: a supervisor handles the EXIT a tick or two later. */
const EPISODE_MS = 2_000;
const EPISODE_FRAMES = 30;

/**
 * A restart or escalation with what led to it: the death that triggered it may have come a
 * frame or two earlier (the supervisor handles the EXIT signal on a later tick), so the frames
 * before the marker's are searched, for a short while, for deaths of the same supervisors'
 * children. Returns the first frame of the episode and its facts in order.
 */
export function episodeOf(marker: Marker, rec: Recording): { from: number; facts: EpisodeFact[] } {
  const sups = new Set<Pid>();
  for (const e of marker.facts) {
    if (e.type === 'orchard.supervisor.restarted' || e.type === 'orchard.supervisor.intensity_exceeded') sups.add(e.supervisor);
    else if (e.type === 'orchard.process.exited' && e.supervisor !== undefined) sups.add(e.supervisor);
  }
  let from = marker.n;
  for (let n = marker.n - 1; n >= rec.firstN && n >= marker.n - EPISODE_FRAMES; n--) {
    const f = rec.frame(n);
    if (f === undefined || marker.t - f.t > EPISODE_MS) break;
    const facts = factsOf(f.m);
    // An earlier decision of the same supervisor: a separate episode.
    if (facts.some((e) => (e.type === 'orchard.supervisor.restarted' || e.type === 'orchard.supervisor.intensity_exceeded') && sups.has(e.supervisor))) break;
    if (facts.some((e) => e.type === 'orchard.process.exited' && e.supervisor !== undefined && sups.has(e.supervisor))) from = n;
  }
  const out: EpisodeFact[] = [];
  for (let n = from; n <= marker.n; n++) {
    const f = rec.frame(n);
    if (f === undefined) continue;
    factsOf(f.m).forEach((fact, i) => out.push({ n, fact, j: i + 1 }));
  }
  return { from, facts: out };
}
