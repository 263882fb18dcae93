/**
 * The bridge's WebSocket: serves an inspector source to Observers in browsers, through the same
 * endpoint that serves Orchard runtimes. Before the endpoint sees anything, each connection must
 * bring the token printed at start (in the URL's `token`, as Jupyter does) and come from an
 * allowed origin (the browser's `Origin` header); otherwise it gets a `refused` that says which
 * check failed, and is closed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Capability } from '../protocol/messages.ts';
import { PROTOCOL, PROTOCOL_VERSION, PROTOCOL_VERSIONS, LIMITS } from '../protocol/messages.ts';
import type { Wall } from '../protocol/Wall.ts';
import { InspectorEndpoint } from '../inspector/endpoint.ts';
import type { InspectorSource } from '../inspector/source.ts';

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  /** Origins whose pages may connect, exactly as `location.origin` spells them. */
  allowedOrigins: readonly string[];
  capabilities: readonly Capability[];
  /** The runtime's name in the welcome (the node's name). */
  name: string;
  application?: string;
  log?: (line: string) => void;
}

export interface BridgeServer {
  readonly port: number;
  readonly url: string;
  readonly endpoint: InspectorEndpoint;
  close(): Promise<void>;
}

/** Close codes of a refused connection (4000–4999 are the application's). */
export const CLOSE_REFUSED = 4003;

export function serveWebSocket(source: InspectorSource, options: ServeOptions): Promise<BridgeServer> {
  const endpoint = new InspectorEndpoint(source, {
    allowedOrigins: options.allowedOrigins,
    capabilities: options.capabilities,
    name: options.name,
    ...(options.application === undefined ? {} : { application: options.application }),
    origin: '',
  });
  const wss = new WebSocketServer({ host: options.host, port: options.port, maxPayload: LIMITS.maxIncomingChars * 4 });
  const expected = Buffer.from(options.token);
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const token = new URL(req.url ?? '/', 'http://bridge').searchParams.get('token') ?? '';
    const given = Buffer.from(token);
    const origin = req.headers.origin;
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      options.log?.(`refused a connection from ${origin ?? 'no origin'}: wrong token`);
      return refuse(ws, 'not_permitted', 'wrong token: use the URL the bridge printed when it started');
    }
    if (origin === undefined || !options.allowedOrigins.includes(origin)) {
      options.log?.(`refused a connection from ${origin ?? 'a client without an Origin header'}: origin not allowed (start the bridge with --allow-origin ${origin ?? 'ORIGIN'})`);
      return refuse(ws, 'origin_not_allowed', `origin ${origin ?? '(none)'} may not inspect this node: start the bridge with --allow-origin ${origin ?? 'ORIGIN'}`);
    }
    const wall = socketWall(ws);
    const c = endpoint.connect(wall, origin);
    ws.on('close', () => c?.close(null, false));
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      wss.off('error', reject);
      const address = wss.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        port,
        url: `ws://${host}:${port}/?token=${options.token}`,
        endpoint,
        close: () =>
          new Promise<void>((done) => {
            endpoint.close('the bridge is stopping');
            for (const c of wss.clients) c.close(1001, 'the bridge is stopping');
            wss.close(() => done());
          }),
      });
    });
  });
}

/** A Wall over one WebSocket: JSON text frames, one wire message each. */
function socketWall(ws: WebSocket): Wall {
  return {
    listen(fn) {
      const handler = (data: Buffer, isBinary: boolean): void => {
        if (isBinary) return;
        let m: unknown;
        try {
          m = JSON.parse(data.toString('utf8'));
        } catch {
          m = { malformed: true };
        }
        fn(m, {});
      };
      ws.on('message', handler);
      return () => ws.off('message', handler);
    },
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
  };
}

function refuse(ws: WebSocket, code: string, reason: string): void {
  ws.send(JSON.stringify({ protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'refused', code, reason, versions: PROTOCOL_VERSIONS }));
  ws.close(CLOSE_REFUSED, reason.slice(0, 120));
}
