import { useUi, useUiActions } from '../context/ObserverContext.tsx';
import { TAB_TITLES, TABS } from '../store/tabs.ts';
import styles from './TabBar.module.css';

export function TabBar() {
  const tab = useUi((s) => s.tab);
  const { setTab } = useUiActions();
  return (
    // The tablist sits inside the nav: a role on <nav> itself would take its landmark away.
    <nav className={styles.bar} aria-label="Views">
      <div className={styles.list} role="tablist" aria-label="Views">
      {TABS.map((id, i) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={tab === id}
          className={tab === id ? `${styles.tab} ${styles.active}` : styles.tab}
          onClick={() => setTab(id)}
          title={`${TAB_TITLES[id]} (${i + 1})`}
        >
          {TAB_TITLES[id]}
          <span className={styles.key} aria-hidden="true">
            {i + 1}
          </span>
        </button>
      ))}
      </div>
    </nav>
  );
}
