/**
 * The stores and the current session, handed to the views. Views read slices through
 * `useRuntime(selector)` and `useUi(selector)` (zustand's useStore on the vanilla stores) and
 * send commands through `useSession()`.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AttachStore, AttachTarget } from '../client/attachStore.ts';
import type { Session } from '../client/Session.ts';
import type { Replay } from '../replay/createReplay.ts';
import type { RuntimeActions, RuntimeState, RuntimeStore } from '../store/runtimeStore.ts';
import type { UiActions, UiState, UiStore } from '../store/uiStore.ts';

export interface Observer {
  runtime: RuntimeStore;
  ui: UiStore;
  attach: AttachStore;
  /** Attaches to a runtime, leaving the current one (see app/client/connect.ts). */
  connect(target: AttachTarget): void;
  /** The iframe of a `frame` target has loaded: its window is the one to attach to. */
  frameLoaded(win: Window): void;
  /** The recording and the timeline (app/replay): the live ring, scrubbing, files. */
  replay: Replay;
  /** True in the views' observer while they show a recorded moment (`runtime` is then the replay store). */
  replaying?: boolean;
}

const Context = createContext<Observer | null>(null);

export function ObserverProvider({ observer, children }: { observer: Observer; children: ReactNode }) {
  return <Context.Provider value={observer}>{children}</Context.Provider>;
}

export function useObserver(): Observer {
  const o = useContext(Context);
  if (o === null) throw new Error('useObserver: no ObserverProvider above this component');
  return o;
}

export function useRuntime<T>(selector: (s: RuntimeState & RuntimeActions) => T): T {
  return useStore(useObserver().runtime, selector);
}

export function useUi<T>(selector: (s: UiState & UiActions) => T): T {
  return useStore(useObserver().ui, selector);
}

/** The UI store's actions: stable functions, so reading them never re-renders. */
export function useUiActions(): UiActions {
  return useObserver().ui.getState();
}

export function useSession(): Session {
  return useStore(useObserver().attach, (s) => s.session);
}
