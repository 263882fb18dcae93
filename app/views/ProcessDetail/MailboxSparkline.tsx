import { useEffect, useRef, useState } from 'react';
import type { ProcessDetail } from '../../protocol.ts';
import styles from './MailboxSparkline.module.css';

const KEEP = 120;
const W = 140;
const H = 22;

/**
 * The mailbox length over the last updates, as a line: a queue that keeps growing shows at a
 * glance (none of the surveyed tools draws one). Sampled at each detail update
 * (the runtime sends one only when something changed).
 */
export function MailboxSparkline({ detail }: { detail: ProcessDetail | null }) {
  const samples = useRef<number[]>([]);
  const [, redraw] = useState(0);
  useEffect(() => {
    if (detail === null) return;
    samples.current.push(detail.mailboxTotal);
    if (samples.current.length > KEEP) samples.current.shift();
    redraw((n) => n + 1);
  }, [detail]);
  const xs = samples.current;
  if (xs.length < 2) return null;
  const max = Math.max(1, ...xs);
  // Newest at the right edge, so the line grows leftwards as samples come.
  const points = xs.map((v, i) => `${(W - ((xs.length - 1 - i) / (KEEP - 1)) * W).toFixed(1)},${(H - 1 - (v / max) * (H - 2)).toFixed(1)}`).join(' ');
  return (
    <span className={styles.spark} title={`mailbox length, last ${xs.length} updates (peak ${max})`}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} aria-hidden="true">
        <polyline points={points} />
      </svg>
      <span className={styles.peak}>peak {max}</span>
    </span>
  );
}
