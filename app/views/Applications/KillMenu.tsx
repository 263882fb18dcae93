/**
 * The tree's context menu: the one kill form (KillForm.tsx) placed beside the node, with the
 * blast radius also drawn on the tree while it is open, and the node's own actions. Opened by a
 * right click or the `k` key on the selected node; arrows pick the reason, Enter sends, Esc
 * closes.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { KillForm } from '../../components/KillForm.tsx';
import type { BlastRadius } from '../../layout/blastRadius.ts';
import type { Forest } from '../../layout/supervisionForest.ts';
import type { Rect } from '../../layout/viewport.ts';
import { placeMenu } from '../../layout/placeMenu.ts';
import type { Pid } from '../../protocol.ts';
import type { RuntimeStore } from '../../store/runtimeStore.ts';
import type { Session } from '../../client/Session.ts';
import type { SelectionMove } from '../../store/followSelection.ts';
import { type KillMenuState, treeView } from './treeViewStore.ts';
import styles from './KillMenu.module.css';

export interface KillMenuProps {
  menu: KillMenuState;
  forest: Forest;
  runtime: RuntimeStore;
  session: Session;
  canControl: boolean;
  /** Set when the runtime moved the selection to this node: the menu sends nothing. */
  moved: SelectionMove | null;
  area: { w: number; h: number };
  /** Where the blast radius is drawn (view coordinates): the menu keeps clear of it if it can. */
  avoid: readonly Rect[];
  onBlast(blast: BlastRadius | null): void;
  onDetails(pid: Pid): void;
  onToggle(key: string): void;
  onClose(): void;
}

export function KillMenu({ menu, forest, runtime, session, canControl, moved, area, avoid, onBlast, onDetails, onToggle, onClose }: KillMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: menu.x, top: menu.y });
  const [blast, setBlast] = useState<BlastRadius | null>(null);
  const node = forest.byKey.get(menu.key);

  useLayoutEffect(() => {
    const el = ref.current!;
    setPos(placeMenu(menu, { w: el.offsetWidth, h: el.offsetHeight }, area, avoid));
  }, [menu.x, menu.y, area.w, area.h, blast, avoid]);
  useLayoutEffect(() => {
    // Enter then sends: the checked reason when the kill is armed, else Close.
    const el = ref.current;
    (el?.querySelector<HTMLElement>('input[type=radio]:checked') ?? el?.querySelector<HTMLElement>('form button[type=button]'))?.focus();
  }, [menu.key]);

  const title = node?.title ?? menu.pid;
  return (
    <div
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
    >
      <header className={styles.head}>
        <span className={styles.title}>{title}</span>
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
      <KillForm
        pid={menu.pid}
        runtime={runtime}
        session={session}
        name="exit-reason"
        canControl={canControl}
        moved={moved}
        dense
        onBlast={(b) => {
          setBlast(b);
          onBlast(b);
        }}
        onSent={(reason) => {
          treeView.setState({ lastKill: { key: menu.key, pid: menu.pid, reason: reason === 'kill' ? 'killed' : JSON.stringify(reason), at: performance.now() } });
          onClose();
        }}
        onCancel={onClose}
      />
    </div>
  );
}
