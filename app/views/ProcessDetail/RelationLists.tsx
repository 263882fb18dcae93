import { PidLink } from '../../components/PidLink.tsx';
import type { Pid, ProcessDetail, ProcessRow } from '../../protocol.ts';
import styles from './RelationLists.module.css';

/** Links, monitors, monitored-by and ancestors as clickable pids (Observer's process info). */
export function RelationLists({ row, detail }: { row: ProcessRow; detail: ProcessDetail | null }) {
  return (
    <div className={styles.lists}>
      <Relation title="Links" pids={row.links} />
      <Relation title="Monitors" pids={row.monitors} />
      <Relation title="Monitored by" pids={detail?.monitoredBy ?? null} />
      <Relation title="Ancestors" pids={detail?.ancestors ?? null} />
    </div>
  );
}

/** Long lists are cut, as Observer's collapse behind "more…" (OTP-14725). */
const SHOWN = 24;

function Relation({ title, pids }: { title: string; pids: readonly Pid[] | null }) {
  return (
    <div className={styles.relation} data-testid={`relation-${title.toLowerCase().replace(/ /g, '-')}`}>
      <span className={styles.title}>
        {title} <span className={styles.count}>{pids?.length ?? '…'}</span>
      </span>
      <span className={styles.pids}>
        {pids === null ? null : pids.length === 0 ? <span className={styles.none}>none</span> : pids.slice(0, SHOWN).map((p) => <PidLink key={p} pid={p} />)}
        {pids !== null && pids.length > SHOWN ? <span className={styles.none}>and {pids.length - SHOWN} more</span> : null}
      </span>
    </div>
  );
}
