import { useEffect, useState } from 'react';

/** The wall clock, re-read every `ms` (for ages and uptimes that tick between updates). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
