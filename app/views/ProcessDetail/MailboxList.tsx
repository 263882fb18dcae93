import { useNow } from '../../hooks/useNow.ts';
import { formatAge } from '../../format/format.ts';
import type { ProcessDetail } from '../../protocol.ts';
import styles from './MailboxList.module.css';

/** The mailbox's first messages, next to be received first, each with its age ticking live. */
export function MailboxList({ detail }: { detail: ProcessDetail | null }) {
  const now = useNow(250);
  if (detail === null) return <p className={styles.empty}>—</p>;
  if (detail.mailbox.length === 0) return <p className={styles.empty}>Empty.</p>;
  const more = detail.mailboxTotal - detail.mailbox.length;
  return (
    <>
      <ol className={styles.list} aria-label="Mailbox">
        {detail.mailbox.map((m) => (
          <li key={m.index} className={styles.message} data-testid="mailbox-message">
            <span className={styles.index}>{m.index}</span>
            <code className={styles.preview} title={m.value.preview}>
              {m.value.preview}
              {m.value.truncated ? '…' : ''}
            </code>
            <span className={styles.age}>{m.arrivedAt === null ? '' : formatAge(now - m.arrivedAt)}</span>
          </li>
        ))}
      </ol>
      {more > 0 ? <p className={styles.more}>and {more} more</p> : null}
    </>
  );
}
