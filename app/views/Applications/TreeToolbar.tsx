import { memo } from 'react';
import { useStore } from 'zustand';
import { formatInt } from '../../format/format.ts';
import type { Forest, TreeNode } from '../../layout/supervisionForest.ts';
import { zoomAt } from '../../layout/viewport.ts';
import { chaos, stopChaos } from '../Demos/chaosMonkey.ts';
import { requestFit, treeView } from './treeViewStore.ts';
import styles from './ApplicationsView.module.css';

export interface TreeToolbarProps {
  /** The forest as it is now (read when Collapse is pressed). */
  forest(): Forest;
  processes: number;
  trees: number;
  matches: TreeNode[];
  onReveal(key: string): void;
}

/**
 * Search, zoom, collapse and overlay controls above the tree. Memoized on counts rather than the
 * forest, so that a new forest (every tick, every moment of a scrub) does not render its inputs.
 */
export const TreeToolbar = memo(function TreeToolbar({ forest: currentForest, processes, trees, matches, onReveal }: TreeToolbarProps) {
  const query = useStore(treeView, (s) => s.query);
  const matchIndex = useStore(treeView, (s) => s.matchIndex);
  const showLinks = useStore(treeView, (s) => s.showLinks);
  const showMonitors = useStore(treeView, (s) => s.showMonitors);

  const step = (dir: 1 | -1) => {
    if (matches.length === 0) return;
    const i = (((matchIndex + dir) % matches.length) + matches.length) % matches.length;
    treeView.setState({ matchIndex: i });
    onReveal(matches[i]!.key);
  };
  const zoom = (f: number) => {
    const el = document.querySelector('[data-testid=tree-surface]');
    const w = el?.clientWidth ?? 800;
    const h = el?.clientHeight ?? 600;
    treeView.setState((s) => ({ transform: zoomAt(s.transform, f, w / 2, h / 2), userMoved: true }));
  };
  const collapseBig = () => {
    // Collapse every supervisor below the roots: one line per application and its top children.
    const next = new Set<string>();
    for (const root of currentForest().roots) for (const top of root.children) for (const c of top.children) if (c.children.length > 0) next.add(c.key);
    treeView.setState({ collapsed: next });
  };
  return (
    <div className={styles.toolbar}>
      <div className={styles.searchBox}>
        <input
          type="search"
          data-search
          className={styles.search}
          placeholder="Find a process: pid, name or label  ( / )"
          aria-label="Find a process in the tree"
          value={query}
          onChange={(e) => treeView.setState({ query: e.target.value, matchIndex: -1 })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              step(e.shiftKey ? -1 : 1);
            }
          }}
        />
        {query.trim() !== '' ? (
          <span className={styles.count} data-testid="search-count">
            {matches.length === 0 ? 'no match' : `${matchIndex < 0 ? '–' : matchIndex + 1} of ${matches.length}${matches.length >= 500 ? '+' : ''}`}
          </span>
        ) : null}
        {matches.length > 0 ? (
          <>
            <button type="button" className={styles.small} onClick={() => step(-1)} aria-label="Previous match">
              ▲
            </button>
            <button type="button" className={styles.small} onClick={() => step(1)} aria-label="Next match (Enter)">
              ▼
            </button>
          </>
        ) : null}
      </div>
      <div className={styles.group}>
        <button type="button" onClick={requestFit} title="Fit the whole forest (f)">
          Fit
        </button>
        <button type="button" className={styles.small} onClick={() => zoom(1 / 1.25)} aria-label="Zoom out (-)">
          −
        </button>
        <button type="button" className={styles.small} onClick={() => zoom(1.25)} aria-label="Zoom in (+)">
          +
        </button>
      </div>
      <div className={styles.group}>
        <button type="button" onClick={() => treeView.setState({ collapsed: new Set() })} title="Expand every subtree">
          Expand all
        </button>
        <button type="button" onClick={collapseBig} title="Collapse the supervisors below the top level">
          Collapse
        </button>
      </div>
      <div className={styles.group}>
        <label className={styles.check} title="Links that are not supervision edges">
          <input type="checkbox" checked={showLinks} onChange={(e) => treeView.setState({ showLinks: e.target.checked })} /> links
        </label>
        <label className={styles.check} title="Monitors, from the watcher to its target">
          <input type="checkbox" checked={showMonitors} onChange={(e) => treeView.setState({ showMonitors: e.target.checked })} /> monitors
        </label>
      </div>
      <span className={styles.spacer} />
      <span className={styles.count} data-testid="tree-count">
        {formatInt(processes)} processes · {trees} tree{trees === 1 ? '' : 's'}
      </span>
    </div>
  );
});

/** The chaos switch's state, in a corner of the tree while it runs: one click stops it. */
export function ChaosBadge() {
  const chaosOn = useStore(chaos, (s) => s.on);
  const chaosEvery = useStore(chaos, (s) => s.intervalMs);
  if (!chaosOn) return null;
  return (
    <button type="button" className={styles.chaos} onClick={stopChaos} data-no-pan title="Chaos is killing a random worker at this interval: click to stop it">
      chaos {chaosEvery >= 1000 ? `${chaosEvery / 1000} s` : `${chaosEvery} ms`} ■
    </button>
  );
}

/** The colours, in a corner of the tree. */
export function Legend() {
  return (
    <span className={styles.legend} aria-label="Colours">
      <i data-s="running" /> running <i data-s="waiting" /> waiting <i data-s="restarting" /> restarting <i data-s="dead" /> dead
      <span className={styles.hint}>drag to pan · wheel to zoom · right click to kill</span>
    </span>
  );
}
