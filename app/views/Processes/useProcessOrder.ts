/**
 * The process table's row order: filter and sort, memoized on the store's counters and the
 * query (the store's Maps are mutated in place, so a counter stands for their contents).
 * - Sorted by a column that never changes for a process (pid, name, behaviour, uptime), the
 *   order is recomputed only when processes come or go (`membership`).
 * - Above LARGE rows, the order is recomputed at most once per LARGE_INTERVAL_MS; the rows'
 *   contents still update every tick, each row reading its own row from the store. Sorting
 *   100,000 rows ten times a second would take the whole frame budget.
 * - Sorted by rate with no filter (the Observer's default), only the processes
 *   that ran in the last second are ranked; the others keep the pid order, which is sorted again
 *   only when processes come or go (rateOrder). A full sort of 100,000 rows took 250–500 ms on a
 *   loaded 2-core machine, once a second: the long frames people saw while scrolling.
 *
 * The counters are followed outside React, so the view renders when the order is due, not on
 * every tick only to learn that it is not.
 */
import { useEffect, useMemo, useState } from 'react';
import { useObserver, useUi } from '../../context/ObserverContext.tsx';
import type { Pid } from '../../protocol.ts';
import type { RuntimeState } from '../../store/runtimeStore.ts';
import { STABLE_COLUMNS, queryProcesses, rateOrder } from '../../store/processQuery.ts';
import { pidOrder } from '../../store/pidOrder.ts';
import { processRates } from '../../store/rates.ts';

const LARGE = 20_000;
const LARGE_INTERVAL_MS = 1_000;

export function useProcessOrder(): Pid[] {
  const { runtime } = useObserver();
  const search = useUi((s) => s.search);
  const sort = useUi((s) => s.sort);
  const stable = STABLE_COLUMNS.has(sort.key);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const counter = (s: RuntimeState) => (stable ? s.membership : s.revision);
    let seen = counter(runtime.getState());
    let lastAt = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const settle = () => {
      timer = null;
      lastAt = Date.now();
      setVersion((v) => v + 1);
    };
    const off = runtime.subscribe((s) => {
      const c = counter(s);
      if (c === seen) return;
      seen = c;
      if (s.processes.size < LARGE) return settle();
      timer ??= setTimeout(settle, Math.max(0, lastAt + LARGE_INTERVAL_MS - Date.now()));
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [runtime, stable]);

  // `version` stands for the store's contents, which are mutated in place.
  return useMemo(() => {
    const rates = processRates(runtime);
    const { processes } = runtime.getState();
    if (sort.key === 'reductionsRate' && search.trim() === '') {
      return rateOrder(pidOrder(runtime).pids(), rates.growing(), (pid) => processes.has(pid), (pid) => rates.of(pid), sort.dir);
    }
    return queryProcesses(processes.values(), search, sort, (row) => rates.of(row.pid));
  }, [runtime, version, search, sort]);
}
