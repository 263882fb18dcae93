import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createObserver } from './client/createObserver.ts';
import { attachClient } from './client/attachClient.ts';
import { parseAttachParam } from './client/attachParam.ts';
import { startRuntimeHost } from './host/runtimeHost.ts';
import { bindUrl } from './store/urlState.ts';
import './styles.css';

// The page's own runtime first (the host side: schedulers in Web Workers), then the Observer
// attaches to it. Both outside React: StrictMode's double effects must not start or attach
// twice. `?start=Pooly,Backlog` starts demo applications with the page; `?allow=ORIGIN` lets
// that origin's windows attach to observe, never to control: whoever links to or frames this
// page chooses its URL, and a URL must not grant itself the right to kill (DESIGN decision 8).
// `?runtime=page` runs one scheduler on the page instead of workers; `?schedulers=N` sets how
// many workers; `?watchdog=off` only warns of a silent worker instead of replacing it (to pause
// one in DevTools). `?recording=URL` opens a recording (runtime/protocol/RECORDING.md) with no
// runtime behind it, as `?runtime=none` starts none (a file can then be dropped on the page).
const params = new URLSearchParams(location.search);
const schedulers = Number(params.get('schedulers'));
const recording = params.get('recording');
const noRuntime = recording !== null || params.get('runtime') === 'none';
const host = noRuntime ? new Promise<never>(() => {}) : startRuntimeHost({
  allowedOrigins: params.getAll('allow').map((origin) => ({ origin, capabilities: ['observe'] as const })),
  autostart: (params.get('start') ?? '').split(',').filter((name) => name !== ''),
  runtime: params.get('runtime') === 'page' ? 'page' : 'workers',
  ...(Number.isInteger(schedulers) && schedulers > 0 ? { schedulers } : {}),
  ...(params.get('watchdog') === 'off' ? { watchdog: 'warn' as const } : {}),
});
const observer = createObserver(attachClient);
bindUrl(observer.ui, window, observer.runtime);
if (recording !== null) void observer.replay.openUrl(new URL(recording, location.href).href);
// The tabs draw at once; the connection follows when the workers are up (a few tens of ms).
// `?attach=` names another target instead (a BEAM node's bridge, popup:URL, frame:URL).
const attach = params.get('attach');
const parsed = attach === null ? null : parseAttachParam(attach, location.href);
if (parsed?.ok === true) observer.connect(parsed.target);
else if (parsed?.ok === false) observer.runtime.getState().setConnection({ status: 'refused', target: '?attach=', runtime: null, granted: [], message: parsed.message });
void host.then(
  () => {
    if (parsed === null) observer.connect({ kind: 'self' });
  },
  (e: unknown) => console.error('Orchard: the page runtime did not start', e),
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App observer={observer} />
  </StrictMode>,
);
