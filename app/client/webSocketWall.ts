/**
 * A Wall over a WebSocket: the transport to a BEAM node's bridge (runtime/beam). JSON text
 * frames, one wire message each. Messages sent before the socket opens wait for it. When the
 * socket closes, the listeners hear it as the protocol says it: a `refused` before the welcome
 * (the bridge could not be reached), a `goodbye` after it.
 */
import { PROTOCOL, PROTOCOL_VERSION, type Wall, type WallMeta } from '../protocol.ts';

export function webSocketWall(url: string, make: (url: string) => WebSocket = (u) => new WebSocket(u)): Wall {
  const listeners = new Set<(m: unknown, meta: WallMeta) => void>();
  const queue: string[] = [];
  let welcomed = false;
  let heard = false;
  let ws: WebSocket;
  const deliver = (m: unknown): void => {
    for (const fn of [...listeners]) fn(m, {});
  };
  try {
    ws = make(url);
  } catch (e) {
    // A malformed URL: say so the way a refusal is said, once someone listens.
    setTimeout(() => deliver(refused(`cannot open ${url}: ${e instanceof Error ? e.message : String(e)}`)), 0);
    return { listen: (fn) => (listeners.add(fn), () => listeners.delete(fn)), send: () => {} };
  }
  ws.addEventListener('open', () => {
    for (const m of queue.splice(0)) ws.send(m);
  });
  ws.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    let m: unknown;
    try {
      m = JSON.parse(event.data);
    } catch {
      return;
    }
    heard = true;
    if ((m as { type?: string }).type === 'welcome') welcomed = true;
    deliver(m);
  });
  ws.addEventListener('close', (event: CloseEvent) => {
    if (!welcomed && !heard) deliver(refused(`no bridge answers at ${url.replace(/token=[^&]*/, 'token=…')}: is the bridge running (npm run bridge -- --node NAME@HOST), and is this its URL?`));
    else if (welcomed) deliver({ protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'goodbye', reason: `the bridge closed the connection${event.reason ? `: ${event.reason}` : ''}` });
  });
  return {
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    send(message) {
      const text = JSON.stringify(message);
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else if (ws.readyState === WebSocket.CONNECTING) queue.push(text);
    },
  };
}

function refused(reason: string): object {
  return { protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'refused', code: 'not_connected', reason };
}
