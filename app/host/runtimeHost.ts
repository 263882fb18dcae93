/**
 * The page's own runtime: the side an embedding page would write, not the Observer. It starts
 * a scheduler, offers the demo applications, and exposes the runtime to inspectors; the
 * Observer then attaches to it through the protocol client like to any other page
 * (DESIGN: one code path). Other origins may attach only if listed in the URL's `allow`
 * parameter (`?allow=https://observer.example`), never by default.
 */
import { Scheduler, setDefaultScheduler } from '../../runtime/core/index.ts';
import { DEMOS } from '../../runtime/demos/index.ts';
import { exposeInspector, type ExposedInspector } from '../../runtime/inspector/index.ts';
import { backlogApp } from './backlogApp.ts';
import { swarmApp } from './swarmApp.ts';

export interface RuntimeHost {
  scheduler: Scheduler;
  inspector: ExposedInspector;
}

export function startRuntimeHost(options: { application?: string; allowedOrigins?: readonly string[]; autostart?: readonly string[] } = {}): RuntimeHost {
  const scheduler = new Scheduler();
  setDefaultScheduler(scheduler);
  const inspector = exposeInspector(scheduler, {
    allowedOrigins: options.allowedOrigins ?? [],
    capabilities: ['observe', 'control'],
    applications: [...DEMOS, backlogApp, swarmApp],
    application: options.application ?? 'Orchard demos',
    name: 'orchard',
  });
  for (const name of options.autostart ?? []) void inspector.endpoint.source.startApplication(name);
  return { scheduler, inspector };
}
