import { useMemo, useRef } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import type { Replay } from '../../replay/createReplay.ts';
import { useObserver, useRuntime, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import { formatClock, formatInt } from '../../format/format.ts';
import { useVirtualRows } from '../../hooks/useVirtualRows.ts';
import type { InspectorEvent } from '../../protocol.ts';
import { EventSummary } from './EventSummary.tsx';
import { EventTypeFilter } from './EventTypeFilter.tsx';
import { eventText, mainPid } from './eventMeta.ts';
import styles from './EventsView.module.css';

const ROW = 26;

/** A restart or escalation still in the recording: step through it, fact by fact (app/replay). */
function StepThrough({ replay, event }: { replay: Replay; event: InspectorEvent }) {
  const marker = replay.current().markers.find((m) => m.facts.includes(event));
  if (marker === undefined) return null;
  return (
    <button
      type="button"
      className={styles.step}
      data-testid="event-step-through"
      title="Step through it on the timeline: the death, the supervisor's decision, each new child"
      onClick={(ev) => {
        ev.stopPropagation();
        replay.stepInto(marker);
      }}
    >
      step through
    </button>
  );
}

/** The flight recorder as a timeline, newest first, filtered by type and by pid or text. */
export function EventsView() {
  const { runtime, replay } = useObserver();
  const revision = useRuntime((s) => s.eventsRevision);
  const filter = useUi((s) => s.eventFilter);
  const selected = useUi((s) => s.selected);
  const { setEventFilter, select } = useUiActions();

  const shown = useMemo(() => {
    const types = new Set(filter.types);
    const needle = filter.text.trim().toLowerCase();
    const out: InspectorEvent[] = [];
    const all = runtime.getState().events;
    for (let i = all.length - 1; i >= 0; i--) {
      const e = all[i]!;
      if (types.size > 0 && !types.has(e.type)) continue;
      if (needle !== '' && !eventText(e).includes(needle)) continue;
      out.push(e);
    }
    return out;
    // `revision` stands for the events array, replaced on each change.
  }, [runtime, revision, filter]);

  const scroller = useRef<HTMLDivElement>(null);
  const { start, end, height } = useVirtualRows(scroller, shown.length, ROW);
  const total = runtime.getState().events.length;

  return (
    <div className={styles.view}>
      <FilterBar
        label="Filter events"
        placeholder="Filter by pid, reason, name…  ( / )"
        value={filter.text}
        onChange={(text) => setEventFilter({ text })}
        countAtEnd
        count={`${formatInt(shown.length)} of ${formatInt(total)}`}
      >
        <EventTypeFilter />
      </FilterBar>
      {shown.length === 0 ? (
        <EmptyState title={total === 0 ? 'No events yet' : 'No event matches the filter'}>
          {total === 0 ? 'Spawns, exits, restarts and escalations appear here as they happen.' : null}
        </EmptyState>
      ) : (
        <div ref={scroller} className={styles.scroller} role="list" aria-label="Events">
          <div className={styles.sizer} style={{ height }}>
            {shown.slice(start, end).map((e, k) => {
              const pid = mainPid(e);
              const i = start + k;
              return (
                <div
                  key={`${e.at}-${e.type}-${i}`}
                  role="listitem"
                  className={pid !== null && pid === selected ? `${styles.row} ${styles.selected}` : styles.row}
                  style={{ top: i * ROW }}
                  data-testid="event-row"
                  data-type={e.type}
                  onClick={() => pid !== null && select(pid, true)}
                >
                  <time>{formatClock(e.at)}</time>
                  <EventSummary event={e} />
                  {e.type === 'orchard.supervisor.restarted' || e.type === 'orchard.supervisor.intensity_exceeded' ? <StepThrough replay={replay} event={e} /> : null}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
