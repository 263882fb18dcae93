import { useEffect, useState } from 'react';
import { useRuntime, useSession, useUi } from '../../context/ObserverContext.tsx';
import { formatInt } from '../../format/format.ts';
import styles from './TableContents.module.css';

const PAGE = 50;
const REFRESH_MS = 2_000;

/** One table's objects, a page at a time (observer_web caps previews the same way). */
export function TableContents({ table, title, size }: { table: string; title: string; size: number }) {
  const session = useSession();
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const page = useRuntime((s) => (s.tablePage?.table === table ? s.tablePage : null));
  const paused = useUi((s) => s.paused);
  // Pulled, like the list: now, again every couple of seconds while live, and at once when the
  // list shows a new size, so the contents never lag the row's size.
  useEffect(() => {
    const ask = () => void session.requestTable(table, offset, PAGE).then((r) => setError(r.ok ? null : `${r.code}: ${r.message}`));
    ask();
    if (paused) return;
    const t = setInterval(ask, REFRESH_MS);
    return () => clearInterval(t);
  }, [session, table, offset, paused, size]);
  const total = page?.total ?? 0;
  return (
    <section className={styles.contents} aria-label={`Contents of ${title}`} data-testid="table-contents">
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
              {tidyFloats(r.preview)}
              {r.truncated ? '…' : ''}
            </code>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * Binary floating-point noise read as a person wrote it: `7490.599999999977` is `7490.6`
 * (a sum of milliseconds, as a cache's expiry time is). Numbers with fewer digits stay as they are.
 */
export function tidyFloats(text: string): string {
  return text.replace(/-?\d+\.\d{7,}(?:e[+-]?\d+)?/g, (m) => String(Number(Number(m).toPrecision(12))));
}
