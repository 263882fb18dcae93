/**
 * One direction pair between two schedulers over a MessagePort: signals queue in a flat batch
 * during a slice and leave in one postMessage when it ends (DESIGN decision 6). Each batch
 * acknowledges how many signals this side has applied from the other, and `inFlight` counts
 * what the other side has not acknowledged yet: the router stops running processes while it is
 * high, so a fast sender cannot pile up clones in a slow receiver's port.
 */
import { OPERANDS, type MessagePortLike } from './wire.ts';

export class PeerLink {
  /** The batch being filled: slot 0 is reserved for the acknowledgement. */
  private out: unknown[] = [0];
  /** Signals in `out`. */
  queued = 0;
  /** Signals posted and not yet acknowledged by the peer. */
  inFlight = 0;
  /** Signals applied from the peer and not yet acknowledged to it. */
  ackDue = 0;
  batchesOut = 0;

  constructor(
    readonly id: number,
    readonly port: MessagePortLike,
    /** Told about each signal structured clone refused when the batch was posted. */
    private readonly undeliverable: (ops: unknown[], error: unknown) => void,
  ) {}

  push1(op: number, a: unknown): void {
    this.out.push(op, a);
    this.queued++;
  }

  push2(op: number, a: unknown, b: unknown): void {
    this.out.push(op, a, b);
    this.queued++;
  }

  push3(op: number, a: unknown, b: unknown, c: unknown): void {
    this.out.push(op, a, b, c);
    this.queued++;
  }

  push4(op: number, a: unknown, b: unknown, c: unknown, d: unknown): void {
    this.out.push(op, a, b, c, d);
    this.queued++;
  }

  pushN(op: number, operands: readonly unknown[]): void {
    this.out.push(op, ...operands);
    this.queued++;
  }

  /** Posts the batch (and any acknowledgement due). Returns true when something was posted. */
  flush(): boolean {
    if (this.queued === 0 && this.ackDue === 0) return false;
    const batch = this.out;
    batch[0] = this.ackDue;
    this.out = [0];
    this.inFlight += this.queued;
    this.queued = 0;
    this.ackDue = 0;
    this.batchesOut++;
    try {
      this.port.postMessage(batch);
    } catch (e) {
      this.salvage(batch, e);
    }
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
    const ack = batch[0];
    let i = 1;
    let acked = false;
    while (i < batch.length) {
      const op = batch[i] as number;
      const end = i + 1 + (OPERANDS[op] ?? 0);
      const single = [acked ? 0 : ack, ...batch.slice(i, end)];
      try {
        this.port.postMessage(single);
        acked = true;
      } catch (e) {
        this.inFlight--;
        this.undeliverable(batch.slice(i, end), e ?? first);
      }
      i = end;
    }
    if (!acked && (ack as number) > 0) this.port.postMessage([ack]);
  }
}
