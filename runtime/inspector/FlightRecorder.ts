/**
 * The flight recorder: the last events in a fixed ring, replayed to an inspector when it attaches
 * (Stately keeps 200; we keep LIMITS.eventBacklog). Events are stored as they come and turned
 * into protocol events only when read, so recording costs one array store per event.
 *
 * Two rings: lifecycle events (spawn, exit, restart, intensity, scheduler replaced) and chatter
 * (links, monitors, DOWNs, traced messages), so that a burst of calls' monitors cannot push the
 * restarts out of the backlog.
 */
import type { InspectorEvent } from '../protocol/messages.ts';

export class Ring<T> {
  private readonly items: Array<T | undefined>;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(Math.max(1, capacity));
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.items.length;
    if (this.count < this.items.length) this.count++;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const n = this.items.length;
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.next - this.count + i + n) % n]!);
    return out;
  }

  get size(): number {
    return this.count;
  }
}

export class FlightRecorder<Raw> {
  private readonly lifecycle: Ring<Raw>;
  private readonly chatter: Ring<Raw>;

  constructor(
    private readonly convert: (raw: Raw) => InspectorEvent,
    private readonly isLifecycle: (raw: Raw) => boolean,
    capacity: number,
    chatterCapacity = Math.max(1, Math.floor(capacity / 5)),
  ) {
    this.lifecycle = new Ring(capacity);
    this.chatter = new Ring(chatterCapacity);
  }

  record(raw: Raw): void {
    if (this.isLifecycle(raw)) this.lifecycle.push(raw);
    else this.chatter.push(raw);
  }

  /**
   * Both rings merged in time order, oldest first, at most `limit` (the newest). With `which`,
   * only the events it picks are converted (a process's recent events).
   */
  backlog(limit = Infinity, which?: (raw: Raw) => boolean): InspectorEvent[] {
    let raw = [...this.lifecycle.toArray(), ...this.chatter.toArray()];
    if (which !== undefined) raw = raw.filter(which);
    const all = raw.map(this.convert);
    all.sort((a, b) => a.at - b.at);
    return all.length > limit ? all.slice(all.length - limit) : all;
  }
}
