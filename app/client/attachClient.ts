/**
 * Which protocol client an attach target gets: the page's own runtime, the window that opened
 * this one, a frame's or popup's window, or a BEAM node's bridge (a WebSocket). What the client receives goes to the store as it is
 * (createSession.ts).
 */
import { type InspectorClient, attachLocal, attachOpener, attachWall, attachWindow } from '../protocol.ts';
import type { AttachTarget } from './attachStore.ts';
import { webSocketWall } from './webSocketWall.ts';

const CLIENT = { name: 'Orchard Observer', version: '0.1.0' };

export function attachClient(target: AttachTarget, win: Window | null): InspectorClient {
  switch (target.kind) {
    case 'self':
      return attachLocal({ client: CLIENT });
    case 'opener':
      return attachOpener(target.origin, { client: CLIENT });
    case 'frame':
    case 'popup':
      if (win === null) throw new Error(`no window to attach to (${target.url})`);
      return attachWindow(win, target.origin, { client: CLIENT });
    case 'beam':
      return attachWall(webSocketWall(target.url), { client: CLIENT });
  }
}
