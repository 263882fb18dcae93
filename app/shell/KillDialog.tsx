import { useState } from 'react';
import { Dialog } from '../components/Dialog.tsx';
import { useRuntime, useSession, useUi, useUiActions } from '../context/ObserverContext.tsx';
import { type ExitChoice, ExitReasonField, reasonValue } from '../components/ExitReasonField.tsx';
import kill from '../components/KillForm.module.css';
import type { Pid } from '../protocol.ts';
import { displayName } from '../store/processQuery.ts';
import styles from './KillDialog.module.css';

/**
 * Confirms a kill asked for from anywhere (the `k` shortcut, the detail panel). `kill` is
 * untrappable; any other reason is an exit signal a process that traps exits receives as a
 * message, as erlang:exit/2.
 */
export function KillDialog() {
  const pid = useUi((s) => s.confirmKill);
  if (pid === null) return null;
  return <KillDialogFor key={pid} pid={pid} />;
}

function KillDialogFor({ pid }: { pid: Pid }) {
  const { askKill } = useUiActions();
  const session = useSession();
  const row = useRuntime((s) => s.processes.get(pid));
  const [choice, setChoice] = useState<ExitChoice>('kill');
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => askKill(null);

  const submit = async () => {
    let result;
    if (choice === 'kill') result = await session.kill(pid);
    else {
      const reason = reasonValue(choice, custom);
      if (!reason.ok) return setError(reason.message);
      result = await session.exit(pid, reason.value);
    }
    if (result.ok) close();
    else setError(`${result.code}: ${result.message}`);
  };

  return (
    <Dialog title={`Exit ${pid}`} onClose={close} label="Kill process">
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className={styles.who}>
          <code>{pid}</code> {row ? displayName(row) : '(not in the process list)'}
          {row?.trapExit ? <span className={styles.trap}> traps exits</span> : null}
        </p>
        <ExitReasonField name="reason" choice={choice} custom={custom} onChoice={setChoice} onCustom={setCustom} />
        {error ? <p className={kill.error} role="alert">{error}</p> : null}
        <div className={styles.actions}>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className={kill.danger} data-autofocus>
            {choice === 'kill' ? 'Kill' : 'Send exit'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
