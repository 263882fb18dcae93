import { PidLink } from '../../components/PidLink.tsx';
import type { Pid, ProcessDetail, ProcessRow } from '../../protocol.ts';
import styles from './RelationLists.module.css';

/** Links, monitors, monitored-by and ancestors as clickable pids (Observer's process info). */
export function RelationLists({ row, detail }: { row: ProcessRow; detail: ProcessDetail | null }) {
  return (
    <div className={styles.lists}>
      <Relation title="Links" pids={row.links} total={row.linkCount} />
      <Relation title="Monitors" pids={row.monitors} total={row.monitorCount} />
      <Relation title="Monitored by" pids={detail?.monitoredBy ?? null} />
      <Relation title="Ancestors" pids={detail?.ancestors ?? null} showName />
    </div>
  );
}

/** Long lists are cut, as Observer's collapse behind "more…" (OTP-14725). */
const SHOWN = 24;

/** `total`: the whole count when the runtime cut the list (protocol LIMITS.rowPids / detailPids). */
function Relation({ title, pids, total, showName = false }: { title: string; pids: readonly Pid[] | null; total?: number | undefined; showName?: boolean }) {
  const count = pids === null ? null : Math.max(total ?? 0, pids.length);
  return (
    <div className={styles.relation} data-testid={`relation-${title.toLowerCase().replace(/ /g, '-')}`}>
      <span className={styles.title}>
        {title} <span className={styles.count}>{count === null ? '…' : count.toLocaleString('en-US')}</span>
      </span>
      <span className={styles.pids}>
        {pids === null ? null : pids.length === 0 ? <span className={styles.none}>none</span> : pids.slice(0, SHOWN).map((p) => <PidLink key={p} pid={p} showName={showName} />)}
        {count !== null && count > Math.min(SHOWN, pids!.length) ? <span className={styles.none}>and {(count - Math.min(SHOWN, pids!.length)).toLocaleString('en-US')} more</span> : null}
      </span>
    </div>
  );
}
