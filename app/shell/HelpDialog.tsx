import { Dialog } from '../components/Dialog.tsx';
import { SHORTCUTS } from './useShortcuts.ts';
import styles from './HelpDialog.module.css';

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className={styles.dialog}>
      <div className={styles.groups}>
        {SHORTCUTS.map((group) => (
          <section key={group.title} className={styles.group}>
            <h3>{group.title}</h3>
            <dl className={styles.list}>
              {group.keys.map(([key, what]) => (
                <div key={key} className={styles.row}>
                  <dt>
                    {key.split('  ').map((k) => (
                      <kbd key={k}>{k}</kbd>
                    ))}
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className={styles.actions}>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
