/**
 * Opens a protocol connection to an attach target with the protocol's client, and adapts the
 * client to what the session needs (ClientConnection).
 */
import {
  type AnyRuntimeMessage, type InspectorClient, attachLocal, attachOpener, attachWindow, envelope, InspectorRequestError,
} from '../protocol.ts';
import type { AttachTarget } from './attachStore.ts';
import type { ClientConnection } from './ClientConnection.ts';

const CLIENT = { name: 'Orchard Observer', version: '0.1.0' };

export async function openConnection(target: AttachTarget, win: Window | null): Promise<ClientConnection> {
  const client = clientFor(target, win);
  const welcome = await client.ready;
  return adapt(client, welcome);
}

function clientFor(target: AttachTarget, win: Window | null): InspectorClient {
  switch (target.kind) {
    case 'self':
      return attachLocal({ client: CLIENT });
    case 'opener':
      return attachOpener(target.origin, { client: CLIENT });
    case 'frame':
    case 'popup':
      if (win === null) throw new Error(`no window to attach to (${target.url})`);
      return attachWindow(win, target.origin, { client: CLIENT });
  }
}

function adapt(client: InspectorClient, welcome: ClientConnection['welcome']): ClientConnection {
  return {
    welcome,
    async request(type, payload) {
      try {
        return (await client.request(type, payload)) as AnyRuntimeMessage;
      } catch (e) {
        // Errors come back as values, the way the runtime's `error` message carries them.
        if (e instanceof InspectorRequestError) {
          return envelope('error', { code: e.code === 'timeout' || e.code === 'disconnected' ? 'internal' : e.code, message: e.message }) as AnyRuntimeMessage;
        }
        throw e;
      }
    },
    onMessage(fn) {
      const offs = [
        client.onSnapshot((m) => fn(envelope('snapshot', m) as AnyRuntimeMessage)),
        // The client hands a v2 delta's events to onEvents too: take them once, from there.
        client.onDelta(({ events: _events, dropped: _dropped, ...m }) => fn(envelope('delta', m) as AnyRuntimeMessage)),
        client.onEvents((events, info) => fn(envelope('events', { events, backlog: info.backlog, dropped: info.dropped }) as AnyRuntimeMessage)),
        client.onProcessDetail((pid, detail) => fn(envelope('process_detail', { pid, detail }) as AnyRuntimeMessage)),
      ];
      return () => offs.forEach((off) => off());
    },
    onClose(fn) {
      return client.onStatus((s) => {
        if (s === 'disconnected' || s === 'refused') fn(client.reason?.message ?? s);
      });
    },
    close: () => client.disconnect(),
  };
}
