/**
 * Which supervisor and child id each supervised pid has, as the supervisor rows of one
 * subscription tell it, so that a death goes out naming them (protocol v2: a death carries
 * everything it means, and the inspector never looks it up in rows the same delta removes).
 *
 * Kept at the connection, not in a scheduler's view, because a supervisor and its child may live
 * on different schedulers (workers): the child's scheduler records the death, the supervisor's
 * reports the child. Rows are read before the events of the same tick, so a child the supervisor
 * reported in this tick is found too.
 */
import type { Pid } from '../core/pid.ts';
import type { InspectorEvent, ProcessRow, SupervisorRow } from '../protocol/messages.ts';

export class ChildIndex {
  private readonly of = new Map<Pid, { supervisor: Pid; childId: string }>();

  clear(): void {
    this.of.clear();
  }

  /** Takes what supervisor rows (and rows of supervised processes) say about children. */
  note(supervisors: readonly SupervisorRow[], rows: readonly ProcessRow[]): void {
    for (const s of supervisors) {
      for (const c of s.children) if (c.pid !== null) this.of.set(c.pid, { supervisor: s.pid, childId: c.id });
    }
    for (const r of rows) if (r.supervisor !== null && r.childId !== null) this.of.set(r.pid, { supervisor: r.supervisor, childId: r.childId });
  }

  /**
   * Names the supervisor and child id in each death of a supervised child (a new event object:
   * the source's may be shared with other subscriptions), and forgets the dead.
   */
  complete(events: InspectorEvent[]): InspectorEvent[] {
    let out: InspectorEvent[] | null = null;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.type !== 'orchard.process.exited') continue;
      const child = this.of.get(e.pid);
      if (child === undefined) continue;
      this.of.delete(e.pid);
      if (e.supervisor !== undefined) continue;
      out ??= events.slice();
      out[i] = { ...e, supervisor: child.supervisor, childId: child.childId };
    }
    return out ?? events;
  }
}
