/**
 * Swarm: a hundred thousand processes, to see the Observer keep up (the process table's
 * 100,000-row case). Most sleep in `receive`; a stirrer pokes 1% of them every 100 ms, so each
 * tick changes about a thousand rows, as a busy system does.
 */
import { receive, sleep, spawnLink, send, type Pid, type Wait } from '../../runtime/core/index.ts';
import { Supervisor } from '../../runtime/behaviours/index.ts';

export const SWARM_SIZE = 100_000;
const POKES_PER_TICK = SWARM_SIZE / 100;

function* idle(): Generator<Wait, void, unknown> {
  for (;;) yield receive();
}

function* swarm(size: number): Generator<Wait, void, unknown> {
  const members: Pid[] = [];
  for (let i = 0; i < size; i++) {
    members.push(spawnLink(idle, [], { label: `swarm_${i}` }));
    if (i % 5_000 === 4_999) yield sleep(0); // let the page breathe while spawning
  }
  for (let tick = 0; ; tick++) {
    yield sleep(100);
    for (let k = 0; k < POKES_PER_TICK; k++) send(members[(tick * 7919 + k * 104729) % size]!, tick);
  }
}

export const swarmApp = {
  name: 'Swarm',
  description: `${SWARM_SIZE.toLocaleString('en-US')} processes, 1% of them poked every 100 ms: the Observer at scale.`,
  start: () => Supervisor.startLink([{ id: 'swarm', start: () => ['ok', spawnLink(swarm, [SWARM_SIZE], { name: 'Swarm.Root', label: 'swarm_root' })] }], { name: 'Swarm.Supervisor' }),
};
