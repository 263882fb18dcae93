/**
 * A small fixed-height row virtualizer: which rows of `count` are in view in a scrolling
 * element, plus a few either side. Only those rows are mounted, so 100,000 rows cost what 40 do.
 */
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

export interface VirtualRange {
  start: number;
  end: number;
  /** Total height of all rows, px. */
  height: number;
}

export function useVirtualRows(scroller: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 8): VirtualRange & { scrollToIndex(i: number): void } {
  const [view, setView] = useState({ top: 0, height: 600 });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    };
    const onScroll = () => {
      if (frame === 0) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [scroller]);

  const scrollToIndex = useCallback(
    (i: number) => {
      const el = scroller.current;
      if (el === null) return;
      const top = i * rowHeight;
      if (top < el.scrollTop || top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 2);
    },
    [scroller, rowHeight],
  );

  const start = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  return { start, end, height: count * rowHeight, scrollToIndex };
}
