/**
 * Records the built-in demos at a kill → restart moment, for the Demos view's "Watch the
 * recording" (public/recordings/*.orchard): the real runtime on a scheduler in this process,
 * exposed with exposeInspector, the Observer's own store and recorder attached over a
 * MessageChannel, the kill sent through the protocol. Run again after a change to the
 * protocol, the demos or the file format:
 *
 *     npm run record:demos
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Scheduler, setDefaultScheduler } from '../../runtime/core/index.ts';
import { DEMOS } from '../../runtime/demos/index.ts';
import { exposeInspector } from '../../runtime/inspector/index.ts';
import { attachPort } from '../../runtime/protocol/index.ts';
import type { Pid } from '../../app/protocol.ts';
import { createReplay } from '../../app/replay/createReplay.ts';
import { createRuntimeStore } from '../../app/store/runtimeStore.ts';
import { DEMO_RECORDINGS } from '../../app/replay/demoRecordings.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function recordDemo(name: string, victim: string | null, file: string): Promise<void> {
  const s = new Scheduler();
  setDefaultScheduler(s);
  const exposed = exposeInspector(s, { allowedOrigins: [], capabilities: ['observe', 'control'], window: null, applications: DEMOS });
  const client = attachPort(exposed.connectLocal(), { heartbeatMs: false, client: { name: 'Orchard Observer', version: '0.1.0' } });
  const live = createRuntimeStore();
  const replay = createReplay(live);
  client.onMessage((m) => live.getState().ingest(m));
  const welcome = await client.ready;
  if (!welcome.ok) throw new Error(`${name}: ${welcome.message}`);
  live.getState().setConnection({ status: 'connected', target: 'Orchard demos', runtime: welcome.value.runtime, granted: [...welcome.value.granted], message: null });
  await client.subscribe({ rate: 10, processes: { limit: 2_000, sortBy: 'reductionsDelta' } });
  await exposed.startApplication(name);
  await sleep(1_500);
  if (victim !== null) {
    const row = [...live.getState().processes.values()].find((r) => r.childId === victim);
    if (row === undefined) throw new Error(`${name}: no child ${victim}`);
    const killed = await client.kill(row.pid as Pid);
    if (!killed.ok) throw new Error(`${name}: kill ${victim}: ${killed.message}`);
    await sleep(1_500);
  } else {
    // It fails by itself (CrashLoop): wait for its supervisor to give up.
    for (let i = 0; i < 100 && !replay.live.markers.some((m) => m.kind === 'escalation'); i++) await sleep(100);
    await sleep(1_000);
  }
  const blob = await replay.exportBlob({});
  writeFileSync(join(OUT, file), new Uint8Array(await blob.arrayBuffer()));
  process.stderr.write(`${file}: ${replay.live.frameCount} frames, ${replay.live.markers.map((m) => m.kind).join(' ')}, ${blob.size} bytes\n`);
  client.disconnect();
  exposed.close();
  setDefaultScheduler(null);
}

for (const demo of DEMO_RECORDINGS) await recordDemo(demo.application, demo.victim, demo.file);
process.exit(0);
