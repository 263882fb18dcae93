/**
 * A process is a small record (DESIGN decision 1): a mailbox, what it waits for, and its links
 * and monitors. Rarely used fields live in `ext`, allocated on first use, so that an idle
 * process stays a few hundred bytes.
 */
import type { Pid, Ref } from './pid.ts';
import type { RefMap, RefSet } from './RefTable.ts';
import type { Wait } from './receive.ts';
import type { Entry } from './TimerHeap.ts';

export const Status = { Runnable: 0, Running: 1, Waiting: 2, Exiting: 3, Exited: 4 } as const;
export type Status = (typeof Status)[keyof typeof Status];

export const STATUS_NAMES = ['runnable', 'running', 'waiting', 'exiting', 'exited'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/**
 * Traced: message tracing on. Changed: in the scheduler's `watch` list (see Scheduler.changed).
 * ArmTimer: in the scheduler's list of receive timeouts to arm when the slice ends.
 */
export const Flag = { TrapExit: 1, TimedOut: 2, Traced: 4, Changed: 8, ArmTimer: 16 } as const;

export type Body = (...args: any[]) => Generator<Wait, unknown, any> | unknown;

/** Presents a behaviour's state to the inspector (like gen_server's format_status). */
export type StateReporter = () => unknown;

export interface ProcessExt {
  name: string | null;
  label: string | null;
  /** The behaviour this process runs ('GenServer', 'Supervisor'…), for the inspector. */
  behaviour: string | null;
  /** Set by behaviours: how the inspector shows this process's state. */
  reportState: StateReporter | null;
  /** A behaviour loop suspended while a generator (a blocking call) runs. */
  saved: Wait | null;
  /** Free-form data behaviours publish for the inspector (supervisor flags, child info). */
  dict: Map<string, unknown> | null;
  /**
   * Active reply aliases (OTP's process aliases): a reply sent to an inactive alias is dropped,
   * so a call that timed out never leaves its late reply in the mailbox.
   */
  aliases: RefSet | null;
  /** The ref a blocking call waits for; read by matchers shared between processes. */
  awaiting: Ref | null;
  /**
   * A selective receive's saved position (see mailbox.ts takeWaiting): the wait that looked,
   * and the mailbox index up to which it found nothing.
   */
  scanWait: Wait | null;
  scan: number;
}

export class Process {
  status: Status = Status.Runnable as Status;
  flags = 0;
  reductions = 0;
  mbox: unknown[] | null = null;
  mhead = 0;
  wait: Wait | null = null;
  waitTimer: Entry | null = null;
  /** Before the first turn: the body to start. After: the running generator, if any. */
  gen: Generator<Wait, unknown, unknown> | (() => unknown) | null;
  links: Set<Pid> | null = null;
  /** Monitors this process holds: ref → monitored pid. */
  monitors: RefMap<Pid> | null = null;
  /** Monitors on this process: ref → watching pid. */
  monitoredBy: RefMap<Pid> | null = null;
  ext: ProcessExt | null = null;

  constructor(
    readonly pid: Pid,
    /** Module name or function name: OTP's initial call. */
    readonly init: string,
    readonly parent: Pid | null,
    readonly startedAt: number,
    start: () => unknown,
  ) {
    this.gen = start;
  }

  get mailboxLength(): number {
    return this.mbox === null ? 0 : this.mbox.length - this.mhead;
  }

  get trapExit(): boolean {
    return (this.flags & Flag.TrapExit) !== 0;
  }

  get alive(): boolean {
    return this.status < Status.Exiting;
  }

  extension(): ProcessExt {
    return (this.ext ??= { name: null, label: null, behaviour: null, reportState: null, saved: null, dict: null, aliases: null, awaiting: null, scanWait: null, scan: 0 });
  }
}

/**
 * V8 gives a class's objects their final in-object layout after the first few are built. If a
 * full GC runs while none of those first ones is alive, every later record keeps its fields
 * out of line: 32 more bytes per process and a slower field load, for the page's whole life.
 * A few records built now and kept pin the compact layout.
 */
const LAYOUT_ANCHOR: Process[] = [];
for (let i = 0; i < 8; i++) LAYOUT_ANCHOR.push(new Process('<0.0.0>' as Pid, 'layout', null, 0, () => undefined));
