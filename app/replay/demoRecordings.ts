/**
 * The built-in demos' recordings (public/recordings/, made by test/replay/recordDemos.ts from
 * the real runtime): each at a kill → restart moment, or, for CrashLoop, its escalation.
 */
export interface DemoRecording {
  application: string;
  /** The child killed through the protocol; null: the demo fails by itself. */
  victim: string | null;
  /** Under public/. */
  file: string;
  moment: string;
}

export const DEMO_RECORDINGS: readonly DemoRecording[] = [
  { application: 'Pooly', victim: 'worker_3', file: 'recordings/pooly.orchard', moment: 'worker_3 killed, restarted by its one_for_one supervisor' },
  { application: 'Chain', victim: 'cache', file: 'recordings/chain.orchard', moment: 'cache killed: rest_for_one restarts it and everything started after it' },
  { application: 'Group', victim: 'member_1', file: 'recordings/group.orchard', moment: 'member_1 killed: one_for_all takes down and restarts every member' },
  { application: 'CrashLoop', victim: null, file: 'recordings/crashloop.orchard', moment: 'a worker that keeps crashing until its supervisor gives up' },
];

export function demoRecording(application: string): DemoRecording | undefined {
  return DEMO_RECORDINGS.find((d) => d.application === application);
}
