/**
 * An embedding page, as a web developer would write one: it runs a runtime with an
 * application and exposes it to inspectors on the origins it lists (its own origin and any
 * `?allow=ORIGIN`), granting control. The Observer attaches to it from the Attach tab
 * (URL /app/host/embed.html), in an iframe or a window.
 */
import { startRuntimeHost } from './runtimeHost.ts';

const params = new URLSearchParams(location.search);
const apps = (params.get('start') ?? 'Pooly').split(',').filter((n) => n !== '');
startRuntimeHost({
  application: `Embedded page (${apps.join(', ')})`,
  allowedOrigins: [location.origin, ...params.getAll('allow')],
  autostart: apps,
});
document.getElementById('status')!.textContent = `Running ${apps.join(', ')}; inspectable from ${[location.origin, ...params.getAll('allow')].join(', ')}.`;
