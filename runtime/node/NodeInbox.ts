/**
 * The node's inbox: messages sent to the host pid of a scheduler (`node.pid`) arrive here, and
 * the host takes them with a selective receive that returns a promise (the host is not a
 * process, so it may await).
 */
import { TIMEOUT, type Timeout } from '../core/index.ts';

export type InboxMatch = ((m: any) => boolean) | Record<string, unknown>;

interface Waiter {
  match: (m: unknown) => boolean;
  resolve: (m: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout> | null;
}

export class NodeInbox {
  private readonly mailbox: unknown[] = [];
  private readonly waiters: Waiter[] = [];

  /** The oldest message that matches; with `after`, TIMEOUT when none came in time. */
  receive(match?: InboxMatch, options: { after?: number } = {}): Promise<unknown | Timeout> {
    const test = toPredicate(match);
    const i = this.mailbox.findIndex(test);
    if (i >= 0) return Promise.resolve(this.mailbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match: test, resolve, reject, timer: null };
      if (options.after !== undefined && options.after >= 0) {
        waiter.timer = setTimeout(() => {
          const k = this.waiters.indexOf(waiter);
          if (k >= 0) this.waiters.splice(k, 1);
          resolve(TIMEOUT);
        }, options.after);
      }
      this.waiters.push(waiter);
    });
  }

  /** A message for the node: to the first waiter it matches, else into the mailbox. */
  deliver(message: unknown): void {
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      if (w.match(message)) {
        this.waiters.splice(i, 1);
        if (w.timer !== null) clearTimeout(w.timer);
        w.resolve(message);
        return;
      }
    }
    this.mailbox.push(message);
  }

  /** Fails every pending receive (the node stopped). */
  close(reason: Error): void {
    for (const w of this.waiters.splice(0)) {
      if (w.timer !== null) clearTimeout(w.timer);
      w.reject(reason);
    }
  }
}

function toPredicate(match: InboxMatch | undefined): (m: unknown) => boolean {
  if (match === undefined) return () => true;
  if (typeof match === 'function') return match;
  const keys = Object.keys(match);
  return (m) => typeof m === 'object' && m !== null && keys.every((k) => (m as Record<string, unknown>)[k] === match[k]);
}
