import { memo, useCallback, useEffect, useRef } from 'react';
import { useUi, useUiActions } from '../../context/ObserverContext.tsx';
import { useVirtualRows } from '../../hooks/useVirtualRows.ts';
import type { Pid } from '../../protocol.ts';
import { COLUMNS, GRID_TEMPLATE, ROW_HEIGHT } from './columns.ts';
import { ProcessRowView } from './ProcessRowView.tsx';
import styles from './ProcessTable.module.css';

/** The virtualized process table: sortable headers over the rows in view. */
export const ProcessTable = memo(function ProcessTable({ order }: { order: Pid[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const { start, end, height, scrollToIndex } = useVirtualRows(scroller, order.length, ROW_HEIGHT);
  const selected = useUi((s) => s.selected);
  const sort = useUi((s) => s.sort);
  const { select, sortBy } = useUiActions();
  const onSelect = useCallback((pid: Pid) => select(pid, true), [select]);

  // Bring the selection into view when it changes (a link from elsewhere, a reload), not on every tick.
  const orderRef = useRef(order);
  orderRef.current = order;
  useEffect(() => {
    if (selected === null) return;
    const i = orderRef.current.indexOf(selected);
    if (i >= 0) scrollToIndex(i);
  }, [selected, scrollToIndex]);

  const move = (by: number) => {
    if (order.length === 0) return;
    const i = selected === null ? -1 : order.indexOf(selected);
    const next = Math.max(0, Math.min(order.length - 1, i + by));
    select(order[next]!);
    scrollToIndex(next);
  };

  const rows = [];
  for (let i = start; i < end; i++) {
    const pid = order[i]!;
    // Keyed by place, not pid: when the order changes (a sort by rate, a scrub), a row's elements
    // take the new process's text instead of all rows in view being removed and made again.
    rows.push(<ProcessRowView key={i} pid={pid} index={i} selected={pid === selected} onSelect={onSelect} />);
  }

  return (
    <div
      className={styles.table}
      role="table"
      aria-label="Processes"
      aria-rowcount={order.length}
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') move(1);
        else if (e.key === 'ArrowUp') move(-1);
        else if (e.key === 'PageDown') move(20);
        else if (e.key === 'PageUp') move(-20);
        else if (e.key === 'Enter' && selected !== null) select(selected, true);
        else return;
        e.preventDefault();
      }}
    >
      <div role="row" className={styles.header} style={{ gridTemplateColumns: GRID_TEMPLATE }}>
        {COLUMNS.map((c) => (
          // A button may not be a columnheader (ARIA in HTML): the header holds the button.
          <span key={c.key} role="columnheader" className={styles.thCell} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button
              type="button"
              className={c.numeric ? `${styles.th} ${styles.thNum}` : styles.th}
              title={c.hint ? `${c.hint}. Click to sort.` : 'Click to sort'}
              onClick={() => sortBy(c.key)}
            >
              {c.title}
              <span className={styles.arrow}>{sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
            </button>
          </span>
        ))}
      </div>
      <div ref={scroller} className={styles.scroller} data-testid="process-scroller">
        <div className={styles.sizer} style={{ height }}>
          {rows}
        </div>
      </div>
    </div>
  );
});
