import { useStore } from 'zustand';
import { useObserver } from '../../context/ObserverContext.tsx';
import styles from './FrameHost.module.css';

/**
 * The iframe of an embedded runtime. The shell renders it outside the tabs so it lives while
 * another tab is shown (an unmounted iframe would take its runtime with it); it is seen on the
 * Attach tab only.
 */
export function FrameHost({ visible }: { visible: boolean }) {
  const observer = useObserver();
  const target = useStore(observer.attach, (s) => s.target);
  const generation = useStore(observer.attach, (s) => s.generation);
  if (target?.kind !== 'frame') return null;
  return (
    <section className={visible ? styles.host : `${styles.host} ${styles.hidden}`} aria-label="Embedded page">
      <header className={styles.bar}>
        Embedded page <code>{target.url}</code>
      </header>
      <iframe
        key={generation}
        className={styles.frame}
        src={target.url}
        title="Embedded runtime"
        data-testid="attach-frame"
        onLoad={(e) => {
          const win = e.currentTarget.contentWindow;
          if (win !== null) observer.frameLoaded(win);
        }}
      />
    </section>
  );
}
