import { useStore } from 'zustand';
import { forEachNode, type TreeNode } from '../../layout/supervisionForest.ts';
import type { ForestTracker } from './forestTracker.ts';
import { gaveUpText } from './NodeCard.tsx';
import styles from './ApplicationsView.module.css';

/**
 * Says which application trees fell and why: the supervisors that exceeded their restart
 * intensity, innermost first, as the escalation went up. The dead tree stays drawn until the
 * application is started again or dismissed.
 */
export function FallenBanner({ tracker, onStart }: { tracker: ForestTracker; onStart(name: string): void }) {
  const fallen = useStore(tracker.store, (s) => s.fallen);
  const gaveUp = useStore(tracker.store, (s) => s.gaveUp);
  const forest = useStore(tracker.store, (s) => s.forest);
  const trees = [...fallen.values()].filter((t) => forest.byKey.get(t.key) === t);
  if (trees.length === 0) return null;
  return (
    <div className={styles.fallen} role="status" data-testid="fallen-banner">
      {trees.map((t) => {
        const chain: TreeNode[] = [];
        forEachNode(t, (n) => {
          if (n.pid !== null && gaveUp.has(n.pid)) chain.push(n);
        });
        chain.reverse();
        return (
          <div key={t.key} className={styles.fallenRow} data-app={t.key}>
            <span className={styles.fallenMark}>✕</span>
            <span>
              <b>{t.title}</b> stopped
              {chain.length > 0
                ? `: ${chain.map((n) => `${n.title} ${gaveUpText(gaveUp.get(n.pid!)!)}`).join(', then ')}, and the application master ended.`
                : `: its root supervisor exited${t.children[0]?.lastExitReason ? ` (${t.children[0].lastExitReason})` : ''}.`}
            </span>
            <span className={styles.spacer} />
            <button type="button" onClick={() => onStart(t.title)}>
              Start again
            </button>
            <button type="button" onClick={() => tracker.dismiss(t.key)}>
              Dismiss
            </button>
          </div>
        );
      })}
    </div>
  );
}
