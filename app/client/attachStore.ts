/**
 * Which runtime the Observer is attached to, and the session that talks to it. Attaching to a
 * new target closes the old session and clears the runtime store first, so no view ever mixes
 * two runtimes' processes.
 */
import { createStore } from 'zustand/vanilla';
import { DETACHED, type Session } from './Session.ts';

export type AttachTarget =
  /** The runtime this page runs (the built-in demos). */
  | { kind: 'self' }
  /** A page embedded in an iframe that we render (Attach view). */
  | { kind: 'frame'; url: string; origin: string }
  /** A window we open (a popup). */
  | { kind: 'popup'; url: string; origin: string }
  /** The window that opened us. */
  | { kind: 'opener'; origin: string }
  /** A BEAM node, through the bridge's WebSocket (runtime/beam). */
  | { kind: 'beam'; url: string };

export interface AttachState {
  target: AttachTarget | null;
  session: Session;
  /** Bumped on every attach, so a frame element remounts (a fresh page, a fresh runtime). */
  generation: number;
}

export type AttachStore = ReturnType<typeof createAttachStore>;

export function createAttachStore() {
  return createStore<AttachState>()(() => ({ target: null, session: DETACHED, generation: 0 }));
}

export function describeTarget(t: AttachTarget | null): string {
  if (t === null) return 'nothing';
  switch (t.kind) {
    case 'self':
      return 'this page';
    case 'frame':
      return `iframe ${t.url}`;
    case 'popup':
      return `window ${t.url}`;
    case 'opener':
      return `opener (${t.origin})`;
    case 'beam':
      return `BEAM node via ${t.url.replace(/\?.*$/, '')}`;
  }
}
