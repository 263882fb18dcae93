/**
 * The process table's row order: filter and sort, memoized on the store's counters and the
 * query (the store's Maps are mutated in place, so a counter stands for their contents).
 * - Sorted by a column that never changes for a process (pid, name, behaviour, uptime), the
 *   order is recomputed only when processes come or go (`membership`).
 * - Above LARGE rows, the order is recomputed at most once per LARGE_INTERVAL_MS; the rows'
 *   contents still update every tick, each row reading its own row from the store. Sorting
 *   100,000 rows ten times a second would take the whole frame budget.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useObserver, useRuntime, useUi } from '../context/ObserverContext.tsx';
import type { Pid } from '../protocol.ts';
import { STABLE_COLUMNS, queryProcesses } from '../store/processQuery.ts';

const LARGE = 20_000;
const LARGE_INTERVAL_MS = 1_000;

export function useProcessOrder(): Pid[] {
  const { runtime } = useObserver();
  const search = useUi((s) => s.search);
  const sort = useUi((s) => s.sort);
  const stable = STABLE_COLUMNS.has(sort.key);
  const change = useRuntime((s) => (stable ? s.membership : s.revision));
  const size = useRuntime((s) => s.processes.size);
  const [settled, setSettled] = useState(change);
  const lastAt = useRef(0);

  useEffect(() => {
    if (size < LARGE) return;
    const wait = lastAt.current + LARGE_INTERVAL_MS - Date.now();
    const settle = () => {
      lastAt.current = Date.now();
      setSettled(change);
    };
    if (wait <= 0) return settle();
    const t = setTimeout(settle, wait);
    return () => clearTimeout(t);
  }, [change, size]);

  const key = size < LARGE ? change : settled;
  // `key` stands for the store's contents, which are mutated in place.
  return useMemo(() => queryProcesses(runtime.getState().processes.values(), search, sort), [runtime, key, search, sort]);
}
