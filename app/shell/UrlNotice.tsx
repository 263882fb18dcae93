import { useStore } from 'zustand';
import { urlNotice } from '../store/urlState.ts';
import styles from './UrlNotice.module.css';

/** Says when a link's process is not here any more (urlState.ts), until dismissed. */
export function UrlNotice() {
  const text = useStore(urlNotice, (s) => s.text);
  if (text === null) return null;
  return (
    <div className={styles.notice} role="status" data-testid="url-notice">
      <span>{text}</span>
      <button type="button" onClick={() => urlNotice.setState({ text: null })} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
