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

/**
 * Pid numbers a scheduler gives out itself (its spawns, and the blocks it reserves for spawns
 * from elsewhere) stay below this; the numbers above are minted for it by the other schedulers
 * of its node (runtime/transport/PidPool.ts).
 */
export const LOCAL_PID_LIMIT = 1e12;

export function makePid(scheduler: number, n: number): Pid {
  return `<0.${n}.${scheduler}>` as Pid;
}

export function makeRef(scheduler: number, n: number): Ref {
  return `#Ref<0.${scheduler}.${n}>` as Ref;
}

export function isPid(value: unknown): value is Pid {
  return typeof value === 'string' && isPidText(value);
}

/** PID_RE without the regular expression: it runs on every send to another scheduler. */
function isPidText(s: string): boolean {
  const n = s.length;
  if (n < 7 || s.charCodeAt(0) !== 60 /* < */ || s.charCodeAt(1) !== 48 /* 0 */ || s.charCodeAt(2) !== 46 /* . */ || s.charCodeAt(n - 1) !== 62 /* > */) {
    return false;
  }
  let i = 3;
  while (i < n - 1 && isDigit(s.charCodeAt(i))) i++;
  if (i === 3 || s.charCodeAt(i) !== 46) return false;
  const first = ++i;
  while (i < n - 1 && isDigit(s.charCodeAt(i))) i++;
  return i > first && i === n - 1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isRef(value: unknown): value is Ref {
  return typeof value === 'string' && isRefText(value);
}

/** `#Ref<0.S.N>`, checked without a regular expression: demonitor checks every ref it is given. */
function isRefText(s: string): boolean {
  const n = s.length;
  // '#Ref<0.' then digits, '.', digits, '>'.
  if (n < 11 || s.charCodeAt(n - 1) !== 62 /* > */ || !s.startsWith('#Ref<0.')) return false;
  let i = 7;
  while (i < n - 1 && isDigit(s.charCodeAt(i))) i++;
  if (i === 7 || s.charCodeAt(i) !== 46 /* . */) return false;
  const first = ++i;
  while (i < n - 1 && isDigit(s.charCodeAt(i))) i++;
  return i > first && i === n - 1;
}

/**
 * N in `<0.N.S>`, read without allocating (it runs on every process-table lookup). For a
 * string that is not a pid the result is some number: callers compare the pid they find.
 */
export function pidNumber(pid: Pid): number {
  let n = 0;
  for (let i = 3, c = pid.charCodeAt(3); c >= 48 && c <= 57; c = pid.charCodeAt(++i)) n = n * 10 + (c - 48);
  return n;
}

/** The scheduler index a pid names. Throws on anything that is not a pid. */
export function schedulerOf(pid: Pid): number {
  // Fast path, without allocating (it runs on every send to another scheduler): the digits
  // between the last '.' and the closing '>'.
  const end = pid.length - 1;
  if (pid.charCodeAt(0) === 60 /* < */ && pid.charCodeAt(end) === 62 /* > */) {
    let n = 0;
    let scale = 1;
    let i = end - 1;
    for (; i > 0 && isDigit(pid.charCodeAt(i)); i--) {
      n += (pid.charCodeAt(i) - 48) * scale;
      scale *= 10;
    }
    if (i < end - 1 && i > 0 && pid.charCodeAt(i) === 46 /* . */ && scale <= 1e15) return n;
  }
  const dot = pid.lastIndexOf('.');
  const n = dot > 0 ? Number(pid.slice(dot + 1, -1)) : NaN;
  if (!Number.isInteger(n) || pid.charCodeAt(0) !== 60 /* < */) {
    throw new TypeError(`badarg: ${JSON.stringify(pid)} is not a pid`);
  }
  return n;
}

/** Whether `pid` names a scheduler other than `self`; false for anything that is not a pid. */
export function isRemote(self: number, pid: Pid): boolean {
  try {
    return schedulerOf(pid) !== self;
  } catch {
    return false;
  }
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
