import { useUi, useUiActions } from '../context/ObserverContext.tsx';
import { TAB_TITLES, TABS } from '../store/tabs.ts';
import styles from './TabBar.module.css';

export function TabBar() {
  const tab = useUi((s) => s.tab);
  const { setTab } = useUiActions();
  return (
    <nav className={styles.bar} role="tablist" aria-label="Views">
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
    </nav>
  );
}
