import { EmptyState } from '../../components/EmptyState.tsx';
import { PidLink } from '../../components/PidLink.tsx';
import { useRuntime } from '../../context/ObserverContext.tsx';
import { useShallow } from 'zustand/react/shallow';

/**
 * The Applications tab's slot: the supervision trees go here. Until the tree is drawn, it lists
 * the running applications and their root supervisors.
 */
export function ApplicationsView() {
  const applications = useRuntime(useShallow((s) => s.applications));
  if (applications.length === 0) return <EmptyState title="No application running">Start one from the Demos tab.</EmptyState>;
  return (
    <EmptyState title="Supervision trees">
      {applications.map((a) => (
        <div key={a.name}>
          {a.name}: {a.root ? <PidLink pid={a.root} showName /> : '—'}
        </div>
      ))}
    </EmptyState>
  );
}
