import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useRuntime, useSession } from '../../context/ObserverContext.tsx';

/** The Demos tab's slot: start and stop the applications the runtime offers. */
export function DemosView() {
  const session = useSession();
  const available = useRuntime(useShallow((s) => s.available));
  const running = useRuntime(useShallow((s) => s.applications.map((a) => a.name)));
  if (available.length === 0) return <EmptyState title="No demo applications">This runtime offers none.</EmptyState>;
  return (
    <div style={{ padding: 12, display: 'flex', flexDirection: 'column', gap: 8, overflow: 'auto' }}>
      {available.map((a) => {
        const on = running.includes(a.name);
        return (
          <div key={a.name} data-testid="demo" data-name={a.name} style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
            <button type="button" style={{ width: 70 }} onClick={() => void (on ? session.stopApplication(a.name) : session.startApplication(a.name))}>
              {on ? 'Stop' : 'Start'}
            </button>
            <b style={{ width: 160 }}>{a.name}</b>
            <span style={{ color: 'var(--text-dim)' }}>{a.description}</span>
          </div>
        );
      })}
    </div>
  );
}
