/**
 * Restart intensity, as supervisor.erl's add_restart/3: a supervisor keeps the times of its
 * recent restarts; when more than `intensity` fall within the last `period` seconds, it gives
 * up. Pure functions of (restarts, now): time is passed in (STYLE G6, G9).
 * https://www.erlang.org/doc/apps/stdlib/supervisor.html#module-restart-intensity-and-period
 */

/**
 * Records a restart at `now` (ms) and drops those that have left the window. Mutates and
 * returns `restarts` (oldest first): timestamps only grow, so expired ones are always at the
 * front, and shifting them off keeps each restart O(1) even with a huge intensity.
 * The window includes its start, as add_restart/3 keeps `R >= Now - Period`.
 */
export function addRestart(restarts: number[], now: number, periodSeconds: number): number[] {
  const threshold = now - periodSeconds * 1000;
  while (restarts.length > 0 && restarts[0]! < threshold) restarts.shift();
  restarts.push(now);
  return restarts;
}

/** How many restarts the window holds at `now`, without adding one. */
export function restartsInWindow(restarts: readonly number[], now: number, periodSeconds: number): number {
  const threshold = now - periodSeconds * 1000;
  let n = 0;
  for (const t of restarts) if (t >= threshold) n++;
  return n;
}

/** True when the restarts in the window exceed the intensity: the supervisor must terminate. */
export function exceeded(restarts: readonly number[], intensity: number): boolean {
  return restarts.length > intensity;
}
