import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_RECORDINGS } from '../../app/replay/demoRecordings.ts';
import { openRecording } from '../../app/store/recordingFile.ts';

// The recordings the Demos view offers (made by `npm run record:demos` from the real runtime):
// each opens, and shows the moment it promises, before and after.
describe.each(DEMO_RECORDINGS)('the $application recording', ({ application, victim, file }) => {
  it(victim === null ? 'opens, and its supervisor gives up (escalation)' : `opens, and ${victim} has a new pid and one restart after the kill`, async () => {
    const { header, recording } = await openRecording(readFileSync(new URL(`../../public/${file}`, import.meta.url)));
    expect(header).toMatchObject({ format: 'orchard-recording', version: 1, protocol: 2 });
    const marker = recording.markers[0]!;
    expect(marker).toBeDefined();
    const before = recording.stateAfter(marker.n - 1);
    expect(before.applications!.map((a) => a.name)).toContain(application);
    if (victim === null) {
      expect(recording.markers.some((m) => m.kind === 'escalation')).toBe(true);
      return;
    }
    const rowOf = (s: typeof before) => [...s.processes!.values()].find((r) => r.childId === victim)!;
    const after = recording.stateAfter(recording.lastN);
    expect(rowOf(before).restarts).toBe(0);
    expect(rowOf(after).restarts).toBe(1);
    expect(rowOf(after).pid).not.toBe(rowOf(before).pid);
  });
});
