/**
 * A recording as a file (runtime/protocol/RECORDING.md): gzip-compressed lines of JSON. The
 * first line is the header, the second the state the recording starts from, then one line per
 * frame: the envelope as received, except that process rows already seen are written as the
 * fields that changed. Opening a file replays its frames into a fresh store, which rebuilds
 * keyframes and markers the way live recording does.
 */
import type { InspectorEvent, ProcessDetail, ProcessRow, RuntimeIdentity, ValuePreview } from '../protocol.ts';
import { PROTOCOL } from '../protocol.ts';
import { type Keyframe, type RecordedMessage, type StateImage, Recording, applyRecorded, imageOf, isRecorded, keyframeOf } from './recording.ts';
import { History } from './History.ts';
import { type RuntimeState, initialRuntimeState } from './runtimeStore.ts';

export const RECORDING_FORMAT = 'orchard-recording';
export const RECORDING_VERSION = 1;
/** Format versions this Observer reads. */
export const RECORDING_VERSIONS: readonly number[] = [1];

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  /** The inspector protocol version of the runtime that was recorded (frames are its envelopes). */
  protocol: number;
  /** When the file was written, ms since the epoch. */
  exportedAt: number;
  /** Arrival times of the first and last frame, ms since the epoch. */
  from: number;
  to: number;
  frames: number;
  /** What was recorded, in the connection banner's words, and the runtime's identity. */
  target: string;
  runtime: RuntimeIdentity | null;
  /** What the exporter left out: 'contents' = mailbox messages, states, message previews, table rows. */
  omitted: string[];
}

export interface ExportOptions {
  /** Frames from..to (inclusive); the whole ring by default. */
  from?: number;
  to?: number;
  /** Leave mailbox contents, states and message previews out. */
  omitContents?: boolean;
  target?: string;
  runtime?: RuntimeIdentity | null;
  protocol?: number;
}

/** Why a file cannot be opened, in words for the person who chose it. */
export class RecordingError extends Error {}

export const LEFT_OUT: ValuePreview = { preview: '(left out of this recording)', truncated: false };

// --- Writing ---

export async function exportRecording(rec: Recording, options: ExportOptions = {}): Promise<Blob> {
  const from = Math.max(rec.firstN, options.from ?? rec.firstN);
  const to = Math.min(rec.lastN, options.to ?? rec.lastN);
  if (rec.empty || to < from) throw new RecordingError('nothing recorded in that span');
  const omit = options.omitContents === true;
  const start = rec.stateAfter(from - 1) as RuntimeState;
  const t0 = rec.timeOf(from - 1 >= rec.firstN ? from - 1 : from);
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    protocol: options.protocol ?? 2,
    exportedAt: Date.now(),
    from: t0,
    to: rec.timeOf(to),
    frames: to - from + 1,
    target: options.target ?? '',
    runtime: options.runtime ?? null,
    omitted: omit ? ['contents'] : [],
  };
  const lines: string[] = [JSON.stringify(header), '\n', JSON.stringify({ t: t0, state: writeImage(start, omit) }), '\n'];
  const prev = new Map(start.processes);
  let t = t0;
  for (const f of rec.frames(from, to)) {
    const m = omit ? withoutContents(f.m) : f.m;
    lines.push(JSON.stringify([f.t - t, encodeMessage(m, prev)]), '\n');
    t = f.t;
  }
  return gzip(lines);
}

async function gzip(parts: string[]): Promise<Blob> {
  const stream = new Blob(parts).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).blob();
}

/** The starting state as the file holds it: a keyframe, with contents left out when asked. */
function writeImage(s: StateImage, omit: boolean): Keyframe {
  const k = keyframeOf(s);
  if (!omit) return k;
  return {
    ...k,
    events: k.events.map(eventWithoutContents),
    details: k.details.map(([pid, d]) => [pid, d !== null ? detailWithoutContents(d) : d]),
    tablePage: k.tablePage === null ? null : { ...k.tablePage, rows: k.tablePage.rows.map(() => LEFT_OUT) },
  };
}

/** Rows seen before are written as [pid, changed fields]; `reductions` is left out when it is the old one plus `reductionsDelta`. */
function encodeMessage(m: RecordedMessage, prev: Map<string, ProcessRow>): object {
  const { protocol: _p, id: _i, ...rest } = m as RecordedMessage & { id?: number };
  if (m.type !== 'snapshot' && m.type !== 'delta') return rest;
  const p = m.processes.map((r) => encodeRow(r, prev.get(r.pid)));
  if (m.type === 'snapshot') {
    prev.clear();
    for (const r of m.processes) prev.set(r.pid, r);
  } else {
    for (const r of m.processes) prev.set(r.pid, r);
    for (const pid of m.removed) prev.delete(pid);
  }
  const { processes: _rows, ...others } = rest as typeof rest & { processes: unknown };
  return { ...others, p };
}

function encodeRow(r: ProcessRow, old: ProcessRow | undefined): unknown {
  if (old === undefined) return r;
  const changed: Record<string, unknown> = {};
  const row = r as unknown as Record<string, unknown>;
  const before = old as unknown as Record<string, unknown>;
  for (const k in row) {
    if (k === 'pid' || same(row[k], before[k])) continue;
    if (k === 'reductions' && r.reductions === old.reductions + r.reductionsDelta) continue;
    changed[k] = row[k];
  }
  if (r.reductions !== old.reductions + r.reductionsDelta && !('reductions' in changed)) changed.reductions = r.reductions;
  const gone = Object.keys(before).filter((k) => !(k in row));
  if (gone.length > 0) changed['-'] = gone;
  return [r.pid, changed];
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

// --- Privacy ---

/** The message with mailbox contents, states and message previews replaced by LEFT_OUT. */
export function withoutContents(m: RecordedMessage): RecordedMessage {
  switch (m.type) {
    case 'delta':
      return m.events === undefined ? m : { ...m, events: m.events.map(eventWithoutContents) };
    case 'events':
      return { ...m, events: m.events.map(eventWithoutContents) };
    case 'process_detail':
      return m.detail === null ? m : { ...m, detail: detailWithoutContents(m.detail) };
    case 'table':
      return { ...m, rows: m.rows.map(() => LEFT_OUT) };
    default:
      return m;
  }
}

function detailWithoutContents(d: ProcessDetail): ProcessDetail {
  return {
    ...d,
    mailbox: d.mailbox.map((e) => ({ ...e, value: LEFT_OUT })),
    state: d.state === null ? null : LEFT_OUT,
    events: d.events.map(eventWithoutContents),
    ...(d.sys !== undefined ? { sys: { ...d.sys, ...(d.sys.lastMessage !== undefined ? { lastMessage: LEFT_OUT } : {}) } } : {}),
  };
}

function eventWithoutContents(e: InspectorEvent): InspectorEvent {
  switch (e.type) {
    case 'orchard.trace.send':
    case 'orchard.trace.receive':
    case 'orchard.process.unexpected_message':
      return { ...e, message: LEFT_OUT.preview };
    case 'orchard.process.exited':
      return e.crash === undefined ? e : { ...e, crash: { ...e.crash, state: LEFT_OUT.preview, ...(e.crash.lastMessage !== undefined ? { lastMessage: LEFT_OUT.preview } : {}) } };
    default:
      return e;
  }
}

// --- Reading ---

export interface OpenedRecording {
  header: RecordingHeader;
  recording: Recording;
}

export async function openRecording(data: Blob | ArrayBuffer | Uint8Array): Promise<OpenedRecording> {
  const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new RecordingError(`This is not an Orchard recording: a recording is a gzip file, and this one starts with ${describeStart(bytes)}.`);
  }
  let text: string;
  try {
    text = await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  } catch (e) {
    throw new RecordingError(`This recording is damaged: it does not decompress (${e instanceof Error ? e.message : String(e)}).`);
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const header = parseLine(lines[0], 'header') as Partial<RecordingHeader>;
  if (header.format !== RECORDING_FORMAT) throw new RecordingError('This gzip file is not an Orchard recording: its first line does not say "format": "orchard-recording".');
  if (typeof header.version !== 'number' || !RECORDING_VERSIONS.includes(header.version)) {
    const newer = typeof header.version === 'number' && header.version > RECORDING_VERSION;
    throw new RecordingError(
      `This recording is format version ${String(header.version)}; this Observer reads version ${RECORDING_VERSIONS.join(', ')}. ` +
        (newer ? 'It was written by a newer Observer: open it there.' : 'Version 1 is the first version this format had; nothing older can be read.'),
    );
  }
  if (header.protocol !== 1 && header.protocol !== 2) throw new RecordingError(`This recording holds inspector protocol version ${String(header.protocol)}; this Observer replays versions 1 and 2.`);
  const start = parseLine(lines[1], 'starting state') as { t: number; state: Keyframe };
  const recording = new Recording({ windowMs: Infinity, maxBytes: Infinity });
  let s: RuntimeState;
  try {
    s = { ...initialRuntimeState(), ...readImage(start.state), history: new History() };
  } catch (e) {
    throw new RecordingError(`This recording's starting state does not read: ${e instanceof Error ? e.message : String(e)}.`);
  }
  recording.start(s, start.t);
  const prev = new Map(s.processes);
  let t = start.t;
  for (let i = 2; i < lines.length; i++) {
    const line = parseLine(lines[i], `frame ${i - 1}`);
    if (!Array.isArray(line) || typeof line[0] !== 'number' || typeof line[1] !== 'object' || line[1] === null) throw new RecordingError(`Frame ${i - 1} of this recording is not [time, message].`);
    t += line[0];
    const m = decodeMessage(line[1] as Record<string, unknown>, prev, header.protocol, i - 1);
    s = applyRecorded(s, m);
    recording.record(m, s, t);
  }
  return { header: header as RecordingHeader, recording };
}

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing (it is empty)';
  const text = new TextDecoder().decode(bytes.slice(0, 24)).replace(/[^\x20-\x7e]/g, '·');
  return `"${text}"`;
}

function parseLine(line: string | undefined, what: string): unknown {
  if (line === undefined) throw new RecordingError(`This recording ends before its ${what}.`);
  try {
    return JSON.parse(line);
  } catch {
    throw new RecordingError(`This recording's ${what} is not JSON: the file is damaged.`);
  }
}

/** A file's starting state back as an image (fresh Maps, which the replay's ingest may edit). */
function readImage(k: Keyframe): StateImage {
  return imageOf({
    ...k,
    processes: new Map(k.processes.map((r) => [r.pid, r])),
    supervisors: new Map(k.supervisors.map((r) => [r.pid, r])),
    departed: new Map(k.departed.map((d) => [d.row.pid, d])),
    escalations: new Map(k.escalations.map((e) => [e.supervisor, e])),
    details: new Map(k.details),
  });
}

function decodeMessage(o: Record<string, unknown>, prev: Map<string, ProcessRow>, protocol: number, i: number): RecordedMessage {
  const m = { protocol: PROTOCOL, version: protocol, ...o } as Record<string, unknown>;
  if (typeof m.type !== 'string' || !isRecorded(m as unknown as RecordedMessage)) throw new RecordingError(`Frame ${i} of this recording is not a message the Observer records (type ${JSON.stringify(m.type)}).`);
  if (m.type !== 'snapshot' && m.type !== 'delta') return m as unknown as RecordedMessage;
  if (!Array.isArray(m.p)) throw new RecordingError(`Frame ${i} of this recording (a ${m.type}) has no rows.`);
  const rows = (m.p as unknown[]).map((x) => decodeRow(x, prev, i));
  if (m.type === 'snapshot') {
    prev.clear();
    for (const r of rows) prev.set(r.pid, r);
  } else {
    for (const r of rows) prev.set(r.pid, r);
    for (const pid of m.removed as string[]) prev.delete(pid);
  }
  const { p: _p, ...rest } = m;
  return { ...rest, processes: rows } as unknown as RecordedMessage;
}

function decodeRow(x: unknown, prev: Map<string, ProcessRow>, i: number): ProcessRow {
  if (!Array.isArray(x)) return x as ProcessRow;
  const [pid, changed] = x as [string, Record<string, unknown>];
  const old = prev.get(pid);
  if (old === undefined) throw new RecordingError(`Frame ${i} of this recording changes ${pid}, which it never listed.`);
  const { '-': gone, ...fields } = changed;
  const row = { ...old, ...fields } as ProcessRow & Record<string, unknown>;
  if (Array.isArray(gone)) for (const k of gone as string[]) delete row[k];
  if (!('reductions' in fields)) row.reductions = old.reductions + row.reductionsDelta;
  return row;
}
