import { PidLink } from '../../components/PidLink.tsx';
import type { InspectorEvent } from '../../protocol.ts';
import { eventKind } from './eventMeta.ts';
import styles from './EventSummary.module.css';

/** One event in words, pids clickable. */
export function EventSummary({ event: e }: { event: InspectorEvent }) {
  const kind = eventKind(e);
  return (
    <span className={styles.summary}>
      <span className={styles.kind} data-tone={kind.tone}>
        {kind.label}
      </span>
      <Body e={e} />
    </span>
  );
}

function Body({ e }: { e: InspectorEvent }) {
  switch (e.type) {
    case 'orchard.process.spawned':
      return (
        <>
          <PidLink pid={e.pid} /> <code>{e.initialCall}</code>
          {e.parent ? (
            <>
              {' '}
              by <PidLink pid={e.parent} />
            </>
          ) : null}
        </>
      );
    case 'orchard.process.exited':
      return (
        <>
          <PidLink pid={e.pid} /> <Reason r={e.reason} />
          {e.crash !== undefined ? <span className={styles.crash}> crash report in Log</span> : null}
        </>
      );
    case 'orchard.process.linked':
    case 'orchard.process.unlinked':
      return (
        <>
          <PidLink pid={e.pid} /> ↔ <PidLink pid={e.other} />
        </>
      );
    case 'orchard.process.monitored':
      return (
        <>
          <PidLink pid={e.pid} /> watches <PidLink pid={e.target} />
        </>
      );
    case 'orchard.process.down':
      return (
        <>
          <PidLink pid={e.pid} /> saw <PidLink pid={e.target} /> go down <Reason r={e.reason} />
          {e.ref !== undefined ? <code title="the monitor this DOWN is for"> {e.ref}</code> : null}
        </>
      );
    case 'orchard.supervisor.restarted':
      return (
        <>
          <PidLink pid={e.supervisor} /> restarted <code>{e.childId}</code> {e.oldPid ? <PidLink pid={e.oldPid} /> : '—'} → {e.newPid ? <PidLink pid={e.newPid} /> : '—'} <Reason r={e.reason} />
        </>
      );
    case 'orchard.supervisor.intensity_exceeded':
      return (
        <>
          <PidLink pid={e.supervisor} /> gave up: {e.restarts} restarts, more than {e.intensity} in {e.period}s
        </>
      );
    case 'orchard.scheduler.replaced':
      return (
        <>
          scheduler {e.scheduler} replaced <Reason r={e.reason} />
        </>
      );
    case 'orchard.trace.send':
      return (
        <>
          <PidLink pid={e.from} /> → <PidLink pid={e.to} /> <code>{e.message}</code>
        </>
      );
    case 'orchard.trace.receive':
      return (
        <>
          <PidLink pid={e.pid} /> got <code>{e.message}</code>
        </>
      );
    case 'orchard.process.unexpected_message':
      return (
        <>
          <PidLink pid={e.pid} /> dropped <code>{e.message}</code> (no {e.callback})
        </>
      );
  }
}

function Reason({ r }: { r: string }) {
  const normal = r === 'normal' || r === 'shutdown';
  return <code className={normal ? styles.normal : styles.reason}>{r}</code>;
}
