import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { Observer } from './context/ObserverContext.tsx';
import { ObserverProvider } from './context/ObserverContext.tsx';
import { Shell } from './shell/Shell.tsx';

export function App({ observer }: { observer: Observer }) {
  // While the timeline shows a recorded moment, every view reads the replay store, and
  // commands go to a session that refuses them (app/replay/createReplay.ts).
  const replaying = useStore(observer.replay.state, (s) => s.mode === 'replay');
  const shown = useMemo<Observer>(() => (replaying ? { ...observer, runtime: observer.replay.runtime, attach: observer.replay.attach, replaying: true } : observer), [observer, replaying]);
  return (
    <ObserverProvider observer={shown}>
      <Shell />
    </ObserverProvider>
  );
}
