/**
 * Bursts of spawns placed on another scheduler, in real worker threads: far more in one turn than
 * the block of pids that scheduler reserved for the spawner ahead of time (runtime/transport/PidPool.ts).
 * Erlang's rule: spawn on another node returns the new process's pid, whatever the spawner did
 * just before (erlang:spawn/4 and spawn_link/4 docs); nothing about reserving pids can make it fail.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Pid, TIMEOUT, isPid, schedulerOf } from '../../../runtime/core/index.ts';
import { type OrchardNode, startNode } from '../../../runtime/node/index.ts';
import { Driver } from './driver.ts';
import type { BurstReport } from './fixtures/spawnBurst.ts';

const ENTRY = new URL('./fixtures/spawnBurstWorker.ts', import.meta.url);
/** Ten times the default block a scheduler reserves for each spawner (NodeOptions.grant, 512). */
const COUNT = 5_000;

const NAMES = { shared: 'shared', batched: 'replicated' } as const;

for (const transport of ['shared', 'batched'] as const) {
  describe(`a burst of ${COUNT} spawns over the ${transport} transport, ${NAMES[transport]} names`, () => {
    let node: OrchardNode;
    let d: Driver;

    beforeAll(async () => {
      node = await startNode({ schedulers: 3, workerEntry: ENTRY, transport, names: NAMES[transport], watchdog: { intervalMs: 100, timeoutMs: 10_000 } });
    });

    afterAll(() => node?.stop());

    afterEach(() => d?.cleanup());

    /** A spawner on scheduler 0 bursting onto scheduler 1, with its relay on scheduler 2. */
    async function burst(name: string | null): Promise<{ spawner: Pid; report: BurstReport }> {
      d = new Driver(node);
      const relay = node.spawn('burst.relay', [], { scheduler: 2 });
      const spawner = node.spawn('burst.spawner', [1, COUNT, name, relay, node.pid], { scheduler: 0 });
      const report = (await d.inbox((m) => m?.burst === 'done', 15_000)) as BurstReport;
      node.exit(relay, 'kill');
      return { spawner, report };
    }

    /**
     * Monitors `echo` process `pid` from an agent on scheduler 2; resolves once the monitor
     * stands (a ping sent after it on the same channel has been answered).
     */
    async function monitorFrom2(pid: Pid): Promise<() => Promise<unknown>> {
      const watcher = d.agent(2);
      const ref = await d.call(watcher, { cmd: 'monitor', target: pid });
      await d.call(watcher, { cmd: 'send', to: pid, message: { ping: ref, replyTo: watcher } });
      await d.got(watcher, { pong: ref });
      return async () => (await d.got(watcher, { type: 'DOWN', ref })).reason;
    }

    it('gives each spawn a pid at once, on the scheduler asked for, and each process gets the message sent to it straight after (erlang:spawn_link/4 docs; reference manual, Processes, "Message Sending")', async () => {
      const { spawner, report } = await burst(`burst_last_${transport}`);
      expect(report.pids).toHaveLength(COUNT);
      expect(report.pids.every((p) => isPid(p) && schedulerOf(p) === 1)).toBe(true);
      expect(new Set(report.pids).size).toBe(COUNT);
      expect(report.pongs).toBe(COUNT);
      // A third scheduler that learned a pid from the burst reaches it, even before its spawn did.
      expect(report.relayed).toBe(true);
      // spawn with a name registers the pid it returned, node-wide (erlang:register/2).
      expect(node.whereis(`burst_last_${transport}`)).toBe(report.pids[COUNT - 1]);
      node.exit(spawner, 'kill');
    });

    it('links every process of the burst to its spawner: a child killed sends the trapping spawner an EXIT, and the spawner dying takes the children down (erlang:spawn_link/4 docs; reference manual, Processes, "Receiving Exit Signals")', async () => {
      const { spawner, report } = await burst(null);
      const first = report.pids[0]!;
      const last = report.pids[COUNT - 1]!;
      node.exit(first, 'kill');
      node.exit(last, 'kill');
      const exits = new Map<Pid, unknown>();
      while (exits.size < 2) {
        const m = (await d.inbox((x) => x?.exited !== undefined)) as { exited: Pid; reason: unknown };
        exits.set(m.exited, m.reason);
      }
      expect(exits).toEqual(new Map([[first, 'killed'], [last, 'killed']]));
      const watched = [report.pids[1]!, report.pids[COUNT / 2]!, report.pids[COUNT - 2]!];
      const downs = await Promise.all(watched.map((pid) => monitorFrom2(pid)));
      node.send(spawner, { die: 'boom' });
      expect(await Promise.all(downs.map((down) => down()))).toEqual(['boom', 'boom', 'boom']);
    });

    it('lets the node spawn as many on one scheduler in one go, each pid usable at once (erlang:spawn/4 docs)', async () => {
      const pids: Pid[] = [];
      for (let i = 0; i < COUNT; i++) pids.push(node.spawn('echo', [], { scheduler: 2 }));
      for (let i = 0; i < COUNT; i++) node.send(pids[i]!, { ping: i, replyTo: node.pid });
      const answered = new Set<unknown>();
      while (answered.size < COUNT) {
        const m = await node.receive((x: any) => x?.pong !== undefined && x.pong !== 'relayed', { after: 10_000 });
        if (m === TIMEOUT) break;
        answered.add((m as { from: Pid }).from);
      }
      expect(answered.size).toBe(COUNT);
      for (const pid of pids) node.exit(pid, 'kill');
    });
  });
}
