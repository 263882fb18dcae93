import type { Observer } from './context/ObserverContext.tsx';
import { ObserverProvider } from './context/ObserverContext.tsx';
import { Shell } from './shell/Shell.tsx';

export function App({ observer }: { observer: Observer }) {
  return (
    <ObserverProvider observer={observer}>
      <Shell />
    </ObserverProvider>
  );
}
