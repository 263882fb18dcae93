/**
 * The Applications view: every supervision tree drawn from its application master, live.
 * Search reveals a process (expands its ancestors, pans to it, selects it); right click or `k`
 * opens the kill menu with the blast radius drawn on the tree; deaths and restarts animate in
 * place, because nodes are keyed by their place (supervisor + child id), not by pid.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useObserver, useRuntime, useSession, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import type { BlastRadius } from '../../layout/blastRadius.ts';
import { crossEdges } from '../../layout/extraEdges.ts';
import { searchForest } from '../../layout/searchTree.ts';
import { ancestorKeys } from '../../layout/supervisionForest.ts';
import { layoutForest } from '../../layout/treeLayout.ts';
import type { Pid } from '../../protocol.ts';
import { FallenBanner } from './FallenBanner.tsx';
import { forestTracker } from './forestTracker.ts';
import { KillMenu } from './KillMenu.tsx';
import type { BlastMark, ExtraEdge, Marks } from './paintTree.ts';
import { TreeCanvas } from './TreeCanvas.tsx';
import { ChaosBadge, Legend, TreeToolbar } from './TreeToolbar.tsx';
import { expandAll, setCollapsed, treeView } from './treeViewStore.ts';
import { useTreeKeyboard } from './useTreeKeyboard.ts';
import styles from './ApplicationsView.module.css';

const NO_EDGES: readonly ExtraEdge[] = [];

export function ApplicationsView() {
  const observer = useObserver();
  const session = useSession();
  const { select, setTab } = useUiActions();
  const tracker = useMemo(() => forestTracker(observer.runtime), [observer.runtime]);
  const forest = useStore(tracker.store, (s) => s.forest);
  const layoutInput = useStore(tracker.store, (s) => s.layoutInput);
  const gaveUp = useStore(tracker.store, (s) => s.gaveUp);
  const collapsed = useStore(treeView, (s) => s.collapsed);
  const query = useStore(treeView, (s) => s.query);
  const menu = useStore(treeView, (s) => s.menu);
  const showLinks = useStore(treeView, (s) => s.showLinks);
  const showMonitors = useStore(treeView, (s) => s.showMonitors);
  const selected = useUi((s) => s.selected);
  const canControl = useRuntime((s) => s.connection.granted.includes('control'));
  const [blast, setBlast] = useState<BlastRadius | null>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const [area, setArea] = useState({ w: 800, h: 600 });

  // The layout depends on the structure only: memoized on the shape string, so pids changing
  // and statuses flipping never lay the tree out again (treeLayout.ts). Leaves that just left
  // keep their place in it while they fade (lingering.ts).
  const layout = useMemo(() => layoutForest(layoutInput, collapsed), [layoutInput.shape, collapsed]);

  const matches = useMemo(() => searchForest(forest, query), [forest, query]);
  // Stable while the same places match: a new Set would repaint the whole canvas every tick.
  const matchKeysRef = useRef<Set<string>>(new Set());
  const matchKeys = useMemo(() => {
    const prev = matchKeysRef.current;
    if (prev.size === matches.length && matches.every((m) => prev.has(m.key))) return prev;
    return (matchKeysRef.current = new Set(matches.map((m) => m.key)));
  }, [matches]);
  const selectedKey = selected === null ? null : (forest.byPid.get(selected)?.key ?? null);

  const blastMarks = useMemo(() => {
    if (blast === null) return null;
    const m = new Map<string, BlastMark>();
    for (const n of blast.notified) {
      const k = forest.byPid.get(n.pid)?.key;
      if (k !== undefined) m.set(k, 'notified');
    }
    for (const d of blast.dies) {
      const k = forest.byPid.get(d.pid)?.key;
      if (k !== undefined) m.set(k, d.restarted ? 'restarted' : 'dies');
    }
    const t = forest.byPid.get(blast.target)?.key;
    if (t !== undefined) m.set(t, 'target');
    return m;
    // The blast is computed once per menu; the marks follow it, not the ticks.
  }, [blast]);

  // The blast radius on screen, for the menu to keep clear of (the view does not move while it is open).
  const avoid = useMemo(() => {
    if (blastMarks === null) return [];
    const t = treeView.getState().transform;
    const out = [];
    for (const key of blastMarks.keys()) {
      const p = layout.byKey.get(key);
      if (p !== undefined) out.push({ x: p.x * t.k + t.x, y: p.y * t.k + t.y, w: p.w * t.k, h: p.h * t.k });
    }
    return out;
  }, [blastMarks, layout]);

  const marks: Marks = useMemo(
    () => ({ selectedKey, hoverKey: null, matches: matchKeys, blast: blastMarks, gaveUp }),
    [selectedKey, matchKeys, blastMarks, gaveUp],
  );

  const extraEdges = useMemo(
    () => (showLinks || showMonitors ? crossEdges(forest, observer.runtime.getState().processes, { links: showLinks, monitors: showMonitors }) : NO_EDGES),
    [forest, showLinks, showMonitors],
  );

  // The forest as it is when asked: callbacks that stay the same while the forest moves on.
  const currentForest = useCallback(() => tracker.store.getState().forest, [tracker]);
  const reveal = useCallback(
    (key: string, zoom = true) => {
      const f = currentForest();
      expandAll(ancestorKeys(f, key));
      treeView.setState({ reveal: { key, zoom } });
      const pid = f.byKey.get(key)?.pid;
      if (pid) select(pid);
    },
    [currentForest, select],
  );

  const onSelect = useCallback(
    (key: string, open: boolean) => {
      const pid = forest.byKey.get(key)?.pid;
      if (pid) select(pid, open || undefined);
    },
    [forest, select],
  );
  const onToggle = useCallback((key: string) => setCollapsed(key, !treeView.getState().collapsed.has(key)), []);
  const openMenu = useCallback(
    (key: string, x: number, y: number, byKey = false) => {
      const node = forest.byKey.get(key);
      if (node?.pid == null || node.status === 'dead') return;
      // `k` acts on the selection as it is; a right click is a person's fresh selection.
      const ui = observer.ui.getState();
      const moved = byKey && ui.selected === node.pid ? ui.selectionMoved : null;
      if (!byKey || ui.selected !== node.pid) select(node.pid);
      treeView.setState({ menu: { key, pid: node.pid, x, y, moved } });
    },
    [forest, select],
  );
  const closeMenu = useCallback(() => {
    treeView.setState({ menu: null });
    areaRef.current?.querySelector<HTMLElement>('[data-testid=tree-surface]')?.focus({ preventScroll: true });
  }, []);

  // Opening the tab with a process selected elsewhere reveals it ("Show in tree"); a process
  // outside the supervision trees reveals its nearest supervisor or parent that is in one.
  // Only a selection made before the view mounted: a click in the tree is no reason to stop
  // fitting the tree to the view.
  const selectedOnMount = useRef(selected);
  const revealedOnMount = useRef(false);
  useEffect(() => {
    if (revealedOnMount.current || selected === null || selected !== selectedOnMount.current || forest.roots.length === 0) return;
    revealedOnMount.current = true;
    const processes = observer.runtime.getState().processes;
    let pid: Pid | null = selected;
    for (let hops = 0; pid !== null && hops < 32; hops++) {
      const node = forest.byPid.get(pid);
      if (node !== undefined) {
        treeView.setState({ userMoved: true });
        expandAll(ancestorKeys(forest, node.key));
        treeView.setState({ reveal: { key: node.key, zoom: false } });
        return;
      }
      const row = processes.get(pid);
      pid = row === undefined ? null : (row.supervisor ?? row.parent);
    }
  }, [selected, forest]);

  const onKeyDown = useTreeKeyboard({ forest, layout, selectedKey, onSelect, openMenu, onToggle, area });

  useEffect(() => {
    const el = areaRef.current;
    if (el === null) return;
    const ro = new ResizeObserver(() => setArea({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const empty = forest.roots.length === 0;
  return (
    <div className={styles.view} data-testid="applications-view">
      <TreeToolbar forest={currentForest} processes={forest.byPid.size} trees={forest.roots.length} matches={matches} onReveal={reveal} />
      <FallenBanner tracker={tracker} onStart={(name) => void session.startApplication(name)} />
      <div ref={areaRef} className={styles.area} onKeyDown={onKeyDown}>
        {empty ? (
          <EmptyState title="No supervision tree running">
            Start an application from the <button type="button" onClick={() => setTab('demos')}>Demos</button> tab: its tree appears here live.
          </EmptyState>
        ) : (
          <TreeCanvas
            forest={forest}
            layout={layout}
            marks={marks}
            extraEdges={extraEdges}
            tracker={tracker}
            onSelect={onSelect}
            onMenu={openMenu}
            onToggle={onToggle}
          >
            <Legend />
            <ChaosBadge />
            {menu !== null ? (
              <KillMenu
                key={menu.key}
                menu={menu}
                forest={forest}
                runtime={observer.runtime}
                session={session}
                canControl={canControl}
                moved={menu.moved}
                area={area}
                avoid={avoid}
                onBlast={setBlast}
                onDetails={(pid: Pid) => {
                  select(pid, true);
                  closeMenu();
                }}
                onToggle={(key) => {
                  onToggle(key);
                  closeMenu();
                }}
                onClose={closeMenu}
              />
            ) : null}
          </TreeCanvas>
        )}
      </div>
    </div>
  );
}
