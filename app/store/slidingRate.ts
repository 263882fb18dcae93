/**
 * Rates over a sliding one-second window, from cumulative counters sampled at each tick. A
 * per-tick difference reads 0 whenever a tick happened to see no work (a process that runs every
 * 300 ms shows 0 on two ticks of three at 10 Hz), so the views count what the samples of the last
 * second added instead, as observer_cli and LiveDashboard smooth theirs.
 *
 * Each sample's increase happened since the sample before it, so the increase within the window
 * is the last value minus the value of the newest sample at or before the window's start.
 */
export const RATE_WINDOW_MS = 1_000;

export class SlidingRate {
  private readonly at: number[] = [];
  private readonly value: number[] = [];

  /** Records the counter's value at time `at` (ms); an older or equal time replaces the last sample. */
  add(at: number, value: number): void {
    const n = this.at.length;
    if (n > 0 && at <= this.at[n - 1]!) {
      this.value[n - 1] = value;
      return;
    }
    this.at.push(at);
    this.value.push(value);
    // Keep one sample at or before the window's start (the base); drop what is older.
    const start = at - RATE_WINDOW_MS;
    let drop = 0;
    while (drop + 1 < this.at.length && this.at[drop + 1]! <= start) drop++;
    if (drop > 0) {
      this.at.splice(0, drop);
      this.value.splice(0, drop);
    }
  }

  /** The increase per second over the window ending at `now`; 0 before two samples. */
  rate(now: number): number {
    const n = this.at.length;
    if (n === 0) return 0;
    const start = now - RATE_WINDOW_MS;
    let base = -1;
    for (let i = n - 1; i >= 0; i--) {
      if (this.at[i]! <= start) {
        base = i;
        break;
      }
    }
    const last = this.value[n - 1]!;
    if (base >= 0) return Math.max(0, last - this.value[base]!) * (1000 / RATE_WINDOW_MS);
    // Younger than the window (just connected, a new process): over the time seen so far.
    const seen = now - this.at[0]!;
    return seen <= 0 ? 0 : (Math.max(0, last - this.value[0]!) * 1000) / seen;
  }

  /** The newest sample's value, or undefined before any. */
  get last(): number | undefined {
    return this.value[this.value.length - 1];
  }

  /** When the newest sample was taken, or -Infinity. */
  get latest(): number {
    return this.at.length === 0 ? -Infinity : this.at[this.at.length - 1]!;
  }
}

/**
 * A running total of counters that may restart from zero (a scheduler the watchdog replaced
 * counts from 0 again): each counter adds what it grew by, and a restarted one adds its new value.
 */
export class RestartingTotal {
  private readonly last = new Map<number, number>();
  total = 0;

  update(id: number, value: number): void {
    const prev = this.last.get(id);
    this.total += prev === undefined ? 0 : value >= prev ? value - prev : value;
    this.last.set(id, value);
  }
}

/**
 * The node's reductions and messages per second over the sliding window, fed every tick.
 * Messages count deliveries: the sum of the schedulers' `messagesIn`, so a message sent from the
 * host page or across workers counts once, where it arrives.
 */
export class NodeRates {
  private messages = new SlidingRate();
  private reductions = new SlidingRate();
  private delivered = new RestartingTotal();
  private reduced = new RestartingTotal();

  update(at: number, node: { reductions: number }, schedulers: ReadonlyArray<{ id: number; messagesIn: number }>): void {
    if (at <= this.messages.latest) return;
    for (const s of schedulers) this.delivered.update(s.id, s.messagesIn);
    this.reduced.update(0, node.reductions);
    this.messages.add(at, this.delivered.total);
    this.reductions.add(at, this.reduced.total);
  }

  messagesPerSecond(now: number): number {
    return Math.round(this.messages.rate(now));
  }

  reductionsPerSecond(now: number): number {
    return Math.round(this.reductions.rate(now));
  }

  clear(): void {
    this.messages = new SlidingRate();
    this.reductions = new SlidingRate();
    this.delivered = new RestartingTotal();
    this.reduced = new RestartingTotal();
  }
}
