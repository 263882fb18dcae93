/**
 * The Demos view: start and stop the applications the runtime offers (the snapshot's
 * `available`; running ones are in `applications`), and the chaos switch, which kills a random
 * worker at a chosen interval (chaosMonkey.ts) while the tree is watched.
 */
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useObserver, useRuntime, useSession, useUiActions } from '../../context/ObserverContext.tsx';
import { formatInt } from '../../format/format.ts';
import type { TreeNode } from '../../layout/supervisionForest.ts';
import type { Pid, ProcessRow } from '../../protocol.ts';
import { demoRecording } from '../../replay/demoRecordings.ts';
import { forestTracker } from '../Applications/forestTracker.ts';
import { treeView } from '../Applications/treeViewStore.ts';
import { ChaosPanel } from './ChaosPanel.tsx';
import styles from './DemosView.module.css';

export function DemosView() {
  const observer = useObserver();
  const session = useSession();
  const { setTab } = useUiActions();
  const available = useRuntime(useShallow((s) => s.available));
  const running = useRuntime(useShallow((s) => s.applications.map((a) => a.name)));
  const canControl = useRuntime((s) => s.connection.granted.includes('control'));
  const schedulerCount = useRuntime((s) => s.schedulers.length);
  const tracker = useMemo(() => forestTracker(observer.runtime), [observer.runtime]);
  const forest = useStore(tracker.store, (s) => s.forest);
  const [pending, setPending] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const toggle = async (name: string, on: boolean) => {
    setPending((p) => ({ ...p, [name]: on ? 'stopping…' : 'starting…' }));
    const r = on ? await session.stopApplication(name) : await session.startApplication(name);
    setPending(({ [name]: _, ...rest }) => rest);
    setErrors(({ [name]: _, ...rest }) => (r.ok ? rest : { ...rest, [name]: `${r.code}: ${r.message}` }));
  };

  if (available.length === 0 && running.length === 0) {
    return <EmptyState title="No demo applications">This runtime offers none it can start by name.</EmptyState>;
  }
  return (
    <div className={styles.view} data-testid="demos-view">
      <section className={styles.list} aria-label="Demo applications">
        <h2 className={styles.heading}>Applications</h2>
        {!canControl ? <p className={styles.note}>This runtime granted observe only: starting and stopping are off.</p> : null}
        {available.map((a) => {
          const on = running.includes(a.name);
          const app = forest.byKey.get(a.name);
          const fell = app?.status === 'dead';
          const recording = demoRecording(a.name);
          return (
            <article key={a.name} className={styles.demo} data-testid="demo" data-name={a.name} data-running={on}>
              <span className={styles.state} data-on={on} data-fell={fell} aria-hidden="true" />
              <div className={styles.what}>
                <h3>{a.name}</h3>
                <p>{a.description}</p>
                {errors[a.name] ? (
                  <p className={styles.error} role="alert">
                    {errors[a.name]}
                  </p>
                ) : null}
              </div>
              <span className={styles.meta}>
                {on && app !== undefined ? `${formatInt(app.size + 1)} processes${schedulerCount > 1 ? ` · ${placement(app, observer.runtime.getState().processes)}` : ''}` : fell ? 'stopped: its tree fell' : on ? 'running' : ''}
              </span>
              {on ? (
                <button
                  type="button"
                  onClick={() => {
                    treeView.setState({ reveal: { key: a.name, zoom: false }, userMoved: true });
                    setTab('applications');
                  }}
                >
                  Show tree
                </button>
              ) : null}
              {recording !== undefined ? (
                <button
                  type="button"
                  title={`A recording of ${recording.moment}: scrub it, step through the restart`}
                  data-testid="watch-recording"
                  onClick={() => void observer.replay.openUrl(new URL(recording.file, document.baseURI).href).then((ok) => ok && setTab('applications'))}
                >
                  Watch the recording
                </button>
              ) : null}
              <button
                type="button"
                title={on ? undefined : 'Run it live'}
                className={on ? styles.stop : styles.start}
                disabled={!canControl || pending[a.name] !== undefined}
                onClick={() => void toggle(a.name, on)}
              >
                {pending[a.name] ?? (on ? 'Stop' : 'Start')}
              </button>
            </article>
          );
        })}
      </section>
      <ChaosPanel running={running} canControl={canControl} />
    </div>
  );
}

/** Which schedulers an application's tree runs on ("scheduler 1", "schedulers 0, 1"), from its rows. */
function placement(app: TreeNode, processes: ReadonlyMap<Pid, ProcessRow>): string {
  const ids = new Set<number>();
  const walk = (n: TreeNode): void => {
    const row = n.pid === null ? undefined : processes.get(n.pid);
    if (row !== undefined) ids.add(row.scheduler);
    for (const c of n.children) walk(c);
  };
  walk(app);
  const list = [...ids].sort((a, b) => a - b);
  return `${list.length === 1 ? 'scheduler' : 'schedulers'} ${list.join(', ')}`;
}
