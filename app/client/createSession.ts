/**
 * A session: one attachment's traffic, written into the stores. Every envelope the client
 * receives goes to the runtime store as it is, in one hop. It subscribes with the UI's live
 * settings and re-subscribes when they change (pause = unsubscribe, resume = subscribe, which
 * brings a fresh snapshot and the flight recorder's backlog).
 */
import { LIMITS, type AnyRuntimeMessage, type InspectorClient, type InspectorToRuntime, type Pid, type Result } from '../protocol.ts';
import type { RuntimeStore } from '../store/runtimeStore.ts';
import type { UiState, UiStore } from '../store/uiStore.ts';
import type { CommandResult, Session } from './Session.ts';

export const DEFAULT_MAILBOX_LIMIT = LIMITS.defaultMailboxPreview;

function subscription(ui: UiState): InspectorToRuntime['subscribe'] {
  return {
    rate: Math.min(LIMITS.maxRate, Math.max(LIMITS.minRate, 1000 / ui.refreshMs)),
    // The table virtualizes, so ask for every process (up to the protocol's bound).
    processes: { limit: LIMITS.maxProcessLimit, sortBy: 'reductionsDelta', ...(ui.selected ? { include: [ui.selected] } : {}) },
    hideInspector: ui.hideObserverProcesses,
  };
}

function toResult(answer: Result<AnyRuntimeMessage>): CommandResult {
  if (!answer.ok) return { ok: false, code: answer.code === 'timeout' || answer.code === 'disconnected' ? 'not_connected' : answer.code, message: answer.message };
  return answer.value.type === 'ok' ? { ok: true, result: answer.value.result } : { ok: true };
}

export function createSession(client: InspectorClient, runtime: RuntimeStore, ui: UiStore): Session {
  const store = runtime.getState();
  let closed = false;
  const watched = new Map<Pid, number>(); // pid → how many views watch it

  const ask = async <K extends keyof InspectorToRuntime>(type: K, payload: InspectorToRuntime[K]): Promise<CommandResult> => {
    if (closed) return { ok: false, code: 'not_connected', message: 'the session is closed' };
    // The answer's envelope has gone to the store already (onMessage), like every other.
    return toResult(await client.request(type, payload));
  };

  const offMessage = client.onMessage((m) => {
    if (closed) return;
    // Paused means frozen: what is still in flight from before the unsubscribe is dropped.
    if (ui.getState().paused && (m.type === 'snapshot' || m.type === 'delta' || m.type === 'events' || m.type === 'process_detail')) return;
    store.ingest(m);
  });
  const offClose = client.onStatus((status) => {
    if (closed || (status !== 'disconnected' && status !== 'refused')) return;
    closed = true;
    runtime.getState().setConnection({ status: 'gone', message: client.reason?.message ?? status });
  });

  // A hidden tab asks for nothing (Redux DevTools' autoPause; Orleans dashboard #160): the
  // runtime stops building snapshots for nobody, and a fresh one comes when the tab is back.
  const hidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';
  let streaming: boolean | null = null;
  const subscribe = (s: UiState, force = false): void => {
    const want = !s.paused && !hidden();
    if (want === streaming && !force) return;
    streaming = want;
    if (want) void ask('subscribe', subscription(s));
    else void ask('unsubscribe', {});
  };
  const onVisibility = (): void => subscribe(ui.getState());
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
  runtime.getState().history.sampleMs = ui.getState().chart.sampleMs;
  subscribe(ui.getState());
  const offUi = ui.subscribe((s, prev) => {
    if (s.chart.sampleMs !== prev.chart.sampleMs) runtime.getState().history.sampleMs = s.chart.sampleMs;
    if (s.paused !== prev.paused) subscribe(s);
    else if (s.refreshMs !== prev.refreshMs || s.hideObserverProcesses !== prev.hideObserverProcesses) subscribe(s, !s.paused);
  });

  return {
    kill: (pid) => ask('kill', { pid }),
    exit: (pid, reason) => ask('exit', { pid, reason }),
    send: (to, message) => ask('send', { to, message }),
    sendTerm: (to, message) => ask('send', { to, message, typed: true }),
    call: (to, request, timeout) => ask('call', timeout === undefined ? { to, request } : { to, request, timeout }),
    cast: (to, request) => ask('cast', { to, request }),
    startApplication: (name) => ask('startApplication', { name }),
    stopApplication: (name) => ask('stopApplication', { name }),
    suspend: (pid) => ask('suspend', { pid }),
    resume: (pid) => ask('resume', { pid }),
    watch(pid, mailboxLimit = DEFAULT_MAILBOX_LIMIT) {
      const n = watched.get(pid) ?? 0;
      watched.set(pid, n + 1);
      if (n === 0) void ask('inspect', { pid, mailboxLimit, watch: true });
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const left = (watched.get(pid) ?? 1) - 1;
        if (left > 0) return void watched.set(pid, left);
        watched.delete(pid);
        runtime.getState().forgetDetail(pid);
        void ask('unwatch', { pid });
      };
    },
    requestTables: () => ask('tables', {}),
    requestTable: (table, offset, limit) => ask('table', { table, offset, limit }),
    close() {
      if (closed) return;
      closed = true;
      offUi();
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
      offMessage();
      offClose();
      client.disconnect();
    },
  };
}
