/** How each flight-recorder event reads: a short kind, its main process, and text to filter on. */
import type { InspectorEvent, InspectorEventType, Pid } from '../../protocol.ts';

export const EVENT_KINDS: ReadonlyArray<{ type: InspectorEventType; label: string; tone: 'ok' | 'bad' | 'warn' | 'info' | 'dim' }> = [
  { type: 'orchard.process.spawned', label: 'spawn', tone: 'ok' },
  { type: 'orchard.process.exited', label: 'exit', tone: 'bad' },
  { type: 'orchard.supervisor.restarted', label: 'restart', tone: 'warn' },
  { type: 'orchard.supervisor.intensity_exceeded', label: 'escalation', tone: 'bad' },
  { type: 'orchard.process.linked', label: 'link', tone: 'dim' },
  { type: 'orchard.process.unlinked', label: 'unlink', tone: 'dim' },
  { type: 'orchard.process.monitored', label: 'monitor', tone: 'dim' },
  { type: 'orchard.process.down', label: 'down', tone: 'info' },
  { type: 'orchard.scheduler.replaced', label: 'scheduler', tone: 'bad' },
  { type: 'orchard.process.unexpected_message', label: 'unexpected', tone: 'warn' },
  { type: 'orchard.trace.send', label: 'send', tone: 'info' },
  { type: 'orchard.trace.receive', label: 'receive', tone: 'info' },
];

const BY_TYPE = new Map(EVENT_KINDS.map((k) => [k.type, k]));

export function eventKind(e: InspectorEvent) {
  return BY_TYPE.get(e.type) ?? { type: e.type, label: e.type, tone: 'dim' as const };
}

/** The process an event is about: clicking the event opens it. */
export function mainPid(e: InspectorEvent): Pid | null {
  switch (e.type) {
    case 'orchard.supervisor.restarted':
      return e.newPid ?? e.supervisor;
    case 'orchard.supervisor.intensity_exceeded':
      return e.supervisor;
    case 'orchard.scheduler.replaced':
      return null;
    case 'orchard.trace.send':
      return e.from;
    default:
      return e.pid;
  }
}

/** Every pid and word of the event, lower-cased, for the text filter. */
export function eventText(e: InspectorEvent): string {
  return Object.values(e)
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .join(' ')
    .toLowerCase()
    .concat(' ', eventKind(e).label);
}
