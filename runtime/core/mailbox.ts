/**
 * Taking a message from a process's mailbox: the first one, or the first one a receive's
 * pattern matches (selective receive, reference manual "Receive"). The mailbox is an array
 * with a moving head: taking the first message clears its cell and moves the head, so the
 * common case costs O(1); the consumed head is cut off once it dominates the array.
 */
import type { Process } from './Process.ts';
import type { Matcher } from './receive.ts';

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

function takeAt(p: Process, q: unknown[], h: number, n: number): unknown {
  const m = q[h];
  if (h + 1 === n) {
    q.length = 0;
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
