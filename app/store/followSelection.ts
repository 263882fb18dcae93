/**
 * Where the selection goes when the runtime kills, restarts or gives up on the selected
 * process: the one rule, applied to the lifecycle facts as they come (in the order the runtime
 * sent them) and to the rows a change removes.
 *
 * 1. When the selected process dies, the selection moves to its nearest living ancestor: its
 *    supervisor (or its parent, for a process nobody supervises), else the next one up, as
 *    React DevTools' tree selects the nearest surviving ancestor. Nothing left: no selection.
 * 2. When its supervisor then starts the same child again (a restart with the same supervisor
 *    and child id), the selection moves on to that successor: the person was looking at a place
 *    in the tree, and the place has a new pid.
 * 3. A move the person did not make is marked (`moved`): it arms no kill. `k` on such a
 *    selection asks for a fresh one (a click, an arrow key), so that a kill meant for a worker
 *    never lands on the supervisor the selection fell back to after an escalation.
 */
import type { LifecycleEvent, Pid, ProcessRow } from '../protocol.ts';
import type { LastChange, RuntimeStore } from './runtimeStore.ts';
import type { UiStore } from './uiStore.ts';

/** Why the selection is where it is, when the runtime moved it there. */
export interface SelectionMove {
  /** The process that was selected and died. */
  from: Pid;
  /** Its death's reason, when known. */
  reason: string | null;
  /** The place it held: a restart there brings the selection to the successor. */
  supervisor: Pid | null;
  childId: string | null;
  /** 'ancestor': fell back to a living ancestor; 'successor': on the process that replaced it. */
  to: 'ancestor' | 'successor';
}

export interface Selection {
  selected: Pid | null;
  moved: SelectionMove | null;
}

/**
 * The selection after `change`, or undefined when it does not move. `isAlive` says whether a
 * pid still lives after the change.
 */
export function followSelection(current: Selection, change: Pick<LastChange, 'removed' | 'facts'>, isAlive: (pid: Pid) => boolean): Selection | undefined {
  if (current.selected === null && current.moved === null) return undefined;
  const gone = new Map<Pid, ProcessRow>();
  for (const r of change.removed) gone.set(r.pid, r);
  let sel = current;
  let changed = false;
  const die = (pid: Pid, reason: string | null, supervisor: Pid | null, childId: string | null): void => {
    const row = gone.get(pid);
    const up = ancestor(supervisor ?? row?.supervisor ?? row?.parent ?? null, gone, isAlive);
    sel = { selected: up, moved: { from: pid, reason, supervisor: supervisor ?? row?.supervisor ?? null, childId: childId ?? row?.childId ?? null, to: 'ancestor' } };
    changed = true;
  };
  for (const f of change.facts as readonly LifecycleEvent[]) {
    if (f.type === 'orchard.process.exited') {
      if (f.pid === sel.selected) die(f.pid, f.reason, f.supervisor ?? null, f.childId ?? null);
    } else if (f.type === 'orchard.supervisor.restarted') {
      if (f.newPid === null) continue;
      const m = sel.moved;
      const successor = f.oldPid === sel.selected || (m !== null && m.to === 'ancestor' && m.supervisor === f.supervisor && m.childId === f.childId);
      if (!successor) continue;
      sel = { selected: f.newPid, moved: { from: m?.from ?? f.oldPid ?? f.newPid, reason: m?.reason ?? f.reason, supervisor: f.supervisor, childId: f.childId, to: 'successor' } };
      changed = true;
    }
  }
  // A removal without its death (a version-1 runtime sends deaths after the rows).
  if (sel.selected !== null && gone.has(sel.selected)) die(sel.selected, null, null, null);
  return changed ? sel : undefined;
}

/** `pid` if it lives, else the nearest living one up the removed rows' supervisors and parents. */
function ancestor(pid: Pid | null, gone: ReadonlyMap<Pid, ProcessRow>, isAlive: (pid: Pid) => boolean): Pid | null {
  for (let hops = 0; pid !== null && hops < 64; hops++) {
    if (isAlive(pid)) return pid;
    const row = gone.get(pid);
    if (row === undefined) return null;
    pid = row.supervisor ?? row.parent;
  }
  return null;
}

/** Applies the rule to every change of the runtime store while `active()`. Returns the unsubscribe. */
export function bindSelection(runtime: RuntimeStore, ui: UiStore, active: () => boolean = () => true): () => void {
  return runtime.subscribe((state, previous) => {
    if (state.lastChange === previous.lastChange || !active()) return;
    const { selected, selectionMoved, detailOpen } = ui.getState();
    const next = followSelection({ selected, moved: selectionMoved }, state.lastChange, (pid) => state.processes.has(pid));
    if (next === undefined) return;
    ui.setState({ selected: next.selected, selectionMoved: next.moved, detailOpen: next.selected === null ? false : detailOpen });
  });
}
