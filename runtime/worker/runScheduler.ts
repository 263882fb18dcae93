/**
 * A scheduler in a worker, wired to its node and its peers. Host-free: the worker adapter
 * (runtime/worker/startSchedulerWorker.ts) hands in the channel to the node, whichever global
 * provides it.
 */
import { type NameTable, Scheduler, defaultYieldToHost, moduleNames, setDefaultScheduler } from '../core/index.ts';
import type { ApplicationEntry } from '../inspector/index.ts';
import type { MessagePortLike, NodeToScheduler } from '../transport/wire.ts';
import { InspectionHost } from './InspectionHost.ts';
import { NODE } from '../transport/PidPool.ts';
import { Router } from './Router.ts';

export interface RunningScheduler {
  scheduler: Scheduler;
  router: Router;
}

export interface SchedulerWorkerOptions {
  /** Applications an inspector may start by name on this scheduler. */
  applications?: readonly ApplicationEntry[];
  /** Called once the scheduler runs (setup that needs it: a root process, a listener). */
  onStart?: (running: RunningScheduler) => void;
}

/** Waits for the node's `init`, then runs a scheduler until the worker is terminated. */
export function runScheduler(node: MessagePortLike, options: SchedulerWorkerOptions = {}): void {
  let router: Router | null = null;
  let inspection: InspectionHost | null = null;
  node.onmessage = (event) => {
    for (const m of event.data as NodeToScheduler[]) {
      if (m.t === 'init') {
        if (router !== null) continue;
        router = start(node, m);
        options.onStart?.({ scheduler: router.scheduler, router });
      } else if (router === null) {
        continue;
      } else if (m.t === 'inspect') {
        inspection ??= new InspectionHost(router.scheduler, options.applications ?? []);
        answer(router, m.id, () => inspection!.handle(m));
      } else {
        handle(router, m);
      }
    }
  };
}

/** Runs a request and sends its answer, or its failure, to the node. */
function answer(router: Router, id: number, run: () => Promise<unknown>): void {
  run().then(
    (ok) => router.tellNode({ t: 'inspected', id, ok }),
    (e: unknown) => router.tellNode({ t: 'inspected', id, error: e instanceof Error ? e.message : String(e) }),
  );
}

/** How many modules the node was last told of. */
let knownModules = 0;

function start(node: MessagePortLike, init: Extract<NodeToScheduler, { t: 'init' }>): Router {
  const router = new Router(init.id, init.config, (out) => node.postMessage(out));
  const names: NameTable = router.names.table;
  const scheduler = new Scheduler({
    id: init.id,
    names,
    route: router.route,
    place: router.placement.place,
    onHostMessage: router.toHost,
    yieldToHost: router.yieldToHost(defaultYieldToHost()),
    ...(init.config.sliceMs === undefined ? {} : { sliceMs: init.config.sliceMs }),
    ...(init.config.budget === undefined ? {} : { budget: init.config.budget }),
  });
  router.attach(scheduler);
  setDefaultScheduler(scheduler);
  router.names.load(init.names);
  router.placement.setLoads(init.loads);
  for (const [old, by] of init.replaced ?? []) router.placement.replaced(old, by);
  // The node's block first, so the processes it starts (an application's root) get low pids.
  router.placement.grant(NODE, init.config.grant);
  for (const peer of init.peers) router.addPeer(peer.id, peer.port, peer.rings);
  // Ready once every peer has reserved pids for us, so knows us (see Placement.whenGranted).
  router.placement.whenGranted(router.peerIds(), () => {
    const modules = moduleNames();
    knownModules = modules.length;
    router.tellNode({ t: 'ready', id: init.id, modules });
  });
  return router;
}

function handle(router: Router, m: NodeToScheduler): void {
  switch (m.t) {
    case 'ping': {
      router.placement.setLoads(m.loads);
      // A module defined after start (code loaded later) is told with the next heartbeat.
      const modules = moduleNames();
      const changed = modules.length !== knownModules;
      knownModules = modules.length;
      router.tellNode({ t: 'pong', seq: m.seq, counters: router.counters(), ...(changed ? { modules } : {}) });
      return;
    }
    case 'signals':
      router.apply(m.ops, 0, NODE);
      router.queueFlush();
      return;
    case 'peer':
      // Before its port: a restart pinned to the old id is placed on the new one from now on.
      if (m.replaces !== null) router.placement.replaced(m.replaces, m.id);
      router.addPeer(m.id, m.port, m.rings);
      return;
    case 'down':
      router.schedulerDown(m.id, m.reason);
      return;
    case 'nameSet':
      router.names.nodeSet(m.name, m.pid);
      return;
    case 'nameDel':
      router.names.nodeDeleted(m.name, m.pid);
      return;
    case 'nameCheck':
      router.names.check(m.name, m.owner);
      return;
    case 'nameReject':
      router.names.rejected(m.name, m.pid, m.owner);
      router.queueFlush();
      return;
    case 'init':
    case 'inspect':
      return;
  }
}
