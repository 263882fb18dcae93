import { LiveControls } from './LiveControls.tsx';
import { RuntimeBadge } from './RuntimeBadge.tsx';
import styles from './Header.module.css';

export function Header({ onHelp }: { onHelp: () => void }) {
  return (
    <header className={styles.header}>
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden="true" />
        <h1>Orchard Observer</h1>
      </div>
      <RuntimeBadge />
      <div className={styles.spacer} />
      <LiveControls />
      <button type="button" className={styles.help} onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
    </header>
  );
}
