import { useEffect, useState } from 'react';

/**
 * Calls `read` every `intervalMs` and re-renders with the result. Polling is the demo page's
 * stand-in for the inspector's subscription, which pushes deltas at the rate it asks for.
 */
export function usePolled<T>(read: () => T, intervalMs: number): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const timer = setInterval(() => setValue(read()), intervalMs);
    return () => clearInterval(timer);
  }, [read, intervalMs]);
  return value;
}
