/**
 * The `?attach=` URL parameter: one rule for every kind of target.
 *
 *   ?attach=ws://127.0.0.1:4100/?token=...   a BEAM node, through its bridge (ws: or wss:)
 *   ?attach=popup:https://example.com/app    a page opened in a window
 *   ?attach=frame:https://example.com/app    a page embedded in an iframe
 *
 * The page must still list this Observer's origin, and the bridge must allow it: the parameter
 * only says where to go, it never widens what is allowed (DESIGN decision 8).
 */
import type { AttachTarget } from './attachStore.ts';

export type ParsedAttach = { ok: true; target: AttachTarget } | { ok: false; message: string };

export function parseAttachParam(value: string, base: string): ParsedAttach {
  const v = value.trim();
  const form = /^(popup|frame):(.*)$/s.exec(v);
  if (form !== null) {
    const kind = form[1] as 'popup' | 'frame';
    let url: URL;
    try {
      url = new URL(form[2]!, base);
    } catch {
      return { ok: false, message: `?attach=${kind}:URL needs a page URL, got ${JSON.stringify(form[2])}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `?attach=${kind}:URL needs an http(s) page, got ${url.protocol}` };
    return { ok: true, target: { kind, url: url.href, origin: url.origin } };
  }
  if (/^wss?:\/\//.test(v)) {
    try {
      const url = new URL(v);
      return { ok: true, target: { kind: 'beam', url: url.href } };
    } catch {
      return { ok: false, message: `?attach= got a WebSocket URL that does not parse: ${v}` };
    }
  }
  return { ok: false, message: `?attach= takes ws://HOST:PORT/?token=... (a BEAM node's bridge), popup:URL or frame:URL; got ${JSON.stringify(v.slice(0, 80))}` };
}
