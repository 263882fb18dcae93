/**
 * Puts the Observer together: the stores, the attach state, and `connect`, which leaves the
 * current runtime and attaches to another. One code path for every target (DESIGN: what the
 * built-in demos show is what an embedder gets).
 */
import type { Observer } from '../context/ObserverContext.tsx';
import { InspectorRequestError, envelope } from '../protocol.ts';
import { createRuntimeStore } from '../store/runtimeStore.ts';
import { bindSelection, createUiStore } from '../store/uiStore.ts';
import { type AttachTarget, createAttachStore, describeTarget } from './attachStore.ts';
import type { ClientConnection } from './ClientConnection.ts';
import { createSession } from './createSession.ts';
import { DETACHED } from './Session.ts';

/** Opens a protocol connection to a target; `win` is the target's window where it has one. */
export type OpenConnection = (target: AttachTarget, win: Window | null) => Promise<ClientConnection>;

export function createObserver(open: OpenConnection): Observer {
  const runtime = createRuntimeStore();
  const ui = createUiStore();
  const attach = createAttachStore();
  bindSelection(runtime, ui);
  let attempt = 0;

  const start = (target: AttachTarget, win: Window | null): void => {
    const mine = ++attempt;
    open(target, win).then(
      (conn) => {
        if (mine !== attempt) return conn.close(); // a newer attach won
        runtime.getState().ingest(envelope('welcome', conn.welcome));
        attach.setState({ session: createSession(conn, runtime, ui) });
      },
      (e: unknown) => {
        if (mine !== attempt) return;
        runtime.getState().setConnection(failure(e, target));
      },
    );
  };

  return {
    runtime,
    ui,
    attach,
    connect(target) {
      attach.getState().session.close();
      attempt++;
      runtime.getState().reset();
      runtime.getState().setConnection({ status: 'connecting', target: describeTarget(target), runtime: null, granted: [], message: null });
      attach.setState((s) => ({ target, session: DETACHED, generation: s.generation + 1 }));
      // A frame connects when its page has loaded (FrameHost calls frameLoaded).
      if (target.kind === 'frame') return;
      if (target.kind === 'popup') {
        const win = window.open(target.url, 'orchard-inspected');
        if (win === null) return runtime.getState().setConnection({ status: 'refused', message: 'the browser blocked the popup' });
        return start(target, win);
      }
      start(target, target.kind === 'opener' ? (window.opener as Window | null) : null);
    },
    frameLoaded(win) {
      const target = attach.getState().target;
      if (target?.kind !== 'frame') return;
      attach.getState().session.close();
      attach.setState({ session: DETACHED });
      runtime.getState().reset();
      runtime.getState().setConnection({ status: 'connecting', message: null });
      start(target, win);
    },
  };
}

/** Why an attach failed, in the words the connection banner shows. */
function failure(e: unknown, target: AttachTarget): { status: 'refused' | 'gone'; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof InspectorRequestError ? e.code : null;
  if (code === 'timeout') {
    return { status: 'gone', message: `nothing answered from ${describeTarget(target)}: does the page call exposeInspector and list ${location.origin} among its allowed origins?` };
  }
  if (code === 'disconnected') return { status: 'gone', message };
  return { status: 'refused', message: code === null ? message : `${message} (${code})` };
}
