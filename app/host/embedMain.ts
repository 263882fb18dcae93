/**
 * An embedding page, as a web developer would write one: it runs a runtime with an
 * application and exposes it to inspectors on the origins it lists (its own origin and any
 * `?allow=ORIGIN`), granting control. The Observer attaches to it from the Attach tab
 * (URL /app/host/embed.html), in an iframe or a window.
 */
import { startRuntimeHost } from './runtimeHost.ts';

const params = new URLSearchParams(location.search);
const apps = (params.get('start') ?? 'Pooly').split(',').filter((n) => n !== '');
const origins = [location.origin, ...params.getAll('allow')];
const status = document.getElementById('status')!;
startRuntimeHost({
  application: `Embedded page (${apps.join(', ')})`,
  allowedOrigins: origins,
  autostart: apps,
  runtime: params.get('runtime') === 'page' ? 'page' : 'workers',
}).then(
  (host) => {
    const where = host.kind === 'workers' ? `${host.node.schedulers.length} schedulers in Web Workers` : 'one scheduler on the page';
    status.textContent = `Running ${apps.join(', ')} on ${where}; inspectable from ${origins.join(', ')}.`;
  },
  (e: unknown) => {
    status.textContent = `The runtime did not start: ${e instanceof Error ? e.message : String(e)}`;
  },
);
