import { useUi, useUiActions } from '../../context/ObserverContext.tsx';
import type { InspectorEventType } from '../../protocol.ts';
import { EVENT_KINDS } from './eventMeta.ts';
import styles from './EventTypeFilter.module.css';

/** Toggle chips, one per event type; none pressed shows all. */
export function EventTypeFilter() {
  const types = useUi((s) => s.eventFilter.types);
  const { setEventFilter } = useUiActions();
  const toggle = (t: InspectorEventType) => setEventFilter({ types: types.includes(t) ? types.filter((x) => x !== t) : [...types, t] });
  return (
    <div className={styles.chips} role="group" aria-label="Event types">
      {EVENT_KINDS.filter((k) => !k.type.startsWith('orchard.trace')).map((k) => (
        <button key={k.type} type="button" className={styles.chip} data-tone={k.tone} aria-pressed={types.includes(k.type)} onClick={() => toggle(k.type)}>
          {k.label}
        </button>
      ))}
      {types.length > 0 ? (
        <button type="button" className={styles.clear} onClick={() => setEventFilter({ types: [] })}>
          all
        </button>
      ) : null}
    </div>
  );
}
