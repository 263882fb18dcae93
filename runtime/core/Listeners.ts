/**
 * The scheduler's event listeners (the inspector's flight recorder and whoever else listens),
 * folded into one function so that the scheduler's hot path checks one field: null when nobody
 * listens, the only listener itself when there is one, a fan-out otherwise. A listener that
 * throws does not break the process that caused the event, nor the listeners after it: the
 * error is rethrown from a timer (STYLE G7).
 */
import type { Clock } from './clock.ts';
import type { RuntimeEvent } from './info.ts';

export type Listener = (event: RuntimeEvent) => void;

export class Listeners {
  private primary: Listener | null = null;
  private readonly others: Listener[] = [];

  /** `publish` receives the folded listener (or null) each time the set changes. */
  constructor(
    private readonly clock: Clock,
    private readonly publish: (emit: Listener | null) => void,
  ) {}

  setPrimary(fn: Listener | null): void {
    this.primary = fn;
    this.update();
  }

  /** Adds a listener beside the primary one; returns its removal. */
  add(fn: Listener): () => void {
    this.others.push(fn);
    this.update();
    return () => {
      const i = this.others.indexOf(fn);
      if (i >= 0) this.others.splice(i, 1);
      this.update();
    };
  }

  private update(): void {
    const primary = this.primary;
    const all = primary === null ? this.others.slice() : [primary, ...this.others];
    if (all.length === 0) this.publish(null);
    else if (all.length === 1 && primary !== null) this.publish(primary);
    else {
      this.publish((event) => {
        for (const fn of all) {
          try {
            fn(event);
          } catch (e) {
            this.clock.setTimeout(() => {
              throw e;
            }, 0);
          }
        }
      });
    }
  }
}
