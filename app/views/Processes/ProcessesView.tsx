import { FilterBar } from '../../components/FilterBar.tsx';
import { useRuntime, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import { formatInt } from '../../format/format.ts';
import { useProcessOrder } from './useProcessOrder.ts';
import { ProcessTable } from './ProcessTable.tsx';
import styles from './ProcessesView.module.css';

/** Observer's Processes tab, with what it lacks: a filter, and the selection in the URL. */
export function ProcessesView() {
  const order = useProcessOrder();
  const search = useUi((s) => s.search);
  const { setSearch } = useUiActions();
  const listed = useRuntime((s) => s.processes.size);
  const total = useRuntime((s) => s.processTotal);
  return (
    <div className={styles.view}>
      <FilterBar
        label="Filter processes"
        placeholder="Filter by pid, name, label, child id, behaviour, initial call, status  ( / )"
        value={search}
        onChange={setSearch}
        wide
        countTestId="process-shown"
        count={
          <>
            {formatInt(order.length)} shown
            {search !== '' ? ` of ${formatInt(listed)}` : ''}
            {listed < total ? ` · top ${formatInt(listed)} of ${formatInt(total)} from the runtime` : ''}
          </>
        }
      />
      <ProcessTable order={order} />
    </div>
  );
}
