/**
 * The process table's row order: filter and sort, memoized on the store's revision and the
 * query. Above LARGE rows the order is recomputed at most once per LARGE_INTERVAL_MS (the rows'
 * contents still update every tick, each row reading its own row from the store): re-sorting
 * 100,000 rows ten times a second would take the frame budget.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useObserver, useRuntime, useUi } from '../context/ObserverContext.tsx';
import type { Pid } from '../protocol.ts';
import { queryProcesses } from '../store/processQuery.ts';

const LARGE = 20_000;
const LARGE_INTERVAL_MS = 1_000;

export function useProcessOrder(): Pid[] {
  const { runtime } = useObserver();
  const revision = useRuntime((s) => s.revision);
  const size = useRuntime((s) => s.processes.size);
  const search = useUi((s) => s.search);
  const sort = useUi((s) => s.sort);
  const [settled, setSettled] = useState(revision);
  const lastAt = useRef(0);

  useEffect(() => {
    if (size < LARGE) return;
    const wait = lastAt.current + LARGE_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      lastAt.current = Date.now();
      return setSettled(revision);
    }
    const t = setTimeout(() => {
      lastAt.current = Date.now();
      setSettled(runtime.getState().revision);
    }, wait);
    return () => clearTimeout(t);
  }, [revision, size, runtime]);

  const key = size < LARGE ? revision : settled;
  // `key` stands for the store's contents, which are mutated in place.
  return useMemo(() => queryProcesses(runtime.getState().processes.values(), search, sort), [runtime, key, search, sort]);
}
