import type { ProcessInfo } from '../../runtime/core/index.ts';
import type { Demo } from '../demo/startDemo.ts';
import { ExitLog } from './ExitLog.tsx';
import { ProcessTable } from './ProcessTable.tsx';
import { StatsBar } from './StatsBar.tsx';
import { usePolled } from './usePolled.ts';
import styles from './DemoPage.module.css';

/** Five reads a second: live enough to watch a restart, cheap enough to leave open. */
const POLL_MS = 200;

const isWorker = (p: ProcessInfo): boolean => p.parent !== null && p.label !== null;

export function DemoPage({ demo }: { demo: Demo }) {
  const snapshot = usePolled(demo.read, POLL_MS);
  const rootAlive = snapshot.processes.some((p) => p.parent === null);
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1>
          <span className={styles.logo} aria-hidden="true">●</span> Orchard
        </h1>
        <p className={styles.tagline}>
          A root process traps exits and links four workers; kill one and watch the root start a fresh
          one in its place.
        </p>
      </header>
      <StatsBar stats={snapshot.stats} />
      <section className={styles.panel}>
        <h2>Processes</h2>
        <ProcessTable processes={snapshot.processes} canKill={isWorker} onKill={demo.kill} />
        {!rootAlive && (
          <div className={styles.gone} role="status">
            The root gave up after more than {demo.flags.intensity} restarts in {demo.flags.periodMs / 1000} s, and its
            linked workers exited with it.
            <button type="button" onClick={demo.restart}>start again</button>
          </div>
        )}
      </section>
      <section className={styles.panel}>
        <h2>Recent exits</h2>
        <ExitLog exits={snapshot.exits} />
      </section>
      <footer className={styles.footer}>
        Temporary page: the Observer, reading the runtime over the inspector protocol, replaces it.
      </footer>
    </div>
  );
}
