/**
 * Swarm: a hundred thousand processes, to see the Observer keep up (the process table's
 * 100,000-row case). Most sleep in `receive`; a stirrer pokes 1% of them every 100 ms, so each
 * tick changes about a thousand rows, as a busy system does.
 *
 * SwarmMillion: the same with a million processes, a thousand of them poked every 100 ms (the
 * Observer's 1,000,000-process case: the table holds the runtime's top rows of a million).
 */
import { receive, sleep, spawnLink, send, type Pid, type Wait } from '../../runtime/core/index.ts';
import { Supervisor } from '../../runtime/behaviours/index.ts';

export const SWARM_SIZE = 100_000;
export const SWARM_MILLION_SIZE = 1_000_000;

function* idle(): Generator<Wait, void, unknown> {
  for (;;) yield receive();
}

function* swarm(size: number, pokesPerTick: number): Generator<Wait, void, unknown> {
  const members: Pid[] = [];
  for (let i = 0; i < size; i++) {
    members.push(spawnLink(idle, [], { label: `swarm_${i}` }));
    if (i % 5_000 === 4_999) yield sleep(0); // let the page breathe while spawning
  }
  for (let tick = 0; ; tick++) {
    yield sleep(100);
    for (let k = 0; k < pokesPerTick; k++) send(members[(tick * 7919 + k * 104729) % size]!, tick);
  }
}

function swarmOf(name: string, size: number, pokesPerTick: number) {
  return {
    name,
    description: `${size.toLocaleString('en-US')} processes, ${pokesPerTick.toLocaleString('en-US')} of them poked every 100 ms: the Observer at scale.`,
    start: () =>
      Supervisor.startLink([{ id: 'swarm', start: () => ['ok', spawnLink(swarm, [size, pokesPerTick], { name: `${name}.Root`, label: 'swarm_root' })] }], {
        name: `${name}.Supervisor`,
      }),
  };
}

export const swarmApp = swarmOf('Swarm', SWARM_SIZE, SWARM_SIZE / 100);
export const swarmMillionApp = swarmOf('SwarmMillion', SWARM_MILLION_SIZE, 1_000);
