import { useEffect, useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PidLink } from '../../components/PidLink.tsx';
import { useRuntime, useSession, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import { formatBytes, formatInt } from '../../format/format.ts';
import { TableContents } from './TableContents.tsx';
import styles from './TablesView.module.css';

const LIST_REFRESH_MS = 2_000;

/** Observer's Table Viewer: every table, its owner, type and size, and its contents paged. */
export function TablesView() {
  const session = useSession();
  const tables = useRuntime((s) => s.tables);
  const paused = useUi((s) => s.paused);
  // In the URL (?table=): a link or a reload opens the same table, by id or by name.
  const wanted = useUi((s) => s.openTable);
  const { setOpenTable } = useUiActions();
  const openRow = tables?.find((t) => t.id === wanted) ?? tables?.find((t) => t.name === wanted) ?? null;
  const open = openRow?.id ?? null;
  const [error, setError] = useState<string | null>(null);

  // Tables are pulled, not streamed (STYLE G12): ask now and every couple of seconds while shown.
  useEffect(() => {
    const ask = () => void session.requestTables().then((r) => setError(r.ok ? null : `${r.code}: ${r.message}`));
    ask();
    if (paused) return;
    const t = setInterval(ask, LIST_REFRESH_MS);
    return () => clearInterval(t);
  }, [session, paused]);

  if (tables === null) return <EmptyState title={error ?? 'Loading tables…'} />;
  const missing = wanted !== null && openRow === null ? <p className={styles.hint} role="status">No table {wanted} here (any more).</p> : null;
  if (tables.length === 0) return <EmptyState title="No tables">This runtime has no tables yet. Processes create them with the table module (OTP's ets).</EmptyState>;
  return (
    <div className={styles.view}>
      <div className={styles.listPane}>
        <table className={styles.table} aria-label="Tables">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Access</th>
              <th className={styles.num}>Size</th>
              <th className={styles.num}>Memory</th>
              <th>Owner</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((t) => (
              <tr
                key={t.id}
                className={t.id === open ? styles.selected : undefined}
                aria-selected={t.id === open}
                tabIndex={0}
                onClick={() => setOpenTable(t.name ?? t.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && e.target === e.currentTarget) setOpenTable(t.name ?? t.id);
                }}
                data-testid="table-row"
              >
                <td className={styles.nameCell}>
                  <b>{t.name ?? t.id}</b>
                  {t.name !== null && t.name !== t.id ? <span className={styles.dim}> {t.id}</span> : null}
                </td>
                <td>
                  <code>{t.type}</code>
                </td>
                <td className={styles.dim}>{t.access}</td>
                <td className={styles.num}>{formatInt(t.size)}</td>
                <td className={styles.num}>{formatBytes(t.memory)}</td>
                {/* Last, so a click in the middle of the row opens the table, not the owner. */}
                <td className={styles.ownerCell}>
                  <PidLink pid={t.owner} showName />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {missing}
      {openRow !== null ? (
        <TableContents key={openRow.id} table={openRow.id} title={openRow.name ?? openRow.id} size={openRow.size} />
      ) : missing === null ? (
        <p className={styles.hint}>Choose a table to see its contents.</p>
      ) : null}
    </div>
  );
}
