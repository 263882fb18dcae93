/**
 * The one kill form, wherever a kill starts (the `k` key, the detail panel's button, the tree's
 * right click): the exit reason, the blast radius (blastRadius.ts: who dies, who is restarted,
 * which supervisor gives up), and the send. The kill dialog and the tree's menu only place it.
 *
 * It refuses to arm a kill that would miss its aim: on a process that has already died (its
 * death arrived while the form was open: a kill now would answer `noproc`, or land on nothing),
 * and on a selection the runtime moved (followSelection.ts): after a worker's escalation the
 * selection falls back to a supervisor, and `k`, Enter must not kill that supervisor.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Session } from '../client/Session.ts';
import { type BlastRadius, blastRadius } from '../layout/blastRadius.ts';
import type { Pid } from '../protocol.ts';
import type { SelectionMove } from '../store/followSelection.ts';
import { displayName } from '../store/processQuery.ts';
import type { RuntimeStore } from '../store/runtimeStore.ts';
import { type ExitChoice, ExitReasonField, reasonValue } from './ExitReasonField.tsx';
import styles from './KillForm.module.css';

export interface KillFormProps {
  pid: Pid;
  runtime: RuntimeStore;
  session: Session;
  /** The radio group's name, unique on the page. */
  name: string;
  canControl: boolean;
  /** Set when the runtime moved the selection to `pid`: the form explains and sends nothing. */
  moved: SelectionMove | null;
  dense?: boolean;
  /** The blast radius while it is shown, for the tree to draw (null when there is none). */
  onBlast?(blast: BlastRadius | null): void;
  /** The signal went out; `reason` as sent. */
  onSent(reason: unknown): void;
  onCancel(): void;
}

export function KillForm({ pid, runtime, session, name, canControl, moved, dense, onBlast, onSent, onCancel }: KillFormProps) {
  const [choice, setChoice] = useState<ExitChoice>('kill');
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const row = useStore(runtime, (s) => s.processes.get(pid));
  const departed = useStore(runtime, (s) => (s.processes.has(pid) ? undefined : s.departed.get(pid)));
  const reason = reasonValue(choice, custom);
  const reasonKey = reason.ok ? JSON.stringify(reason.value) : null;
  const armed = moved === null && departed === undefined;

  // Computed once per target and reason, not per tick: with 100,000 processes the link index
  // costs tens of milliseconds.
  const blast = useMemo(() => (armed && reason.ok ? blastRadius(runtime.getState(), pid, reason.value) : null), [pid, reasonKey, armed]);
  const blastRef = useRef(onBlast);
  blastRef.current = onBlast;
  useEffect(() => {
    blastRef.current?.(blast);
  }, [blast]);
  useEffect(() => () => blastRef.current?.(null), []);

  const submit = async () => {
    if (!armed || busy) return;
    if (!reason.ok) return setError(reason.message);
    setBusy(true);
    const result = choice === 'kill' ? await session.kill(pid) : await session.exit(pid, reason.value);
    setBusy(false);
    if (!result.ok) return setError(`${result.code}: ${result.message}`);
    onSent(choice === 'kill' ? 'kill' : reason.value);
  };

  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className={styles.target}>
        <code>{pid}</code> {row !== undefined ? displayName(row) : departed !== undefined ? displayName(departed.row) : '(not in the process list)'}
        {row?.trapExit ? <span className={styles.trap}> traps exits</span> : null}
      </p>
      {moved !== null ? (
        <p className={styles.stale} role="alert" data-testid="kill-disarmed">
          The selection moved here by itself: <code>{moved.from}</code> exited{moved.reason !== null ? <> (<code>{moved.reason}</code>)</> : null}
          {moved.to === 'successor' ? ' and this process took its place' : ' and this is its nearest living ancestor'}. Select it to kill it.
        </p>
      ) : departed !== undefined ? (
        <p className={styles.stale} role="alert" data-testid="kill-disarmed">
          <code>{pid}</code> has exited{departed.reason !== null ? <> with reason <code>{departed.reason}</code></> : null}: there is nothing to kill.
        </p>
      ) : (
        <>
          <ExitReasonField
            name={name}
            choice={choice}
            custom={custom}
            dense={dense}
            onChoice={(c) => {
              setError(null);
              setChoice(c);
            }}
            onCustom={setCustom}
          />
          {blast !== null ? <BlastSummary blast={blast} runtime={runtime} /> : <p className={styles.note}>Type a reason to see what it would do.</p>}
        </>
      )}
      {error !== null ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.foot}>
        {!canControl ? <span className={styles.note}>This runtime granted observe only.</span> : null}
        <button type="button" onClick={onCancel}>
          {armed ? 'Cancel' : 'Close'}
        </button>
        <button type="submit" className={`${styles.danger} ${styles.confirm}`} disabled={busy || !canControl || !armed || !reason.ok} data-testid="kill-confirm" data-autofocus={armed || undefined}>
          {choice === 'kill' ? 'Kill' : 'Send exit'} <kbd>⏎</kbd>
        </button>
      </div>
    </form>
  );
}

function BlastSummary({ blast, runtime }: { blast: BlastRadius; runtime: RuntimeStore }) {
  const restarted = blast.dies.filter((d) => d.restarted).length;
  const gone = blast.dies.length - restarted;
  const { processes } = runtime.getState();
  const name = (pid: Pid) => {
    const r = processes.get(pid);
    return r === undefined ? '' : displayName(r);
  };
  return (
    <section className={styles.blast} data-testid="blast-radius" aria-label="Blast radius">
      <div className={styles.counts}>
        {blast.effect === 'ignored' ? <span>Nothing happens: it does not trap exits, and <code>normal</code> is ignored.</span> : null}
        {blast.effect === 'trapped' ? <span>It traps exits: it gets the signal as a message and carries on.</span> : null}
        {blast.effect === 'dies' ? (
          <>
            <span className={styles.dies}>
              <b data-testid="blast-dies">{blast.dies.length}</b> die{blast.dies.length === 1 ? 's' : ''}
            </span>
            <span className={styles.restarts}>
              <b data-testid="blast-restarted">{restarted}</b> restarted
            </span>
            {gone > 0 ? (
              <span className={styles.gone}>
                <b>{gone}</b> gone for good
              </span>
            ) : null}
            {blast.notified.length > 0 ? <span className={styles.notified}>{blast.notified.length} notified</span> : null}
          </>
        ) : null}
      </div>
      {blast.gaveUp.length > 0 ? (
        <p className={styles.escalation}>
          {blast.gaveUp.map((p) => `${name(p) || p} exceeds its restart intensity`).join('; ')}
          {blast.stopsApplications.length > 0 ? ` — application ${blast.stopsApplications.join(', ')} stops.` : '.'}
        </p>
      ) : blast.stopsApplications.length > 0 ? (
        <p className={styles.escalation}>Application {blast.stopsApplications.join(', ')} stops.</p>
      ) : null}
      {/* Focusable, so that a long list scrolls from the keyboard too. */}
      <ol className={styles.list} tabIndex={0} aria-label="Processes this kill takes down">
        {blast.dies.slice(0, 60).map((d) => (
          <li key={d.pid} data-outcome={d.restarted ? 'restarted' : 'gone'}>
            <code>{d.pid}</code>
            <span className={styles.who}>{name(d.pid)}</span>
            <code className={styles.reason}>{d.reason}</code>
            <span className={styles.outcome}>{d.restarted ? '↻ restarted' : '✕ gone'}</span>
            <span className={styles.why}>{d.why}</span>
          </li>
        ))}
        {blast.notified.slice(0, 20).map((n) => (
          <li key={`n${n.pid}`} data-outcome="notified">
            <code>{n.pid}</code>
            <span className={styles.who}>{name(n.pid)}</span>
            <span />
            <span className={styles.outcome}>✉ notified</span>
            <span className={styles.why}>{n.why}</span>
          </li>
        ))}
        {blast.dies.length > 60 ? <li className={styles.more}>and {blast.dies.length - 60} more</li> : null}
      </ol>
    </section>
  );
}
