/**
 * The node's watchdog (DESIGN decision 2): JavaScript cannot preempt a handler, so a handler
 * that loops for ever holds its whole worker. Each scheduler answers a heartbeat between
 * slices; one that stays silent longer than `timeoutMs` is declared dead, and the node
 * terminates its worker and starts a fresh one.
 *
 * Time is injected (STYLE G9) so the rule is testable without workers.
 */
import { isProductionBuild } from '../core/sealMessage.ts';

export interface WatchdogOptions {
  /** How often the node pings each scheduler, in ms. */
  intervalMs: number;
  /** How long a scheduler may stay silent before it is replaced, in ms. */
  timeoutMs: number;
  /**
   * Only warn, never replace: for debugging, since a worker paused in DevTools (a breakpoint,
   * a heap snapshot in the Memory tab) is as silent as one stuck in a loop. Default false.
   */
  warnOnly?: boolean;
  /**
   * Warn once a scheduler has been silent this long, before it is replaced at `timeoutMs`
   * (default: `timeoutMs`, the warning comes with the replacement).
   */
  warnMs?: number;
}

/** The watchdog of production builds (and of test runs, which check what production does). */
export const DEFAULT_WATCHDOG: WatchdogOptions = { intervalMs: 100, timeoutMs: 1_000, warnOnly: false };

/**
 * The watchdog of development builds: it warns after production's 1 s, and replaces a silent
 * scheduler only after 5 s, so that a heap snapshot of a worker in DevTools' Memory tab (a few
 * seconds for a heap of tens of MB) or a short look at a breakpoint does not cost its processes.
 * A longer pause needs `warnOnly` (the Observer's `?watchdog=off`).
 */
export const DEVELOPMENT_WATCHDOG: WatchdogOptions = { intervalMs: 100, timeoutMs: 5_000, warnOnly: false, warnMs: 1_000 };

/**
 * The default for this build: DEVELOPMENT_WATCHDOG unless the build is a production one or a test
 * run (NODE_ENV 'production' or 'test'; a page on a dev server has no NODE_ENV, and is development).
 */
export function defaultWatchdog(): WatchdogOptions {
  return isProductionBuild() || nodeEnv() === 'test' ? DEFAULT_WATCHDOG : DEVELOPMENT_WATCHDOG;
}

function nodeEnv(): string | undefined {
  try {
    return process.env.NODE_ENV;
  } catch {
    return undefined;
  }
}

export class Watchdog {
  private readonly lastHeard = new Map<number, number>();
  /** The longest silence of each scheduler so far, in ms (what a flood test holds to a bound). */
  private readonly longest = new Map<number, number>();
  private lastTick: number;
  /** With warnOnly: schedulers already warned of in their current silence. */
  private readonly warned = new Set<number>();

  constructor(
    readonly options: WatchdogOptions,
    private readonly now: () => number,
    private readonly hooks: {
      ping(id: number): void;
      /** Silent past `warnMs` (with warnOnly, past `timeoutMs`): warn, once per silence; it keeps running. */
      warn(id: number, silentMs: number): void;
      /** Silent past `timeoutMs`: replace it (never with warnOnly). */
      silent(id: number, silentMs: number): void;
    },
  ) {
    this.lastTick = now();
  }

  watch(id: number): void {
    this.lastHeard.set(id, this.now());
    this.longest.set(id, 0);
  }

  unwatch(id: number): void {
    this.lastHeard.delete(id);
  }

  /** Anything from the scheduler counts: a stuck worker cannot send at all. */
  heard(id: number): void {
    const t = this.lastHeard.get(id);
    if (t === undefined) return;
    const now = this.now();
    if (now - t > (this.longest.get(id) ?? 0)) this.longest.set(id, now - t);
    this.lastHeard.set(id, now);
    this.warned.delete(id);
  }

  /** The longest the scheduler has been silent since it was watched, in ms. */
  longestSilence(id: number): number {
    const t = this.lastHeard.get(id);
    return Math.max(this.longest.get(id) ?? 0, t === undefined ? 0 : this.now() - t);
  }

  tick(): void {
    const now = this.now();
    const late = now - this.lastTick - this.options.intervalMs;
    this.lastTick = now;
    if (late > this.options.intervalMs) {
      // The node's own thread was blocked (a long task on the page): the answers that came in
      // meanwhile have not been read yet, so that time is not held against the schedulers.
      for (const [id, t] of this.lastHeard) this.lastHeard.set(id, t + late);
    }
    const warnOnly = this.options.warnOnly === true;
    // Replacing says so itself: an earlier warning is for warnOnly, or a warnMs under the limit.
    const warnAt = warnOnly ? this.options.timeoutMs : (this.options.warnMs ?? Infinity);
    for (const [id, t] of [...this.lastHeard]) {
      const silent = now - t;
      if (silent > this.options.timeoutMs && !warnOnly) {
        this.lastHeard.delete(id);
        this.hooks.silent(id, silent);
        continue;
      }
      if (silent > warnAt && !this.warned.has(id)) {
        this.warned.add(id);
        this.hooks.warn(id, silent);
      }
      this.hooks.ping(id);
    }
  }
}
