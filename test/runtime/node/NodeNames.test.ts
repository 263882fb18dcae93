import { describe, expect, it } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import { NodeNames } from '../../../runtime/node/NodeNames.ts';
import type { NodeToScheduler } from '../../../runtime/transport/wire.ts';

const a = '<0.1.0>' as Pid;
const b = '<0.2.1>' as Pid;
const c = '<0.3.2>' as Pid;

function setup(live = [0, 1, 2]) {
  const sent: Array<[number, NodeToScheduler]> = [];
  const broadcast: NodeToScheduler[] = [];
  const names = new NodeNames({ send: (id, m) => sent.push([id, m]), broadcast: (m) => broadcast.push(m), isLive: (id) => live.includes(id) });
  return { names, sent, broadcast, live };
}

describe('NodeNames', () => {
  it('takes a claim for a free name and tells every scheduler', () => {
    const t = setup();
    t.names.claimed('db', a);
    expect(t.names.get('db')).toBe(a);
    expect(t.broadcast).toEqual([{ t: 'nameSet', name: 'db', pid: a }]);
  });

  it('asks the owner before refusing a later claim: a release on its way makes the claim good', () => {
    const t = setup();
    t.names.claimed('db', a);
    t.names.claimed('db', b); // b's scheduler saw a's release; the node has not yet
    expect(t.sent).toEqual([[0, { t: 'nameCheck', name: 'db', owner: a }]]);
    t.names.released('db', a);
    t.names.checked('db', a, false);
    expect(t.names.get('db')).toBe(b);
  });

  it('rejects a concurrent claim when the owner confirms, and re-announces the owner', () => {
    const t = setup();
    t.names.claimed('db', a);
    t.names.claimed('db', b);
    t.names.claimed('db', c);
    t.names.checked('db', a, true);
    expect(t.names.get('db')).toBe(a);
    expect(t.sent.slice(1)).toEqual([
      [1, { t: 'nameReject', name: 'db', pid: b, owner: a }],
      [2, { t: 'nameReject', name: 'db', pid: c, owner: a }],
    ]);
    expect(t.broadcast.at(-1)).toEqual({ t: 'nameSet', name: 'db', pid: a });
  });

  it("frees a dead scheduler's names and settles checks it can no longer answer", () => {
    const t = setup();
    t.names.claimed('db', a);
    t.names.claimed('db', b);
    t.live.splice(0, 1);
    t.names.schedulerDown(0);
    expect(t.names.get('db')).toBe(b);
  });

  it("refuses the node's own claim on a taken name", () => {
    const t = setup();
    t.names.claimed('db', a);
    expect(t.names.claimHere('db', b)).toBe(a);
    expect(t.names.claimHere('cache', b)).toBeNull();
  });
});
