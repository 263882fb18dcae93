/**
 * The one place the temporary demo page reads scheduler internals (`procs`, `info`, `stats`,
 * `onEvent`). The inspector protocol client replaces this file: the Observer will receive the
 * same facts as snapshots and deltas over a MessagePort and never see a Scheduler (DESIGN,
 * "Layers and the one way data flows").
 */
import {
  formatReason, type Pid, type ProcessInfo, type Scheduler, type SchedulerStats,
} from '../../runtime/core/index.ts';

export interface ExitRecord {
  at: number;
  pid: Pid;
  label: string | null;
  reason: string;
}

export interface RuntimeSnapshot {
  at: number;
  processes: ProcessInfo[];
  stats: SchedulerStats;
  /** The most recent exits, newest first. */
  exits: ExitRecord[];
}

const KEEP_EXITS = 8;

export function createRuntimeReader(s: Scheduler): { read(): RuntimeSnapshot } {
  // Labels are gone from the table by the time an exit is reported, so remember them at spawn.
  const labels = new Map<Pid, string | null>();
  let exits: ExitRecord[] = [];
  s.onEvent = (event) => {
    if (event.type === 'spawn') {
      const ext = s.procs.get(event.pid)?.ext;
      labels.set(event.pid, ext?.name ?? ext?.label ?? null);
    } else if (event.type === 'exit') {
      const record = { at: event.at, pid: event.pid, label: labels.get(event.pid) ?? null, reason: formatReason(event.reason) };
      labels.delete(event.pid);
      exits = [record, ...exits.slice(0, KEEP_EXITS - 1)];
    }
  };
  return {
    read() {
      const processes: ProcessInfo[] = [];
      for (const pid of s.procs.keys()) {
        const info = s.info(pid);
        if (info !== undefined) processes.push(info);
      }
      return { at: s.clock.now(), processes, stats: s.stats(), exits };
    },
  };
}
