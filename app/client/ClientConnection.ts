/**
 * What the session needs of a protocol client once the handshake is done: requests answered
 * by id, the unprompted stream, and the end. The protocol's client (runtime/inspector) is
 * adapted to this in connect.ts; tests use a fake.
 */
import type { AnyRuntimeMessage, InspectorToRuntime, RuntimeToInspector } from '../protocol.ts';

export interface ClientConnection {
  readonly welcome: RuntimeToInspector['welcome'];
  /** Sends a request; resolves with the runtime's answer (`ok`, `error`, `tables`, `table`, `process_detail`…). */
  request<K extends keyof InspectorToRuntime>(type: K, payload: InspectorToRuntime[K]): Promise<AnyRuntimeMessage>;
  /** Unprompted messages: snapshot, delta, events, process_detail, goodbye. */
  onMessage(fn: (message: AnyRuntimeMessage) => void): () => void;
  /** The connection ended (the runtime said goodbye, its window closed, it fell silent). */
  onClose(fn: (reason: string) => void): () => void;
  close(): void;
}
