/**
 * A BEAM node as an Orchard inspector source: the same endpoint (handshake, validation,
 * capabilities, batching) serves it as serves an Orchard runtime. Reads go through the probe
 * (Probe.ts) and the NodeModel; commands are the probe's exit and send, with typed terms
 * (runtime/protocol/term.ts) mapped to real Erlang terms: atoms are atoms here, where an Orchard
 * runtime would take them as strings.
 */
import type { Pid } from '../core/pid.ts';
import type { Term } from '../protocol/term.ts';
import { LIMITS, type InspectorEvent, type ProcessDetail, type TableRow, type ValuePreview } from '../protocol/messages.ts';
import { type CommandResult, type InspectorSource, type SourceView, TypedTerm, type ViewOptions } from '../inspector/source.ts';
import { Atom, Charlist, type Encodable, Float, RemotePid, Tuple, atom, tuple } from './etf.ts';
import { DETAIL, IS_RUNNING, MAILBOX, STATE, TABLE_PAGE, TABLES } from './expressions.ts';
import { BeamView } from './BeamView.ts';
import { type NodeInfo, NodeModel } from './NodeModel.ts';
import { Probe, ProbeError } from './Probe.ts';
import { answersSys, isPidText, props, tableRow } from './translate.ts';

export interface BeamSourceOptions {
  /** The target node: `name@host`. */
  node: string;
  cookie: string;
  /** Reads of the node per second (default 1). */
  rate?: number;
  /** The `erl` to start the probe with. */
  erl?: string;
  /**
   * Process rows served at most, whatever a subscription asks (default LIMITS.defaultProcessLimit):
   * each row shown is read on the node, and the Observer asks for every process.
   */
  maxRows?: number;
  /** Told of the node going down and coming back, in plain words. */
  log?: (line: string) => void;
}

/** Mailboxes longer than this are not read (reading copies the whole mailbox on the target). */
const MAILBOX_READ_MAX = 10_000;
const STATE_TIMEOUT_MS = 500;
const RECONNECT_MS = 1000;

export interface BeamSource extends InspectorSource {
  readonly info: NodeInfo;
  readonly model: NodeModel;
  readonly probe: Probe;
  /** Stops the probe node (nothing of ours stays on the target). */
  stop(): void;
}

/**
 * Starts the probe node and connects it to the target. Rejects with a ProbeError that says in
 * plain words what is wrong: `erl` missing, no epmd, no such node, a refused connection (cookie).
 */
export async function createBeamSource(options: BeamSourceOptions): Promise<BeamSource> {
  if (!/^[^@\s]+@[^@\s]+$/.test(options.node)) throw new ProbeError(`'${options.node}' is not a node name: write it NAME@HOST, as erl -sname NAME prints it`);
  const probe = await Probe.start({ target: options.node, ...(options.erl === undefined ? {} : { erl: options.erl }) });
  let info: NodeInfo;
  try {
    info = await connect(probe, options.node, options.cookie);
  } catch (e) {
    probe.stop();
    throw e;
  }
  return new Source(probe, info, options);
}

async function connect(probe: Probe, node: string, cookie: string): Promise<NodeInfo> {
  const r = await probe.request(tuple(atom('connect'), atom(node), atom(cookie)), 20_000);
  const m = r instanceof Map ? r : new Map();
  const uptime = Number(m.get('uptime_ms') ?? 0);
  return {
    node,
    otpRelease: String(m.get('otp_release') ?? '?'),
    ertsVersion: String(m.get('erts_version') ?? '?'),
    systemVersion: String(m.get('system_version') ?? ''),
    creation: Number(m.get('creation') ?? 0),
    schedulers: Number(m.get('schedulers') ?? 1),
    processLimit: Number(m.get('process_limit') ?? 0),
    startedAt: Date.now() - uptime,
    osPid: String(m.get('os_pid') ?? ''),
  };
}

class Source implements BeamSource {
  readonly model: NodeModel;
  readonly typedTerms = true;
  private readonly views = new Set<BeamView>();
  private readonly rate: number;
  private reconnecting: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    readonly probe: Probe,
    info: NodeInfo,
    private readonly options: BeamSourceOptions,
  ) {
    this.model = new NodeModel(probe, info);
    this.rate = Math.min(LIMITS.maxRate, Math.max(LIMITS.minRate, options.rate ?? 1));
    probe.onEvent((e) => {
      if (e.type === 'down') this.model.processDown(e.pid as Pid, e.reason);
      else if (e.type === 'nodedown') {
        options.log?.(`${options.node} is down (${e.reason}); reconnecting every ${RECONNECT_MS / 1000} s`);
        this.model.nodeDown(e.reason);
        this.scheduleReconnect();
      } else if (e.type === 'exit' && !this.stopped) {
        options.log?.(`the bridge's Erlang node stopped (${e.code ?? 'signal'})`);
      }
    });
  }

  get info(): NodeInfo {
    return this.model.info;
  }

  get startedAt(): number {
    return this.model.info.startedAt;
  }

  schedulerCount(): number {
    return this.model.info.schedulers;
  }

  openView(options: ViewOptions): SourceView {
    const limit = Math.min(options.limit, this.options.maxRows ?? LIMITS.defaultProcessLimit);
    const view = new BeamView(this.model, { ...options, limit }, 1000 / this.rate, this.rate, (v) => this.views.delete(v));
    this.views.add(view);
    return view;
  }

  recentEvents(pid: Pid, limit: number): InspectorEvent[] {
    return this.model.events.toArray().filter((e) => concerns(e, pid)).slice(-limit);
  }

  // --- Details ---

  async detail(pid: Pid, mailboxLimit: number): Promise<Omit<ProcessDetail, 'events'> | null> {
    if (this.model.down !== null || !isPidText(pid)) return null;
    const p = this.model.pidTerm(pid);
    const info = await this.model.eval(DETAIL, [['P', p]]);
    if (info === 'undefined' || !Array.isArray(info)) return null;
    const m = props(info);
    let row = this.model.rows.get(pid);
    if (row === undefined) {
      // Not among the shown rows: read it now, once.
      await this.model.readNewRows([pid]);
      row = this.model.rows.get(pid);
      if (row === undefined) return null;
    }
    const [mailbox, state] = await Promise.all([
      this.model.eval(MAILBOX, [['P', p], ['Limit', Math.min(mailboxLimit, LIMITS.defaultMailboxPreview * 4)], ['MaxRead', MAILBOX_READ_MAX]], 'each'),
      answersSys(row.behaviour) ? this.model.eval(STATE, [['P', p], ['TimeoutMs', STATE_TIMEOUT_MS]], 'whole').catch(() => null) : Promise.resolve(null),
    ]);
    const ancestors = props(m.get('dictionary')).get('$ancestors');
    const total = Number(m.get('message_queue_len') ?? 0);
    const messages = Array.isArray(mailbox) ? (mailbox as string[]) : [];
    return {
      row,
      monitoredBy: (Array.isArray(m.get('monitored_by')) ? (m.get('monitored_by') as unknown[]) : []).filter(isPidText).slice(0, LIMITS.detailPids),
      ancestors: (Array.isArray(ancestors) ? ancestors : []).filter(isPidText),
      mailbox: messages.map((text, index) => ({ index, arrivedAt: null, value: previewOf(text) })),
      mailboxTotal: total,
      state: typeof state === 'string' ? previewOf(state) : null,
    };
  }

  // --- Commands ---

  async exit(pid: Pid, reason: unknown): Promise<CommandResult> {
    if (!isPidText(pid)) return 'noproc';
    const r = await this.probe.request(tuple(atom('exit'), this.model.pidTerm(pid), this.toErlang(reason)));
    return r === 'ok' ? 'ok' : 'noproc';
  }

  async send(to: Pid | string, message: unknown): Promise<CommandResult> {
    const dest = isPidText(to) ? this.model.pidTerm(to) : atom(to);
    const r = await this.probe.request(tuple(atom('send'), dest, this.toErlang(message)));
    return r === 'ok' ? 'ok' : 'noproc';
  }

  trace(): Pid[] {
    throw new Error('tracing is not offered for a BEAM node by the bridge');
  }

  /**
   * A typed term as the Erlang term it names (atoms as atoms); any other value as Orchard would write it for
   * OTP (strings are atoms, as Orchard spells atoms: 'kill', 'normal', { shutdown: ... }).
   */
  toErlang(v: unknown): Encodable {
    if (v instanceof TypedTerm) return termToErlang(v.term, this.model.pidTerm);
    return plainToErlang(v, this.model.pidTerm);
  }

  // --- Applications and tables ---

  available(): Array<{ name: string; description: string }> {
    return [];
  }

  async isRunning(name: string): Promise<boolean> {
    return (await this.model.eval(IS_RUNNING, [['App', atom(name)]])) === true;
  }

  startApplication(): Promise<{ error: string }> {
    return Promise.resolve({ error: 'the bridge does not start applications on a BEAM node' });
  }

  stopApplication(): 'ok' | 'not_found' {
    throw new Error('the bridge does not stop applications on a BEAM node');
  }

  async tables(): Promise<TableRow[]> {
    if (this.model.down !== null) return [];
    const r = await this.model.eval(TABLES, []);
    if (!(r instanceof Tuple) || !Array.isArray(r[1])) return [];
    const wordSize = Number(r[0]);
    const rows: TableRow[] = [];
    for (const t of r[1] as unknown[]) {
      if (!(t instanceof Tuple)) continue;
      const row = tableRow(t[0], t[1], wordSize);
      if (row !== null) rows.push(row);
    }
    return rows;
  }

  /** A page of a public or protected table; a private one shows its size only, as in OTP's observer. */
  async table(name: string, offset: number, limit: number): Promise<{ total: number; rows: ValuePreview[] } | null> {
    if (this.model.down !== null) return null;
    const tables = await this.tables();
    const tab = tables.find((t) => t.id === name || t.name === name);
    if (tab === undefined) return null;
    if (tab.access === 'private') return { total: tab.size, rows: [] };
    const r = await this.model.eval(TABLE_PAGE, [['Id', tab.id], ['Offset', offset], ['Limit', Math.min(limit, 1000)]], 'pair_each');
    if (!(r instanceof Tuple)) return null;
    return { total: Number(r[0]), rows: (r[1] as string[]).map(previewOf) };
  }

  // --- Node down and back ---

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnecting !== null) return;
    this.reconnecting = setTimeout(() => {
      this.reconnecting = null;
      connect(this.probe, this.options.node, this.options.cookie).then(
        (info) => {
          this.options.log?.(`${this.options.node} is back (OTP ${info.otpRelease})`);
          this.model.nodeUp(info);
        },
        () => this.scheduleReconnect(),
      );
    }, RECONNECT_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnecting !== null) clearTimeout(this.reconnecting);
    for (const v of [...this.views]) v.close();
    this.probe.stop();
  }
}

function previewOf(text: string): ValuePreview {
  return { preview: text, truncated: text.endsWith('…') };
}

/** Typed term → Erlang term (term.ts's tags). */
export function termToErlang(t: Term, pid: (p: Pid) => RemotePid): Encodable {
  switch (t.t) {
    case 'atom':
      return new Atom(t.v);
    case 'int':
      return BigInt(t.v);
    case 'float':
      return new Float(t.v);
    case 'str':
      return t.v;
    case 'charlist':
      return new Charlist(t.v);
    case 'pid':
      return pid(t.v);
    case 'tuple':
      return Tuple.make(...t.v.map((x) => termToErlang(x, pid)));
    case 'list':
      return t.v.map((x) => termToErlang(x, pid));
    case 'map':
      return new Map(t.v.map(([k, v]) => [termToErlang(k, pid), termToErlang(v, pid)]));
  }
}

/** A plain value as Orchard's conventions read it: strings are atoms (pids stay pids), arrays lists, objects maps with atom keys. */
export function plainToErlang(v: unknown, pid: (p: Pid) => RemotePid): Encodable {
  if (typeof v === 'string') return isPidText(v) ? pid(v) : new Atom(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === null || v === undefined) return v as Encodable;
  if (Array.isArray(v)) return v.map((x) => plainToErlang(x, pid));
  if (typeof v === 'object') return new Map(Object.entries(v as object).map(([k, x]) => [new Atom(k), plainToErlang(x, pid)]));
  return String(v);
}

function concerns(e: InspectorEvent, pid: Pid): boolean {
  switch (e.type) {
    case 'orchard.process.exited':
      return e.pid === pid;
    case 'orchard.supervisor.restarted':
      return e.supervisor === pid || e.oldPid === pid || e.newPid === pid;
    default:
      return false;
  }
}
