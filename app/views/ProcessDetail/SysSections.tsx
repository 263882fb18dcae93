import { useState } from 'react';
import { PidLink } from '../../components/PidLink.tsx';
import { useSession } from '../../context/ObserverContext.tsx';
import type { Pid, ProcessDetail } from '../../protocol.ts';
import styles from './SysSections.module.css';

/**
 * Where the process waits: the receive it is blocked in, its timeout and its source line
 * (Observer's "Current function"; the runtime locates receives only while a detail is open).
 */
export function WaitingIn({ detail }: { detail: ProcessDetail }) {
  const w = detail.waiting;
  if (w === undefined) return <p className={styles.dim}>{detail.row.status === 'waiting' ? 'The runtime does not say.' : `Not waiting: ${detail.row.status}.`}</p>;
  return (
    <dl className={styles.fields} data-testid="waiting-in">
      <dt>Receive</dt>
      <dd>{w.receive}</dd>
      <dt>Timeout</dt>
      <dd>{w.timeoutMs === undefined ? 'infinity' : `${w.timeoutMs.toLocaleString('en-US')} ms left`}</dd>
      <dt>Source</dt>
      <dd>{w.location !== undefined ? <code>{w.location}</code> : <span className={styles.dim}>not known yet (located from its next receive on)</span>}</dd>
    </dl>
  );
}

/** sys:get_status for a GenServer, with sys:suspend/1 and sys:resume/1. */
export function SysStatus({ pid, detail }: { pid: Pid; detail: ProcessDetail }) {
  const session = useSession();
  const sys = detail.sys!;
  const [result, setResult] = useState<string | null>(null);
  const toggle = async () => {
    const r = sys.suspended ? await session.resume(pid) : await session.suspend(pid);
    setResult(r.ok ? null : `${r.code}: ${r.message}`);
  };
  return (
    <>
      <dl className={styles.fields} data-testid="sys-status">
        <dt>Behaviour</dt>
        <dd>{sys.behaviour}</dd>
        <dt>Module</dt>
        <dd>
          <code>{sys.module}</code>
        </dd>
        <dt>Status</dt>
        <dd data-testid="sys-suspended">{sys.suspended ? <span className={styles.suspended}>suspended</span> : 'running'}</dd>
        <dt>Last message</dt>
        <dd>
          {sys.lastMessage === undefined ? (
            <span className={styles.dim}>none yet</span>
          ) : (
            <>
              <code>
                {sys.lastMessage.preview}
                {sys.lastMessage.truncated ? '…' : ''}
              </code>
              {sys.from !== undefined ? (
                <>
                  {' '}
                  <span className={styles.dim}>from</span> <PidLink pid={sys.from} />
                </>
              ) : null}
            </>
          )}
        </dd>
      </dl>
      <div className={styles.row}>
        <button type="button" onClick={() => void toggle()} title={sys.suspended ? 'sys:resume/1: handle the queued messages again' : 'sys:suspend/1: handle system messages only; the rest wait in the mailbox'}>
          {sys.suspended ? 'Resume' : 'Suspend'}
        </button>
        {result !== null ? (
          <span className={styles.error} role="status">
            {result}
          </span>
        ) : null}
      </div>
    </>
  );
}

/** An application master's spec, as Observer's Applications pane and Application.spec/1 show it. */
export function ApplicationSpec({ detail }: { detail: ProcessDetail }) {
  const a = detail.application!;
  const env = Object.entries(a.env);
  return (
    <dl className={styles.fields} data-testid="application-spec">
      <dt>Application</dt>
      <dd>{a.name}</dd>
      <dt>Description</dt>
      <dd>{a.description || '—'}</dd>
      <dt>Version</dt>
      <dd>
        <code>{a.vsn || '—'}</code>
      </dd>
      <dt>Start type</dt>
      <dd>{a.startType}</dd>
      <dt>Environment</dt>
      <dd>
        {env.length === 0 ? (
          <span className={styles.dim}>empty</span>
        ) : (
          <ul className={styles.env}>
            {env.map(([k, v]) => (
              <li key={k}>
                <code>{k}</code> <span className={styles.dim}>=</span> <code>{v}</code>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}
