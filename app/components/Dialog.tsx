import { useEffect, useRef, type ReactNode } from 'react';
import styles from './Dialog.module.css';

/**
 * A modal dialog over the app. Esc and a click outside cancel; the first focusable element
 * inside (or the dialog itself) takes the focus, so Enter and Tab work at once.
 */
export function Dialog({ title, onClose, children, label, className }: { title: string; onClose: () => void; children: ReactNode; label?: string; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>('input, textarea, select, button');
    (first ?? ref.current)?.focus();
  }, []);
  return (
    <div className={styles.backdrop} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={label ?? title}
        tabIndex={-1}
        className={className === undefined ? styles.dialog : `${styles.dialog} ${className}`}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 className={styles.title}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
