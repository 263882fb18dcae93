import { describe, expect, it } from 'vitest';
import type { Pid } from '../../../runtime/core/index.ts';
import { ReplicatedNames } from '../../../runtime/worker/ReplicatedNames.ts';

const a = '<0.1.0>' as Pid;
const b = '<0.2.1>' as Pid;

function setup() {
  const said: Array<[boolean, string, Pid]> = [];
  return { names: new ReplicatedNames((claim, name, pid) => said.push([claim, name, pid])), said };
}

describe('ReplicatedNames', () => {
  it('decides a claim at once and announces it; a taken name returns its owner (erlang:register/2)', () => {
    const t = setup();
    expect(t.names.claim('db', a)).toBeNull();
    expect(t.names.claim('db', b)).toBe(a);
    expect(t.said).toEqual([[true, 'db', a]]);
  });

  it('announces a release only by the owner', () => {
    const t = setup();
    t.names.claim('db', a);
    t.names.release('db', b);
    t.names.release('db', a);
    expect(t.names.get('db')).toBeUndefined();
    expect(t.said).toEqual([[true, 'db', a], [false, 'db', a]]);
  });

  it("keeps its own unconfirmed claim against the node's older news", () => {
    const t = setup();
    t.names.claim('db', a);
    t.names.nodeSet('db', b);
    expect(t.names.get('db')).toBe(a);
    expect(t.names.rejected('db', a, b)).toBe(true);
    expect(t.names.get('db')).toBe(b);
  });

  it('takes a peer claim only for a free name, and a peer release only of the same owner', () => {
    const t = setup();
    t.names.peerClaimed('db', a);
    t.names.peerClaimed('db', b);
    expect(t.names.get('db')).toBe(a);
    expect(t.names.peerReleased('db', b)).toBe(false);
    expect(t.names.peerReleased('db', a)).toBe(true);
  });
});
