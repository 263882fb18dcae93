/**
 * Checks every message an inspector sends, once, at the edge (STYLE G8): the envelope, the
 * version, the type and each field. The answer is a value, never a throw: the endpoint turns a
 * failure into an `error` reply carrying the offending request id, and nothing else happens.
 */
import { isPid } from '../core/pid.ts';
import {
  type Capability, type ErrorCode, type InspectorMessage, type InspectorToRuntime, LIMITS, PROTOCOL, PROTOCOL_VERSIONS,
  type ProcessSortKey,
} from './messages.ts';
import { termProblem } from './term.ts';

export type Validated =
  | { ok: true; message: InspectorMessage }
  | { ok: false; code: ErrorCode; reason: string; id: number | undefined };

/** The capability each request needs; null: none (the handshake and keep-alives). */
export const REQUIRES: { readonly [K in keyof InspectorToRuntime]: Capability | null } = {
  hello: null,
  ping: null,
  goodbye: null,
  subscribe: 'observe',
  unsubscribe: 'observe',
  resync: 'observe',
  inspect: 'observe',
  unwatch: 'observe',
  tables: 'observe',
  table: 'observe',
  kill: 'control',
  exit: 'control',
  send: 'control',
  call: 'control',
  cast: 'control',
  trace: 'control',
  startApplication: 'control',
  stopApplication: 'control',
  suspend: 'control',
  resume: 'control',
};

const SORT_KEYS: readonly ProcessSortKey[] = ['reductions', 'reductionsDelta', 'mailbox', 'memory', 'startedAt', 'pid'];
const MAX_NAME = 255;
const MAX_PIDS = LIMITS.maxPids;

class Invalid {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
  ) {}
}

/**
 * Validates one envelope against the protocol `version` the connection speaks (a `hello` may
 * carry any version this side knows).
 */
/** Requests a later version added: a connection that settled an earlier one does not know them. */
const SINCE: Readonly<Record<string, number>> = { call: 2, cast: 2 };

export function validateMessage(raw: unknown, version: number): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('bad_message', 'not an envelope (an object)', undefined);
  const m = raw as Record<string, unknown>;
  let id: number | undefined;
  try {
    id = m.id as number | undefined;
  } catch {
    return fail('bad_message', 'unreadable envelope', undefined);
  }
  if (id !== undefined && !(Number.isSafeInteger(id) && id >= 0)) return fail('bad_message', "'id' must be a non-negative integer", undefined);
  try {
    if (m.protocol !== PROTOCOL) return fail('bad_message', `'protocol' must be '${PROTOCOL}'`, id);
    if (typeof m.type !== 'string') return fail('bad_message', "'type' must be a string", id);
    if (typeof m.version !== 'number') return fail('bad_message', "'version' must be a number", id);
    const type = m.type;
    if (!Object.hasOwn(REQUIRES, type)) return fail('unknown_type', `unknown message type '${type.slice(0, 64)}'`, id);
    const known = (PROTOCOL_VERSIONS as readonly number[]).includes(m.version);
    if (type === 'hello' ? !known : m.version !== version) {
      return fail('version_mismatch', `version ${m.version} is not spoken here (${type === 'hello' ? PROTOCOL_VERSIONS.join(', ') : version})`, id);
    }
    const since = SINCE[type];
    if (since !== undefined && m.version < since) {
      return fail('unknown_type', `'${type}' is a request of version ${since}; this connection speaks version ${m.version}`, id);
    }
    CHECKS[type as keyof InspectorToRuntime](m);
    return { ok: true, message: m as unknown as InspectorMessage };
  } catch (e) {
    if (e instanceof Invalid) return fail(e.code, e.reason, id);
    return fail('bad_message', 'unreadable message', id);
  }
}

function fail(code: ErrorCode, reason: string, id: number | undefined): Validated {
  return { ok: false, code, reason, id };
}

/**
 * Whether `value` stays within `limit` characters as JSON would count them, walked without
 * building the string and stopping as soon as it is over (or too deep, or cyclic).
 */
export function withinSize(value: unknown, limit: number = LIMITS.maxIncomingChars): boolean {
  let left = limit;
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (typeof v === 'string') left -= v.length + 2;
    else if (typeof v !== 'object' || v === null) left -= 8;
    else {
      if (d > LIMITS.maxDepth || seen.has(v)) return false;
      seen.add(v);
      left -= 2;
      if (Array.isArray(v)) {
        if (v.length > left) return false;
        for (const x of v) stack.push({ v: x, d: d + 1 });
        left -= v.length;
      } else if (v instanceof Map || v instanceof Set || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
        const n = v instanceof Map || v instanceof Set ? v.size : (v as ArrayBuffer).byteLength;
        left -= n;
        if (v instanceof Map) for (const [k, x] of v) stack.push({ v: k, d: d + 1 }, { v: x, d: d + 1 });
        if (v instanceof Set) for (const x of v) stack.push({ v: x, d: d + 1 });
      } else {
        const keys = Object.keys(v);
        if (keys.length > left) return false;
        for (const k of keys) {
          left -= k.length + 3;
          stack.push({ v: (v as Record<string, unknown>)[k], d: d + 1 });
        }
      }
    }
    if (left < 0) return false;
  }
  return true;
}

// --- Field checks, one per message type ---

type Check = (m: Record<string, unknown>) => void;

const none: Check = () => {};

const CHECKS: { readonly [K in keyof InspectorToRuntime]: Check } = {
  hello(m) {
    const caps = m.capabilities;
    if (!Array.isArray(caps) || caps.length > 8) throw bad("'capabilities' must be an array of capability names ('observe', 'control')");
    // Names this side does not know are allowed: the runtime grants the intersection, so a newer
    // client asking for more still gets what is granted here.
    for (const c of caps) if (typeof c !== 'string' || c.length === 0 || c.length > 32) throw bad(`'capabilities' holds ${short(c)}, not a capability name`);
    const client = m.client;
    if (typeof client !== 'object' || client === null) throw bad("'client' must be { name, version }");
    const { name, version } = client as Record<string, unknown>;
    if (typeof name !== 'string' || name.length > 200 || typeof version !== 'string' || version.length > 100) {
      throw bad("'client' must be { name: string, version: string }");
    }
    optionalNumber(m, 'heartbeatMs', 100, 600_000);
  },
  ping: none,
  goodbye: none,
  unsubscribe: none,
  resync: none,
  tables: none,
  subscribe(m) {
    optionalNumber(m, 'rate', LIMITS.minRate, LIMITS.maxRate);
    if (m.hideInspector !== undefined && typeof m.hideInspector !== 'boolean') throw bad("'hideInspector' must be a boolean");
    const p = m.processes;
    if (p === undefined) return;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw bad("'processes' must be { limit?, sortBy?, include? }");
    const o = p as Record<string, unknown>;
    optionalInteger(o, 'limit', 1, LIMITS.maxProcessLimit);
    if (o.sortBy !== undefined && !SORT_KEYS.includes(o.sortBy as ProcessSortKey)) throw arg(`'sortBy' must be one of ${SORT_KEYS.join(', ')}`);
    if (o.include !== undefined) pids(o.include, 'include', 0);
  },
  inspect(m) {
    pid(m.pid, 'pid');
    optionalInteger(m, 'mailboxLimit', 0, LIMITS.maxMailboxPreview);
    if (m.watch !== undefined && typeof m.watch !== 'boolean') throw bad("'watch' must be a boolean");
  },
  unwatch(m) {
    pid(m.pid, 'pid');
  },
  table(m) {
    name(m.table, 'table');
    optionalInteger(m, 'offset', 0, Number.MAX_SAFE_INTEGER);
    optionalInteger(m, 'limit', 1, LIMITS.maxTableRows);
  },
  kill(m) {
    pid(m.pid, 'pid');
  },
  suspend(m) {
    pid(m.pid, 'pid');
  },
  resume(m) {
    pid(m.pid, 'pid');
  },
  exit(m) {
    pid(m.pid, 'pid');
    if (!('reason' in m)) throw bad("'reason' is missing");
    typedTerm(m, 'reason');
  },
  send(m) {
    const to = m.to;
    if (typeof to !== 'string' || to.length === 0 || to.length > MAX_NAME) throw bad("'to' must be a pid or a registered name");
    if (to.charCodeAt(0) === 60 && !isPid(to)) throw bad(`'to' is not a pid: ${short(to)}`);
    if (!('message' in m)) throw bad("'message' is missing");
    typedTerm(m, 'message');
  },
  call(m) {
    destination(m.to);
    term(m.request, 'request');
    optionalInteger(m, 'timeout', 1, 60_000);
  },
  cast(m) {
    destination(m.to);
    term(m.request, 'request');
  },
  trace(m) {
    pids(m.pids, 'pids', 1);
    if (typeof m.on !== 'boolean') throw bad("'on' must be a boolean");
  },
  startApplication(m) {
    name(m.name, 'name');
  },
  stopApplication(m) {
    name(m.name, 'name');
  },
};

/** A pid or a registered name. */
function destination(to: unknown): void {
  if (typeof to !== 'string' || to.length === 0 || to.length > MAX_NAME) throw bad("'to' must be a pid or a registered name");
  if (to.charCodeAt(0) === 60 && !isPid(to)) throw bad(`'to' is not a pid: ${short(to)}`);
}

/** Always a typed term (call and cast are v2 only). */
function term(v: unknown, field: string): void {
  const problem = termProblem(v);
  if (problem !== null) throw bad(`'${field}' is not a typed term: ${problem}`);
}

/** With `typed: true`, the field must be a well-formed Term (term.ts). */
function typedTerm(m: Record<string, unknown>, field: string): void {
  if (m.typed === undefined || m.typed === false) return;
  if (m.typed !== true) throw bad("'typed' must be a boolean");
  const problem = termProblem(m[field]);
  if (problem !== null) throw bad(`'${field}' is not a typed term: ${problem}`);
}

function bad(reason: string): Invalid {
  return new Invalid('bad_message', reason);
}

function arg(reason: string): Invalid {
  return new Invalid('bad_argument', reason);
}

function pid(v: unknown, field: string): void {
  if (!isPid(v)) throw bad(`'${field}' must be a pid like <0.12.0>, got ${short(v)}`);
}

function pids(v: unknown, field: string, min: number): void {
  if (!Array.isArray(v)) throw bad(`'${field}' must be an array of pids`);
  if (v.length < min || v.length > MAX_PIDS) throw arg(`'${field}' must hold ${min} to ${MAX_PIDS} pids`);
  for (const x of v) pid(x, field);
}

function name(v: unknown, field: string): void {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME) throw bad(`'${field}' must be a non-empty string`);
}

function optionalNumber(m: Record<string, unknown>, field: string, min: number, max: number): void {
  const v = m[field];
  if (v === undefined) return;
  if (typeof v !== 'number') throw bad(`'${field}' must be a number`);
  // A number out of range (Infinity and NaN included) is a bad argument, not a malformed message.
  if (!(v >= min && v <= max)) throw arg(`'${field}' must be between ${min} and ${max}`);
}

function optionalInteger(m: Record<string, unknown>, field: string, min: number, max: number): void {
  const v = m[field];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`'${field}' must be an integer`);
  if (v < min || v > max) throw arg(`'${field}' must be between ${min} and ${max}`);
}

function short(v: unknown): string {
  try {
    const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  } catch {
    return typeof v;
  }
}
