/**
 * An embedding page, as a web developer would write one: it runs a runtime with an
 * application and exposes it to inspectors. Who may attach is decided here, in the page's
 * code: its own origin (the Observer served beside it) with `control`. The URL may add
 * origins for local use, `observe` only: whoever frames or opens this page chooses its URL,
 * so a URL parameter never grants more than reading (DESIGN decision 8).
 *
 * Parameters (also shown on the page, and in the README's "The example embedding page"):
 * - `?start=Pooly,Counter`: the applications to start (default Pooly);
 * - `?allow=ORIGIN` (repeatable): an origin whose windows may attach to observe;
 * - `?runtime=page`: one scheduler on the page instead of Web Workers;
 * - `?window=off`: no `message` listener on this page's window (a page of another site that
 *   floods it then costs it nothing); an Observer in its parent or opener attaches through the
 *   port the page offers it. It only narrows who can reach the page, so a URL may say it.
 */
import type { AllowedOrigin } from '../../runtime/inspector/index.ts';
import { startRuntimeHost } from './runtimeHost.ts';

const params = new URLSearchParams(location.search);
const apps = (params.get('start') ?? 'Pooly').split(',').filter((n) => n !== '');
const observers = params.getAll('allow').filter((o) => o !== location.origin);
const allowedOrigins: AllowedOrigin[] = [
  { origin: location.origin, capabilities: ['observe', 'control'] },
  ...observers.map((origin) => ({ origin, capabilities: ['observe'] as const })),
];
const status = document.getElementById('status')!;
startRuntimeHost({
  application: `Embedded page (${apps.join(', ')})`,
  allowedOrigins,
  autostart: apps,
  runtime: params.get('runtime') === 'page' ? 'page' : 'workers',
  listenOnWindow: params.get('window') !== 'off',
}).then(
  (host) => {
    const where = host.kind === 'workers' ? `${host.node.schedulers.length} schedulers in Web Workers` : 'one scheduler on the page';
    const others = observers.length === 0 ? '' : `; ${observers.join(', ')} may observe only`;
    status.textContent = `Running ${apps.join(', ')} on ${where}; ${location.origin} may observe and control${others}.`;
  },
  (e: unknown) => {
    status.textContent = `The runtime did not start: ${e instanceof Error ? e.message : String(e)}`;
  },
);
