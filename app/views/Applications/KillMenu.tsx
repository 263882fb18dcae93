/**
 * The tree's context menu: kill a process with a chosen exit reason, after seeing its blast
 * radius (which processes die, which their supervisors start again, which supervisor gives up),
 * computed by blastRadius.ts from the store and drawn on the tree while the menu is open.
 * Opened by a right click or the `k` key on the selected node; arrows pick the reason, Enter
 * sends, Esc closes.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { type BlastRadius, blastRadius } from '../../layout/blastRadius.ts';
import type { Forest } from '../../layout/supervisionForest.ts';
import type { Rect } from '../../layout/viewport.ts';
import { placeMenu } from '../../layout/placeMenu.ts';
import type { Pid } from '../../protocol.ts';
import type { RuntimeStore } from '../../store/runtimeStore.ts';
import type { Session } from '../../client/Session.ts';
import { ExitReasonField, reasonValue } from '../../components/ExitReasonField.tsx';
import kill from '../../components/KillForm.module.css';
import { type KillMenuState, treeView } from './treeViewStore.ts';
import styles from './KillMenu.module.css';

export interface KillMenuProps {
  menu: KillMenuState;
  forest: Forest;
  runtime: RuntimeStore;
  session: Session;
  canControl: boolean;
  area: { w: number; h: number };
  /** Where the blast radius is drawn (view coordinates): the menu keeps clear of it if it can. */
  avoid: readonly Rect[];
  onBlast(blast: BlastRadius | null): void;
  onDetails(pid: Pid): void;
  onToggle(key: string): void;
  onClose(): void;
}

export function KillMenu({ menu, forest, runtime, session, canControl, area, avoid, onBlast, onDetails, onToggle, onClose }: KillMenuProps) {
  const choice = useStore(treeView, (s) => s.choice);
  const custom = useStore(treeView, (s) => s.customReason);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const [pos, setPos] = useState({ left: menu.x, top: menu.y });
  const node = forest.byKey.get(menu.key);
  const reason = reasonValue(choice, custom);
  const reasonKey = reason.ok ? JSON.stringify(reason.value) : null;

  // Computed once per target and reason, not per tick: with 100,000 processes the link index
  // costs tens of milliseconds.
  const blast = useMemo(() => (reason.ok ? blastRadius(runtime.getState(), menu.pid, reason.value) : null), [menu.pid, reasonKey]);
  useLayoutEffect(() => {
    onBlast(blast);
  }, [blast]);
  useLayoutEffect(() => () => onBlast(null), []);

  useLayoutEffect(() => {
    const el = ref.current!;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    setPos(placeMenu(menu, { w, h }, area, avoid));
  }, [menu.x, menu.y, area.w, area.h, blast, avoid]);
  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLInputElement>('input[type=radio]:checked')?.focus();
  }, [menu.key]);

  const submit = async () => {
    if (!reason.ok) return setError(reason.message);
    setBusy(true);
    const at = performance.now();
    const result = choice === 'kill' ? await session.kill(menu.pid) : await session.exit(menu.pid, reason.value);
    setBusy(false);
    if (!result.ok) return setError(`${result.code}: ${result.message}`);
    treeView.setState({ lastKill: { key: menu.key, pid: menu.pid, reason: choice === 'kill' ? 'killed' : String(reasonKey), at } });
    onClose();
  };

  const title = node?.title ?? menu.pid;
  return (
    <form
      ref={ref}
      className={styles.menu}
      style={pos}
      role="dialog"
      aria-label={`Kill ${menu.pid}`}
      data-testid="kill-menu"
      data-no-pan
      onPointerDown={(e) => e.stopPropagation()}
      onContextMenu={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation(); // keep the app's shortcuts (1–8, k, space) out of the menu
        if (e.key === 'Escape') onClose();
      }}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <header className={styles.head}>
        <span className={styles.title}>{title}</span>
        <code>{menu.pid}</code>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      <div className={styles.actions}>
        <button type="button" onClick={() => onDetails(menu.pid)}>
          Details
        </button>
        {node !== undefined && node.children.length > 0 ? (
          <button type="button" onClick={() => onToggle(menu.key)}>
            Collapse / expand
          </button>
        ) : null}
      </div>
      <ExitReasonField
        name="exit-reason"
        choice={choice}
        custom={custom}
        dense
        onChoice={(c) => {
          setError(null);
          treeView.setState({ choice: c });
        }}
        onCustom={(text) => treeView.setState({ customReason: text })}
      />
      {blast !== null ? <BlastSummary blast={blast} forest={forest} /> : <p className={styles.note}>Type a reason to see what it would do.</p>}
      {error !== null ? (
        <p className={kill.error} role="alert">
          {error}
        </p>
      ) : null}
      <footer className={styles.foot}>
        {!canControl ? <span className={styles.note}>This runtime granted observe only.</span> : null}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className={`${kill.danger} ${styles.confirm}`} disabled={busy || !canControl || !reason.ok} data-testid="kill-confirm">
          {choice === 'kill' ? 'Kill' : 'Send exit'} <kbd>⏎</kbd>
        </button>
      </footer>
    </form>
  );
}

function BlastSummary({ blast, forest }: { blast: BlastRadius; forest: Forest }) {
  const restarted = blast.dies.filter((d) => d.restarted).length;
  const gone = blast.dies.length - restarted;
  const name = (pid: Pid) => forest.byPid.get(pid)?.title ?? '';
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
      <ol className={styles.list}>
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
