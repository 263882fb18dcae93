/**
 * Puts the Observer together: the stores, the attach state, and `connect`, which leaves the
 * current runtime and attaches to another. One code path for every target (DESIGN: what the
 * built-in demos show is what an embedder gets).
 */
import type { Observer } from '../context/ObserverContext.tsx';
import type { ClientErrorCode, InspectorClient } from '../protocol.ts';
import { createRuntimeStore } from '../store/runtimeStore.ts';
import { createReplay } from '../replay/createReplay.ts';
import { bindSelection } from '../store/followSelection.ts';
import { createUiStore } from '../store/uiStore.ts';
import { type AttachTarget, createAttachStore, describeTarget } from './attachStore.ts';
import { createSession } from './createSession.ts';
import { DETACHED } from './Session.ts';

/** Attaches a protocol client to a target; `win` is the target's window where it has one. */
export type AttachClient = (target: AttachTarget, win: Window | null) => InspectorClient;

export function createObserver(attachClient: AttachClient): Observer {
  const runtime = createRuntimeStore();
  const ui = createUiStore();
  const attach = createAttachStore();
  const replay = createReplay(runtime);
  // While a recorded moment is shown, the selection is a pid of that moment: the present's
  // restarts do not move it.
  bindSelection(runtime, ui, () => replay.state.getState().mode === 'live');
  let attempt = 0;

  const start = (target: AttachTarget, win: Window | null): void => {
    const mine = ++attempt;
    let client: InspectorClient;
    try {
      client = attachClient(target, win);
    } catch (e) {
      return runtime.getState().setConnection({ status: 'refused', message: e instanceof Error ? e.message : String(e) });
    }
    void client.ready.then((welcome) => {
      if (mine !== attempt) return client.disconnect(); // a newer attach won
      if (!welcome.ok) return runtime.getState().setConnection(failure(welcome.code, welcome.message, target));
      runtime.getState().setConnection({ status: 'connected', runtime: welcome.value.runtime, granted: [...welcome.value.granted], message: null });
      attach.setState({ session: createSession(client, runtime, ui) });
    });
  };

  return {
    runtime,
    ui,
    attach,
    replay,
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
function failure(code: ClientErrorCode, message: string, target: AttachTarget): { status: 'refused' | 'gone'; message: string } {
  if (code === 'timeout') {
    return { status: 'gone', message: `nothing answered from ${describeTarget(target)}: does the page call exposeInspector and list ${location.origin} among its allowed origins?` };
  }
  if (code === 'disconnected') return { status: 'gone', message };
  return { status: 'refused', message: `${message} (${code})` };
}
