/**
 * Opens a protocol connection to an attach target through the inspector client.
 */
import type { AttachTarget } from './attachStore.ts';
import type { ClientConnection } from './ClientConnection.ts';

export function openConnection(_target: AttachTarget, _win: Window | null): Promise<ClientConnection> {
  return Promise.reject(new Error('the inspector client is not available yet'));
}
