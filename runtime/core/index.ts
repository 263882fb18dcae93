export { Scheduler } from './Scheduler.ts';
export type { SpawnOptions, SchedulerOptions } from './Scheduler.ts';
export { isGenerator } from './generators.ts';
export type { RemoteSignal, RemoteSpawn } from './remote.ts';
export type { NameTable } from './names.ts';
export { ManualClock, realClock, defaultYieldToHost } from './clock.ts';
export type { Clock, YieldToHost } from './clock.ts';
export { setDefaultScheduler, currentScheduler } from './context.ts';
export { OrchardError } from './errors.ts';
export { errorReason, formatReason, isNormalExit } from './exitReason.ts';
export type { ExitReason, ErrorReason } from './exitReason.ts';
export { defineModule, lookupModule, moduleNames } from './modules.ts';
export type { ModuleDef } from './modules.ts';
export { LOCAL_PID_LIMIT, isPid, isRef, makePid, parsePid, schedulerOf } from './pid.ts';
export type { Pid, Ref } from './pid.ts';
export { Process, Status, STATUS_NAMES } from './Process.ts';
export type { Body, StatusName } from './Process.ts';
export { receive, receiveSites, sleep, yieldNow, TIMEOUT } from './receive.ts';
export type { Matcher, Pattern, Wait, Timeout } from './receive.ts';
export { EXIT_UNWIND, isDownMessage, isExitMessage, isUnwind, ProcessExit } from './signals.ts';
export type { DownMessage, ExitMessage } from './signals.ts';
export type { CrashReport, ProcessInfo, RuntimeEvent, SchedulerStats, SupervisorReport } from './info.ts';
export { CRASH_REPORT, SUPERVISOR_REPORT } from './info.ts';
export type { TimerRef } from './TimerHeap.ts';
export {
  self, spawn, spawnLink, spawnMonitor, send, link, unlink, monitor, demonitor, exit, trapExit,
  register, unregister, whereis, registered, setLabel, isAlive, processInfo, sendAfter, cancelTimer,
  receiveLoop,
} from './bifs.ts';
export type { DemonitorOptions, ProcessInfoItem } from './bifs.ts';
