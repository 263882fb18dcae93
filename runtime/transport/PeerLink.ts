/**
 * One direction pair between two schedulers: a MessagePort and, when the page is cross-origin
 * isolated, a SharedArrayBuffer ring each way. Signals queue in a flat batch during a slice
 * and leave together when it ends (DESIGN decision 6): through the ring when the batch
 * encodes and fits, else over the port with structured clone.
 *
 * Batches carry a sequence number, so that the receiver applies them in the order they were
 * sent whichever way each one came: before a port batch it drains the ring up to it, and it
 * leaves a ring batch in place until the port batches before it have arrived.
 *
 * Each batch also acknowledges how many signals this side has applied from the other;
 * `inFlight` counts what the other side has not acknowledged yet, and the router stops running
 * processes while it is high, so a fast sender cannot pile up work in a slow receiver.
 */
import { BatchDecoder, BatchEncoder } from './batchCodec.ts';
import { SharedRing } from './SharedRing.ts';
import { OPERANDS, type MessagePortLike } from './wire.ts';

/** Posted on the port to wake a receiver that sleeps on its ring. */
export const WAKE = -1;

export interface Rings {
  out: SharedArrayBuffer;
  in: SharedArrayBuffer;
}

export class PeerLink {
  /** The batch being filled: slot 0 is the acknowledgement, slot 1 the sequence number. */
  private out: unknown[] = [0, 0];
  private seq = 0;
  /** The sequence number of the next batch to apply from the peer. */
  nextSeq = 0;
  /** Signals in `out`. */
  queued = 0;
  /** Signals posted and not yet acknowledged by the peer. */
  inFlight = 0;
  /** Signals applied from the peer and not yet acknowledged to it. */
  ackDue = 0;
  batchesOut = 0;
  ringBatches = 0;
  /** A task to go on applying what is due is on its way (see Router.drain). */
  drainQueued = false;
  /** Batches that came over the port and are not applied yet, in arrival order. */
  readonly portIn: unknown[][] = [];
  readonly ringOut: SharedRing | null;
  readonly ringIn: SharedRing | null;
  private readonly encoder: BatchEncoder | null;
  readonly decoder: BatchDecoder | null;

  constructor(
    readonly id: number,
    readonly port: MessagePortLike,
    /** Told about each signal structured clone refused when the batch was posted. */
    private readonly undeliverable: (ops: unknown[], error: unknown) => void,
    rings: Rings | null = null,
  ) {
    this.ringOut = rings === null ? null : new SharedRing(rings.out);
    this.ringIn = rings === null ? null : new SharedRing(rings.in);
    this.encoder = rings === null ? null : new BatchEncoder();
    this.decoder = rings === null ? null : new BatchDecoder();
  }

  // One push per slot: V8 runs Array#push with several arguments about 3x slower.

  push1(op: number, a: unknown): void {
    const out = this.out;
    out.push(op);
    out.push(a);
    this.queued++;
  }

  push2(op: number, a: unknown, b: unknown): void {
    const out = this.out;
    out.push(op);
    out.push(a);
    out.push(b);
    this.queued++;
  }

  push3(op: number, a: unknown, b: unknown, c: unknown): void {
    const out = this.out;
    out.push(op);
    out.push(a);
    out.push(b);
    out.push(c);
    this.queued++;
  }

  push4(op: number, a: unknown, b: unknown, c: unknown, d: unknown): void {
    const out = this.out;
    out.push(op);
    out.push(a);
    out.push(b);
    out.push(c);
    out.push(d);
    this.queued++;
  }

  pushN(op: number, operands: readonly unknown[]): void {
    const out = this.out;
    out.push(op);
    for (const x of operands) out.push(x);
    this.queued++;
  }

  /** Sends the batch (and any acknowledgement due). Returns true when something was sent. */
  flush(): boolean {
    if (this.queued === 0 && this.ackDue === 0) return false;
    const batch = this.out;
    batch[0] = this.ackDue;
    batch[1] = this.seq++;
    this.out = [0, 0];
    this.inFlight += this.queued;
    this.queued = 0;
    this.ackDue = 0;
    this.batchesOut++;
    if (this.ringOut !== null && this.toRing(batch)) return true;
    try {
      this.port.postMessage(batch);
    } catch (e) {
      this.salvage(batch, e);
    }
    return true;
  }

  private toRing(batch: unknown[]): boolean {
    const encoder = this.encoder!;
    const n = encoder.encode(batch);
    if (n < 0) return false;
    if (!this.ringOut!.write(encoder.bytes, n)) {
      encoder.rollback();
      return false;
    }
    this.ringBatches++;
    if (this.ringOut!.wakeNeeded()) this.port.postMessage(WAKE);
    return true;
  }

  /** Takes an acknowledgement from the peer. */
  acknowledged(count: number): void {
    this.inFlight -= count;
    if (this.inFlight < 0) this.inFlight = 0;
  }

  /**
   * A batch failed to clone (a host object the send-time check could not know): posts its
   * signals one by one, in order, and reports those that fail, so nothing is lost silently.
   */
  private salvage(batch: unknown[], first: unknown): void {
    let ack = batch[0] as number;
    let seq = batch[1] as number;
    let posted = false;
    for (let i = 2; i < batch.length; ) {
      const op = batch[i] as number;
      const end = i + 1 + (OPERANDS[op] ?? 0);
      try {
        this.port.postMessage([ack, seq, ...batch.slice(i, end)]);
        posted = true;
        ack = 0;
        seq = this.seq++;
      } catch (e) {
        this.inFlight--;
        this.undeliverable(batch.slice(i, end), e ?? first);
      }
      i = end;
    }
    // The sequence number taken last is still owed to the peer: an empty batch pays it.
    if (!posted || seq !== batch[1]) this.port.postMessage([ack, seq]);
  }
}
