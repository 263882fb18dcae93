// benches: chaos_kills_per_s chaos_lost_messages
// timeout: 240
/**
 * The chaos soak for 60 seconds (test/runtime/chaos/soak.ts, the same soak `npm test` runs for a
 * few seconds): about 1,000 processes over two schedulers in Node worker threads, every
 * supervisor strategy and restart type, random kills with custom exit reasons, clients calling
 * throughout. Reports the kills per second the tree absorbed and the messages to live processes
 * that were lost or duplicated (target 0). A soak that breaks a rule (a tree not restored, a
 * name not registered again, a process or heap leak) fails the group.
 */
import { emit, note, round } from './lib/report.ts';
import { soak, startChaosNode } from '../runtime/chaos/soak.ts';

const DURATION_MS = Number(process.env.CHAOS_MS ?? 60_000);

const node = await startChaosNode();
const downs: unknown[] = [];
node.subscribe((e) => {
  if (e.type === 'orchard.scheduler.down') downs.push(e);
});
try {
  const r = await soak(node, { durationMs: DURATION_MS, log: note });
  emit({
    bench: 'chaos_kills_per_s', value: round(r.killsPerS), unit: 'kills/s', samples: [round(r.killsPerS)],
    kills: r.kills, rounds: r.rounds, seconds: round(r.chaosMs / 1000), processes: r.processes, seed: r.seed,
    calls: r.calls, messages: r.sent, callsToDead: r.callsToDead,
  });
  emit({
    bench: 'chaos_lost_messages', value: r.lost + r.duplicated + r.timeouts, unit: 'messages', target: '<= 0',
    lost: r.lost, duplicated: r.duplicated, unanswered: r.timeouts, messages: r.sent,
    heapBaselineMb: r.baseline.heap.map((h) => round(h / 1_048_576)), heapEndMb: r.end.heap.map((h) => round(h / 1_048_576)),
    processesBaseline: r.baseline.processes, processesEnd: r.end.processes,
  });
  if (downs.length > 0) r.failures.push(`a scheduler was declared dead: ${JSON.stringify(downs)}`);
  if (r.failures.length > 0) {
    for (const f of r.failures) note(`FAILED: ${f}`);
    process.exitCode = 1;
  }
} finally {
  node.stop();
}
