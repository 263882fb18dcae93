/**
 * The package's main entry, `orchard`: the core (processes, mailboxes, links, monitors, the
 * scheduler) and the behaviours (GenServer, Supervisor, Agent, Task, Registry, Table). The
 * other entries are `orchard/node` (a node of schedulers in workers), `orchard/worker` (the
 * worker's side), `orchard/inspector` (exposeInspector) and `orchard/protocol` (the client and
 * the message types); package.json's `exports` maps them, `npm run build:lib` builds them.
 */
export * from './core/index.ts';
export * from './behaviours/index.ts';
