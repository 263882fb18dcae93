import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useObserver, useRuntime } from '../../context/ObserverContext.tsx';
import { type ChartDef, firstIndexAtOrAfter } from './chartSeries.ts';
import styles from './TimeSeriesChart.module.css';

const HEIGHT = 170;

/**
 * One uPlot chart fed from the store's History. It redraws outside React: a store subscription
 * schedules at most one setData per animation frame, so a 10 Hz stream costs no React render.
 */
export function TimeSeriesChart({ def, windowSec, frozen }: { def: ChartDef; windowSec: number; frozen: boolean }) {
  const { runtime } = useObserver();
  const host = useRef<HTMLDivElement>(null);
  const unavailable = useRuntime((s) => def.unavailable?.(s.history) ?? null);
  const frozenRef = useRef(frozen);
  frozenRef.current = frozen;

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const history = runtime.getState().history;
    let plot: uPlot | null = null;
    let seriesKey = '';
    let frame = 0;

    const build = (): void => {
      plot?.destroy();
      const series = def.series(history);
      seriesKey = series.map((s) => s.label).join('|');
      plot = new uPlot(
        {
          width: Math.max(200, el.clientWidth),
          height: HEIGHT,
          legend: { show: true, live: true },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true, auto: false }, y: def.range ? { range: def.range } : { range: (_u, _min, max) => [0, Math.max(def.minCeiling ?? 1, max * 1.1)] } },
          axes: [
            { stroke: '#8c93a1', grid: { stroke: '#262b35', width: 1 }, ticks: { stroke: '#2a2f3a' } },
            { stroke: '#8c93a1', grid: { stroke: '#262b35', width: 1 }, ticks: { stroke: '#2a2f3a' }, size: 72, values: (_u, ticks) => ticks.map(def.unit) },
          ],
          series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, points: { show: false }, value: (_u: uPlot, v: number | null) => (v == null || Number.isNaN(v) ? '—' : def.unit(v)) }))],
        },
        data() as uPlot.AlignedData,
        el,
      );
      fitWindow();
    };

    // The visible window ends at the newest sample, so a young history fills from the right.
    const fitWindow = (): void => {
      const end = history.time.last() ?? Date.now() / 1000;
      plot?.setScale('x', { min: end - windowSec, max: end });
    };

    const data = (): number[][] => {
      const latest = history.time.last() ?? Date.now() / 1000;
      return def.values(history, firstIndexAtOrAfter(history.time, latest - windowSec));
    };

    const redraw = (): void => {
      frame = 0;
      if (frozenRef.current || plot === null) return;
      if (def.series(history).map((s) => s.label).join('|') !== seriesKey) build();
      else {
        plot.setData(data() as uPlot.AlignedData);
        fitWindow();
      }
    };

    build();
    let lastLength = -1;
    let lastTime = -1;
    const unsubscribe = runtime.subscribe(() => {
      const t = history.time.last() ?? -1;
      if (t === lastTime && history.time.length === lastLength) return;
      lastTime = t;
      lastLength = history.time.length;
      if (frame === 0) frame = requestAnimationFrame(redraw);
    });
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      unsubscribe();
      resize.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
      plot?.destroy();
    };
  }, [runtime, def, windowSec]);

  return (
    <section className={styles.chart} data-testid={`chart-${def.id}`}>
      <h2>{def.title}</h2>
      {unavailable !== null ? (
        <p className={styles.unavailable} role="note" data-testid={`chart-${def.id}-unavailable`}>
          {unavailable}
        </p>
      ) : null}
      <div ref={host} className={styles.plot} />
    </section>
  );
}

