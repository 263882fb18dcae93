/**
 * Going back a few frames without restoring a keyframe. Before the replay store applies a
 * frame, what the frame will overwrite is noted: the store's plain fields (cheap: they are
 * replaced, never edited) and the previous entries of the Map keys it touches. Undoing puts them
 * back, newest first. A drag backwards then costs the rows the frames changed, not a copy of
 * every process. Frames whose effect cannot be noted this way (a snapshot, which replaces the
 * Maps wholesale; a frame that makes the departed list drop its oldest) give null, and the
 * replay restores a keyframe instead.
 */
import type { Pid } from '../protocol.ts';
import type { RecordedMessage } from './recording.ts';
import { DEPARTED_CAPACITY, type Departed, type RuntimeState } from './runtimeStore.ts';

type Entry = [Map<unknown, unknown>, unknown, unknown, boolean];

export interface Undo {
  fields: Partial<RuntimeState>;
  entries: Entry[];
  /** Departed entries whose reason a v1 `events` message fills in. */
  reasons: Array<[Departed, string | null]>;
}

const FIELDS = [
  'revision', 'membership', 'seq', 'at', 'node', 'schedulers', 'processTotal', 'applications', 'available', 'lastChange', 'escalationsRevision', 'events', 'eventsRevision',
  'detailsRevision', 'tables', 'tablePage',
] as const;

/** What applying `m` to `s` will overwrite, or null when it cannot be undone this way. */
export function undoFor(s: RuntimeState, m: RecordedMessage): Undo | null {
  if (m.type === 'snapshot') return null;
  const fields: Record<string, unknown> = {};
  for (const k of FIELDS) fields[k] = s[k];
  const entries: Entry[] = [];
  const note = (map: Map<unknown, unknown>, key: unknown): void => {
    entries.push([map, key, map.get(key), map.has(key)]);
  };
  const reasons: Array<[Departed, string | null]> = [];
  const events = m.type === 'delta' ? (m.events ?? []) : m.type === 'events' ? m.events : [];
  for (const e of events) {
    if (e.type === 'orchard.supervisor.intensity_exceeded') note(s.escalations as Map<unknown, unknown>, e.supervisor);
    else if (e.type === 'orchard.process.exited') {
      const d = s.departed.get(e.pid);
      if (d !== undefined) reasons.push([d, d.reason]);
    }
  }
  if (m.type === 'delta') {
    const processes = s.processes as Map<unknown, unknown>;
    for (const r of m.processes) note(processes, r.pid);
    for (const pid of m.quiet ?? []) note(processes, pid);
    let leaving = 0;
    for (const pid of m.removed) {
      if (!s.processes.has(pid)) continue;
      note(processes, pid);
      note(s.departed as Map<unknown, unknown>, pid);
      leaving++;
    }
    if (s.departed.size + leaving > DEPARTED_CAPACITY) return null;
    for (const sup of m.supervisors) note(s.supervisors as Map<unknown, unknown>, sup.pid);
    for (const pid of m.removedSupervisors) note(s.supervisors as Map<unknown, unknown>, pid);
  } else if (m.type === 'process_detail') {
    note(s.details as Map<unknown, unknown>, m.pid as Pid);
  }
  return { fields: fields as Partial<RuntimeState>, entries, reasons };
}

/** Puts back what one frame overwrote (the state must be the one right after that frame). */
export function applyUndo(s: RuntimeState, u: Undo): RuntimeState {
  for (let i = u.entries.length - 1; i >= 0; i--) {
    const [map, key, value, had] = u.entries[i]!;
    if (had) map.set(key, value);
    else map.delete(key);
  }
  for (const [d, reason] of u.reasons) d.reason = reason;
  return { ...s, ...u.fields };
}
