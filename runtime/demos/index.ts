/**
 * The built-in demo applications, registered as modules so that every scheduler (a page, a
 * Web Worker, a Node worker thread) can start them by name.
 */
import type { ApplicationSpec } from '../application/application.ts';
import { chainApp, groupApp } from './chain.ts';
import { counterApp } from './counter.ts';
import { crashLoopApp } from './crashLoop.ts';
import { poolyApp } from './pooly.ts';
import { infoSysApp } from './infoSys.ts';
import { stressApp } from './stressTree.ts';

export interface DemoSpec extends ApplicationSpec {
  description: string;
}

export const DEMOS: readonly DemoSpec[] = [poolyApp, counterApp, infoSysApp, chainApp, groupApp, crashLoopApp, stressApp];

export function findDemo(name: string): DemoSpec | undefined {
  return DEMOS.find((d) => d.name === name);
}
