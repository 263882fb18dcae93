/**
 * Taking a message from a process's mailbox: the first one, or the first one a receive's
 * pattern matches (selective receive, reference manual "Receive"). The mailbox is an array
 * with a moving head: taking the first message clears its cell and moves the head, so the
 * common case costs O(1); the consumed head is cut off once it dominates the array.
 */
import type { Process } from './Process.ts';
import type { Matcher, Wait } from './receive.ts';

/** What `take` returns when no message matches (a message may be any value, undefined too). */
export const NONE: unique symbol = Symbol('none');

export function take(p: Process, match: Matcher): unknown {
  const q = p.mbox;
  if (q === null) return NONE;
  const h = p.mhead;
  const n = q.length;
  if (h >= n) return NONE;
  if (match === null) return takeAt(p, q, h, n);
  for (let i = h; i < n; i++) {
    if (match(q[i], p)) {
      if (i === h) return takeAt(p, q, h, n);
      const m = q[i];
      q.splice(i, 1);
      return m;
    }
  }
  return NONE;
}

/**
 * `take` for a process in a receive that may have looked before: it resumes where that look
 * stopped, so that each wake-up checks only the messages that came since. Without this, a
 * process waiting for one message under a flood of others rescans its whole mailbox per
 * incoming batch, and a scheduler that accepts millions of messages stalls (the BEAM keeps the
 * same saved position per receive: erts beam_emu `loop_rec` / `wait`).
 *
 * The position is valid while the process runs no code: a match clears it, and the scheduler
 * clears it (`forgetScan`) before it resumes the process with TIMEOUT.
 */
export function takeWaiting(p: Process, w: Wait): unknown {
  const match = w.match;
  if (match === null) return take(p, null);
  const q = p.mbox;
  if (q === null) return NONE;
  const h = p.mhead;
  const n = q.length;
  const ext = p.ext;
  let i = ext !== null && ext.scanWait === w && ext.scan > h ? ext.scan : h;
  for (; i < n; i++) {
    if (match(q[i], p)) {
      if (ext !== null) ext.scanWait = null;
      if (i === h) return takeAt(p, q, h, n);
      const m = q[i];
      q.splice(i, 1);
      return m;
    }
  }
  // Only worth remembering past a few messages: most receives find theirs at once.
  if (n - h > 8 || ext !== null) {
    const e = p.extension();
    e.scanWait = w;
    e.scan = n;
  }
  return NONE;
}

/** Drops a receive's saved position: its process is about to run code that may change the mailbox. */
export function forgetScan(p: Process): void {
  if (p.ext !== null) p.ext.scanWait = null;
}

function takeAt(p: Process, q: unknown[], h: number, n: number): unknown {
  const m = q[h];
  if (h + 1 === n) {
    // The last one: pop keeps the array's storage for the next message, where `length = 0`
    // gives it back and the next push allocates it again (a ping-pong mailbox empties per message).
    if (h === 0) q.pop();
    else q.length = 0;
    p.mhead = 0;
  } else {
    q[h] = undefined;
    p.mhead = h + 1;
    // Compact once the consumed head dominates, keeping take O(1) amortized.
    if (h > 64 && h * 2 > n) {
      q.splice(0, h + 1);
      p.mhead = 0;
    }
  }
  return m;
}

/** The messages waiting in `p`'s mailbox, oldest first, as a new array (process_info messages). */
export function messages(p: Process): unknown[] {
  const q = p.mbox;
  return q === null ? [] : q.slice(p.mhead);
}
