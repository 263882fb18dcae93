import { useState } from 'react';
import type { InspectorEvent } from '../../runtime/protocol/index.ts';
import { useRuntime } from '../context/ObserverContext.tsx';
import styles from './ConnectionBanner.module.css';
import own from './WatchdogBanner.module.css';

type Replaced = Extract<InspectorEvent, { type: 'orchard.scheduler.replaced' }>;

/**
 * Says when the watchdog replaced a silent scheduler: the scheduler, how long it was silent and
 * the setting that changes it. A worker paused in DevTools (a breakpoint, a heap snapshot) is
 * as silent as a runaway handler, and without this its processes would vanish unexplained.
 */
export function WatchdogBanner() {
  const last = useRuntime((s) => lastReplaced(s.events));
  const [dismissed, setDismissed] = useState<number | null>(null);
  if (last === null || !last.reason.startsWith('unresponsive') || dismissed === last.at) return null;
  const silence = /no answer for (\d+) ms/.exec(last.reason)?.[1];
  return (
    <div className={`${styles.banner} ${styles.paused}`} role="status" data-testid="watchdog-banner">
      <strong className={own.title}>Scheduler {last.scheduler} was replaced by the watchdog</strong>
      <span className={own.message}>
        after {silence === undefined ? 'a long' : `${silence} ms of`} silence at {new Date(last.at).toLocaleTimeString()}; its processes exited.
        A worker paused in DevTools is silent too: open the Observer with <code>?watchdog=off</code> to only warn.
      </span>
      <button type="button" onClick={() => setDismissed(last.at)}>
        Dismiss
      </button>
    </div>
  );
}

function lastReplaced(events: readonly InspectorEvent[]): Replaced | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'orchard.scheduler.replaced') return e;
  }
  return null;
}
