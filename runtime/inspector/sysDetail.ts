/**
 * The parts of a process detail that behaviours publish: sys:get_status for a GenServer, and
 * Application.spec/1 for an application master (Observer's Applications pane).
 */
import type { Process } from '../core/Process.ts';
import { sysStatus } from '../behaviours/sys.ts';
import type { ApplicationSpecDetail, SysStatusDetail } from '../protocol/messages.ts';
import { preview, previewText } from '../protocol/preview.ts';
import { APPLICATION_KEY } from './rows.ts';

/** sys:get_status/1 of a GenServer, or undefined for any other process. */
export function sysDetail(p: Process): SysStatusDetail | undefined {
  const status = sysStatus(p);
  if (status === null) return undefined;
  const out: SysStatusDetail = { behaviour: status.behaviour, module: status.module, suspended: status.suspended };
  if ('lastMessage' in status) out.lastMessage = preview(status.lastMessage);
  if (status.from !== undefined) out.from = status.from;
  return out;
}

/** The spec of the application `p` is the master of, or null. */
export function applicationSpecOf(p: Process): ApplicationSpecDetail | null {
  const a = p.ext?.dict?.get(APPLICATION_KEY) as
    | { name?: unknown; description?: unknown; vsn?: unknown; type?: unknown; env?: unknown }
    | undefined;
  if (a === undefined || typeof a.name !== 'string') return null;
  const env: Record<string, string> = {};
  if (typeof a.env === 'object' && a.env !== null) for (const [k, v] of Object.entries(a.env)) env[k] = previewText(v, 200);
  return {
    name: a.name,
    description: typeof a.description === 'string' ? a.description : '',
    vsn: typeof a.vsn === 'string' ? a.vsn : '',
    startType: typeof a.type === 'string' ? a.type : 'temporary',
    env,
  };
}
