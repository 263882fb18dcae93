/**
 * Applications: a top supervision tree started and stopped as one unit, under an application
 * master (as OTP's application_master): a process that traps exits, starts the tree linked
 * to itself, keeps it from being tied to whoever asked for the start, and reports when the
 * tree dies. https://www.erlang.org/doc/apps/kernel/application.html
 */
import {
  type Pid, type Scheduler, type Wait, ProcessExit, TIMEOUT, currentScheduler, isDownMessage, isExitMessage, receive, trapExit,
  exit,
} from '../core/index.ts';
import type { StartResult } from '../behaviours/procLib.ts';
import { sendExit } from '../core/exit.ts';

export interface ApplicationSpec {
  name: string;
  /** Starts the top supervisor, linked to the caller (the application master). */
  start(): Generator<Wait, StartResult, unknown>;
  /** The resource file's keys that Application.spec/1 and Observer's Applications pane show. */
  description?: string;
  vsn?: string;
  /** The environment (Application.get_all_env/1). */
  env?: Record<string, unknown>;
  /** application:start/2's type; 'temporary' by default, as there. */
  type?: 'temporary' | 'transient' | 'permanent';
}

export interface RunningApplication {
  name: string;
  master: Pid;
  root: Pid | null;
}

const MASTER_LABEL = 'application_master';

/**
 * Starts `spec` under a new application master on `s`. Resolves with the master and the root
 * supervisor, or rejects with the start error.
 */
export function startApplication(s: Scheduler, spec: ApplicationSpec): Promise<RunningApplication> {
  return new Promise((resolve, reject) => {
    s.spawn(
      function* applicationMaster() {
        trapExit(true);
        const r = yield* spec.start();
        if (r === 'ignore' || r[0] !== 'ok') {
          reject(new Error(`application '${spec.name}' failed to start: ${JSON.stringify(r === 'ignore' ? 'ignore' : r[1])}`));
          return;
        }
        const root = r[1];
        const me = currentScheduler().self();
        const published = {
          name: spec.name, root, description: spec.description ?? '', vsn: spec.vsn ?? '', type: spec.type ?? 'temporary', env: spec.env ?? {},
        };
        me.extension().dict = new Map<string, unknown>([['orchard.application', published]]);
        resolve({ name: spec.name, master: me.pid, root });
        for (;;) {
          const m: unknown = yield receive();
          if (isExitMessage(m) && m.from === root) return; // the tree gave up: the application stops
          if (isExitMessage(m)) {
            // Asked to stop (exit signal from outside): shut the tree down first, then go.
            exit(root, 'shutdown');
            yield* awaitExit(root, 30_000);
            throw new ProcessExit('shutdown');
          }
        }
      },
      [],
      { label: `${MASTER_LABEL} ${spec.name}` },
    );
  });
}

/** Stops an application: the tree shuts down in order, then the master exits. */
export function stopApplication(s: Scheduler, app: RunningApplication): void {
  if (s.procs.has(app.master)) sendExit(s, app.master, 'shutdown', s.current?.pid ?? s.hostPid);
}

function* awaitExit(pid: Pid, ms: number): Generator<Wait, void, unknown> {
  const m = yield receive((x: unknown) => (isExitMessage(x) && x.from === pid) || isDownMessage(x), { after: ms });
  if (m === TIMEOUT) exit(pid, 'kill');
}
