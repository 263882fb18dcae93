import { ToggleChips } from '../../components/ToggleChips.tsx';
import { useUi, useUiActions } from '../../context/ObserverContext.tsx';
import type { InspectorEventType } from '../../protocol.ts';
import { EVENT_KINDS } from './eventMeta.ts';

const CHIPS = EVENT_KINDS.filter((k) => !k.type.startsWith('orchard.trace')).map((k) => ({ value: k.type, label: k.label, tone: k.tone }));

/** Toggle chips, one per event type; none pressed shows all. */
export function EventTypeFilter() {
  const types = useUi((s) => s.eventFilter.types);
  const { setEventFilter } = useUiActions();
  return <ToggleChips<InspectorEventType> label="Event types" chips={CHIPS} pressed={types} onChange={(t) => setEventFilter({ types: t })} clearable />;
}
