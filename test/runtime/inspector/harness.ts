/**
 * A live runtime for the inspector tests: a scheduler on the real clock (the endpoint ticks on
 * real timers) with a supervision tree of workers, exposed with `exposeInspector` and attached
 * over a MessageChannel, the path the Observer uses for its own page.
 */
import { vi } from 'vitest';
import * as GenServer from '../../../runtime/behaviours/genServer.ts';
import * as Supervisor from '../../../runtime/behaviours/supervisor.ts';
import { type Pid, Scheduler, setDefaultScheduler } from '../../../runtime/core/index.ts';
import { type ExposeOptions, type ExposedInspector, exposeInspector } from '../../../runtime/inspector/index.ts';
import { type ClientOptions, type InspectorClient, PROTOCOL, attachPort, memoryWallPair } from '../../../runtime/protocol/index.ts';
import { sendExit } from '../../../runtime/core/exit.ts';

export const WORKER = 'InspectorTest.Worker';

GenServer.define(WORKER, {
  init: (n: number) => ['ok', { n, seen: 0 }],
  handleCast: (_msg: unknown, state: { n: number; seen: number }) => ['noreply', { n: state.n, seen: state.seen + 1 }],
  handleCall: (_req: unknown, _from, state: { n: number; seen: number }) => ['reply', state.seen, state],
  formatStatus: (state) => state,
});

export interface Live {
  s: Scheduler;
  sup: Pid;
  exposed: ExposedInspector;
  /** Pids of the supervisor's children, by child id. */
  children(): Promise<Map<string, Pid>>;
  close(): void;
}

/** Starts a one_for_one supervisor `inspector_test_sup` with `n` workers w0..w(n-1), and exposes it. */
export async function startLive(n = 3, options: Partial<ExposeOptions> = {}): Promise<Live> {
  const s = new Scheduler();
  setDefaultScheduler(s);
  const sup = await new Promise<Pid>((resolve, reject) => {
    s.spawn(function* starter() {
      const r = yield* Supervisor.startLink(
        Array.from({ length: n }, (_, i) => ({ id: `w${i}`, start: [WORKER, [i]] as [string, unknown[]] })),
        { name: 'inspector_test_sup', intensity: 100, period: 5 },
      );
      if (r === 'ignore' || r[0] !== 'ok') reject(new Error(`supervisor did not start: ${JSON.stringify(r)}`));
      else resolve(r[1]);
      // Stay alive: the supervisor is linked to this process.
      yield { match: () => false, after: -1, persistent: false, resume: () => {} };
    });
  });
  const exposed = exposeInspector(s, { allowedOrigins: [], capabilities: ['observe', 'control'], window: null, ...options });
  return {
    s,
    sup,
    exposed,
    async children() {
      const out = new Map<string, Pid>();
      await vi.waitFor(() => {
        const report = (s.procs.get(sup)?.ext?.dict?.get('orchard.supervisor') as (() => { children: Array<{ id: string; pid: Pid | null }> }) | undefined);
        if (report === undefined) throw new Error('no report yet');
      });
      const p = s.procs.get(sup)!;
      const fn = p.ext!.dict!.get('orchard.supervisor') as (now: number) => { children: Array<{ id: string; pid: Pid | null }> };
      for (const c of fn(s.clock.now()).children) if (c.pid !== null) out.set(c.id, c.pid);
      return out;
    },
    close() {
      exposed.close();
      for (const pid of [...s.procs.keys()]) sendExit(s, pid, 'kill', s.hostPid);
      setDefaultScheduler(null);
    },
  };
}

export function attach(live: Live, options: ClientOptions = {}): InspectorClient {
  return attachPort(live.exposed.connectLocal(), { heartbeatMs: false, ...options });
}

/** A raw wire to the endpoint: send anything, read every answer (batches taken apart). */
export interface RawWire {
  send(message: unknown): void;
  received: Array<Record<string, unknown>>;
  /** Waits for the answer carrying `id`. */
  answer(id: number): Promise<Record<string, unknown>>;
  /** A hello, then waits for the welcome (or refused). */
  hello(capabilities?: string[], extra?: object): Promise<Record<string, unknown>>;
}

export function rawWire(live: Live, origin: string | 'local' = 'local', originA = 'memory://inspector'): RawWire {
  const [inspector, runtime] = memoryWallPair({ originA });
  live.exposed.endpoint.connect(runtime, origin);
  const received: Array<Record<string, unknown>> = [];
  inspector.listen((m) => {
    for (const x of Array.isArray(m) ? m : [m]) received.push(x as Record<string, unknown>);
  });
  const wire: RawWire = {
    send: (m) => inspector.send(m),
    received,
    async answer(id) {
      let found: Record<string, unknown> | undefined;
      await vi.waitFor(() => {
        found = received.find((m) => m.id === id);
        if (found === undefined) throw new Error(`no answer to ${id} yet`);
      });
      return found!;
    },
    async hello(capabilities = ['observe', 'control'], extra = {}) {
      wire.send({ protocol: PROTOCOL, version: 1, type: 'hello', id: 0, capabilities, client: { name: 'test', version: '0' }, ...extra });
      return wire.answer(0);
    },
  };
  return wire;
}

export const req = (type: string, id: number, fields: object = {}) => ({ protocol: PROTOCOL, version: 1, type, id, ...fields });
