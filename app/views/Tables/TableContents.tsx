import { useEffect, useState } from 'react';
import { useRuntime, useSession, useUi } from '../../context/ObserverContext.tsx';
import { formatInt } from '../../format/format.ts';
import styles from './TableContents.module.css';

const PAGE = 50;
const REFRESH_MS = 2_000;

/** One table's objects, a page at a time (observer_web caps previews the same way). */
export function TableContents({ table, title }: { table: string; title: string }) {
  const session = useSession();
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const page = useRuntime((s) => (s.tablePage?.table === table ? s.tablePage : null));
  const paused = useUi((s) => s.paused);
  // Pulled, like the list: now, and again every couple of seconds while live.
  useEffect(() => {
    const ask = () => void session.requestTable(table, offset, PAGE).then((r) => setError(r.ok ? null : `${r.code}: ${r.message}`));
    ask();
    if (paused) return;
    const t = setInterval(ask, REFRESH_MS);
    return () => clearInterval(t);
  }, [session, table, offset, paused]);
  const total = page?.total ?? 0;
  return (
    <section className={styles.contents} aria-label={`Contents of ${table}`}>
      <header className={styles.bar}>
        <b>{title}</b>
        <span className={styles.dim}>{page ? `${formatInt(page.offset + 1)}–${formatInt(page.offset + page.rows.length)} of ${formatInt(total)}` : 'loading…'}</span>
        <span className={styles.spacer} />
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ← Previous
        </button>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Next →
        </button>
        <button type="button" onClick={() => void session.requestTable(table, offset, PAGE)}>
          Refresh
        </button>
      </header>
      {error ? <p className={styles.error}>{error}</p> : null}
      <ol className={styles.rows} start={offset + 1}>
        {page?.rows.map((r, i) => (
          <li key={offset + i}>
            <code>
              {r.preview}
              {r.truncated ? '…' : ''}
            </code>
          </li>
        ))}
      </ol>
    </section>
  );
}
