/**
 * The applications the page's runtime offers by name: the demos, plus the two the Observer's
 * own benchmarks and mailbox views need (Backlog, Swarm, SwarmMillion). Loaded by every scheduler, the page's
 * own or a worker's, so any of them can start any application.
 */
import type { ApplicationEntry } from '../../runtime/inspector/index.ts';
import { DEMOS } from '../../runtime/demos/index.ts';
import { backlogApp } from './backlogApp.ts';
import { swarmApp, swarmMillionApp } from './swarmApp.ts';

export const HOST_APPLICATIONS: readonly ApplicationEntry[] = [...DEMOS, backlogApp, swarmApp, swarmMillionApp];
