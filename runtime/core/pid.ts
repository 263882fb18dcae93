/**
 * Pids and references: plain strings, so that they clone across workers, serve as Map keys
 * and print as Erlang prints them.
 *
 * A pid reads `<0.N.S>`: 0 for the local node (as Erlang prints a local pid), N the process
 * number, S the scheduler that owns it. On scheduler 0 it is exactly Erlang's `<0.125.0>`.
 */

export type Pid = string & { readonly __pid: never };
export type Ref = string & { readonly __ref: never };

const PID_RE = /^<0\.(\d+)\.(\d+)>$/;
const REF_RE = /^#Ref<0\.(\d+)\.(\d+)>$/;

export function makePid(scheduler: number, n: number): Pid {
  return `<0.${n}.${scheduler}>` as Pid;
}

export function makeRef(scheduler: number, n: number): Ref {
  return `#Ref<0.${scheduler}.${n}>` as Ref;
}

export function isPid(value: unknown): value is Pid {
  return typeof value === 'string' && PID_RE.test(value);
}

export function isRef(value: unknown): value is Ref {
  return typeof value === 'string' && REF_RE.test(value);
}

/** The scheduler index a pid names. Throws on anything that is not a pid. */
export function schedulerOf(pid: Pid): number {
  // Fast path: the scheduler is the digits between the last '.' and the closing '>'.
  const dot = pid.lastIndexOf('.');
  const n = dot > 0 ? Number(pid.slice(dot + 1, -1)) : NaN;
  if (!Number.isInteger(n) || pid.charCodeAt(0) !== 60 /* < */) {
    throw new TypeError(`badarg: ${JSON.stringify(pid)} is not a pid`);
  }
  return n;
}

/** Parses the textual form typed by a person (`<0.12.0>`, `0.12.0` or `12`). */
export function parsePid(text: string): Pid | null {
  const t = text.trim();
  if (PID_RE.test(t)) return t as Pid;
  const m = /^0\.(\d+)\.(\d+)$/.exec(t);
  if (m) return makePid(Number(m[2]), Number(m[1]));
  if (/^\d+$/.test(t)) return makePid(0, Number(t));
  return null;
}
