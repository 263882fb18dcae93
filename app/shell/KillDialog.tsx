import { Dialog } from '../components/Dialog.tsx';
import { KillForm } from '../components/KillForm.tsx';
import { useObserver, useRuntime, useSession, useUi, useUiActions } from '../context/ObserverContext.tsx';
import type { Pid } from '../protocol.ts';

/**
 * A kill asked for outside the tree (the `k` shortcut, the detail panel): the one kill form
 * (KillForm.tsx), blast radius included, in a dialog.
 */
export function KillDialog() {
  const pid = useUi((s) => s.confirmKill);
  if (pid === null) return null;
  return <KillDialogFor key={pid} pid={pid} />;
}

function KillDialogFor({ pid }: { pid: Pid }) {
  const { askKill } = useUiActions();
  const observer = useObserver();
  const session = useSession();
  const canControl = useRuntime((s) => s.connection.granted.includes('control'));
  // A selection the runtime moved here arms no kill (followSelection.ts).
  const moved = useUi((s) => (s.selected === pid ? s.selectionMoved : null));
  const close = () => askKill(null);
  return (
    <Dialog title={`Exit ${pid}`} onClose={close} label="Kill process">
      <KillForm pid={pid} runtime={observer.runtime} session={session} name="reason" canControl={canControl} moved={moved} onSent={close} onCancel={close} />
    </Dialog>
  );
}
