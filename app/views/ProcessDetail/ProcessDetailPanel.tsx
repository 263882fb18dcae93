import { useEffect } from 'react';
import { useObserver, useRuntime, useSession, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import type { Pid } from '../../protocol.ts';
import { displayName } from '../../store/processQuery.ts';
import { DetailEvents } from './DetailEvents.tsx';
import { MailboxList } from './MailboxList.tsx';
import { MailboxSparkline } from './MailboxSparkline.tsx';
import { ProcessFields } from './ProcessFields.tsx';
import { RelationLists } from './RelationLists.tsx';
import { SendMessageForm } from './SendMessageForm.tsx';
import { ApplicationSpec, SysStatus, WaitingIn } from './SysSections.tsx';
import styles from './ProcessDetailPanel.module.css';

/**
 * The process detail side panel, openable from every view. While it is open the session
 * watches the process: its detail (mailbox, state, events) streams at the refresh rate.
 */
export function ProcessDetailPanel() {
  const pid = useUi((s) => s.selected);
  if (pid === null) return null;
  return <DetailFor key={pid} pid={pid} />;
}

function DetailFor({ pid }: { pid: Pid }) {
  const session = useSession();
  const { closeDetail, askKill, setTab } = useUiActions();
  const tab = useUi((s) => s.tab);
  // A recorded moment has the details that were fetched while recording, and no others.
  const replaying = useObserver().replaying === true;
  const fetched = useRuntime((s) => s.details.has(pid));
  const unrecorded = replaying && !fetched;
  useEffect(() => session.watch(pid), [session, pid]);
  const row = useRuntime((s) => s.processes.get(pid));
  const detail = useRuntime((s) => s.details.get(pid));
  const departed = useRuntime((s) => s.departed.get(pid));
  const shown = row ?? detail?.row ?? departed?.row;
  const alive = row !== undefined || (detail !== null && detail !== undefined);
  const inTree = useRuntime((s) => shown !== undefined && (shown.supervisor !== null || s.supervisors.has(pid) || s.applications.some((a) => a.master === pid)));

  return (
    <aside className={styles.panel} aria-label="Process detail" data-testid="process-detail">
      <header className={styles.header}>
        <h2 className={styles.title}>
          <code className={styles.pid}>{pid}</code>
          <span className={styles.name}>{shown ? displayName(shown) : ''}</span>
        </h2>
        <button type="button" className={styles.close} onClick={closeDetail} aria-label="Close detail (Esc)" title="Close (Esc)">
          ×
        </button>
      </header>
      {!alive && detail !== undefined ? (
        <p className={styles.dead} role="status">
          This process has exited{departed?.reason ? <> with reason <code>{departed.reason}</code></> : null}.
        </p>
      ) : null}
      <div className={styles.actions}>
        <button type="button" className={styles.danger} disabled={!alive} onClick={() => askKill(pid)} title="Kill or exit with a reason (k)">
          Kill / exit…
        </button>
        {inTree && tab !== 'applications' ? (
          <button type="button" onClick={() => setTab('applications')} title="Open the Applications tab with this process revealed">
            Show in tree
          </button>
        ) : null}
      </div>
      <div className={styles.scroll}>
        {unrecorded ? (
          <p className={styles.dim} role="status" data-testid="detail-not-recorded">
            Not fetched at this moment of the recording: its mailbox, state and events were not recorded{shown ? ', only its row' : ''}.
          </p>
        ) : null}
        {shown ? <ProcessFields row={shown} /> : unrecorded ? null : <p className={styles.dim}>Loading…</p>}
        {detail?.application !== undefined ? (
          <section className={styles.section}>
            <h3>Application</h3>
            <ApplicationSpec detail={detail} />
          </section>
        ) : null}
        {alive && detail ? (
          <section className={styles.section}>
            <h3>Waiting in</h3>
            <WaitingIn detail={detail} />
          </section>
        ) : null}
        {alive && detail?.sys !== undefined ? (
          <section className={styles.section}>
            <h3>{detail.sys.behaviour} status</h3>
            <SysStatus pid={pid} detail={detail} />
          </section>
        ) : null}
        <section className={styles.section}>
          <h3>
            Mailbox <span className={styles.count} data-testid="mailbox-total">{detail?.mailboxTotal ?? shown?.mailbox ?? 0}</span>
            <MailboxSparkline detail={detail ?? null} />
          </h3>
          <MailboxList detail={detail ?? null} />
        </section>
        <section className={styles.section}>
          <h3>State</h3>
          {detail?.state ? (
            <pre className={styles.state} data-testid="process-state">
              {detail.state.preview}
              {detail.state.truncated ? '…' : ''}
            </pre>
          ) : (
            <p className={styles.dim}>{detail === undefined ? (unrecorded ? 'Not recorded.' : 'Loading…') : 'No behaviour state (a plain process).'}</p>
          )}
        </section>
        {shown ? <RelationLists row={shown} detail={detail ?? null} /> : null}
        {alive ? (
          <section className={styles.section}>
            <h3>Send a message</h3>
            <SendMessageForm to={pid} />
          </section>
        ) : null}
        <section className={styles.section}>
          <h3>Recent events</h3>
          <DetailEvents events={detail?.events ?? []} />
        </section>
      </div>
    </aside>
  );
}
