/** Number, size and time formats shared by the views. */

const INT = new Intl.NumberFormat('en-US');

export function formatInt(n: number): string {
  return INT.format(Math.round(n));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** Compact rate: 950/s, 12.3k/s, 4.1M/s. */
export function formatRate(n: number): string {
  if (n < 1_000) return `${Math.round(n)}/s`;
  if (n < 1_000_000) return `${(n / 1_000).toFixed(1)}k/s`;
  return `${(n / 1_000_000).toFixed(1)}M/s`;
}

/** A duration as a clock reads it: 45s, 3m 05s, 2h 03m, 4d 02h. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

/** Age of something that happened at `at`: 120ms, 4.2s, 3m 05s. */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms);
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Wall-clock time with milliseconds, for event timelines. */
export function formatClock(at: number): string {
  const d = new Date(at);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
