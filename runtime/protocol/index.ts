/**
 * The inspector protocol's public surface: the contract (messages), the transport (Wall,
 * Bridge), the client an inspector attaches with, and the helpers both sides share. The app
 * imports from here only (DESIGN, "Layers and the one way data flows").
 */
export {
  PROTOCOL, PROTOCOL_VERSION, PROTOCOL_VERSIONS, LIMITS, envelope, isEnvelope, isLifecycleEvent,
} from './messages.ts';
export type {
  Capability, Envelope, WireMessage, RuntimeIdentity, NodeStats, BeamNodeStats, SchedulerRow, ProcessStatus, ProcessRow, SupervisorRow,
  ApplicationRow, InspectorEvent, InspectorEventType, ValuePreview, MailboxEntry, ProcessDetail, TableRow, ProcessSortKey,
  InspectorToRuntime, RuntimeToInspector, ErrorCode, InspectorMessage, RuntimeMessage, AnyRuntimeMessage, ProtocolVersion,
  ExitedEvent, RestartedEvent, IntensityExceededEvent, LifecycleEvent, CallOutcome, AcceptedMessage,
} from './messages.ts';
export { portWall, windowWall, memoryWallPair, localWallPair } from './Wall.ts';
export type { Wall, WallMeta, WindowLike, PostTarget, WindowWallOptions } from './Wall.ts';
export { Bridge } from './Bridge.ts';
export type { BridgeOptions, MessageOf } from './Bridge.ts';
export { validateMessage, withinSize, REQUIRES } from './validate.ts';
export type { Validated } from './validate.ts';
export { preview, previewText } from './preview.ts';
export { termProblem, isTerm, termToValue, T, MAX_TERM_DEPTH } from './term.ts';
export type { Term, TermTag } from './term.ts';
export {
  attachLocal, attachPort, attachWall, attachWindow, attachFrame, attachOpener, openAndAttach,
} from './client.ts';
export type {
  InspectorClient, ClientOptions, WindowAttachOptions, ConnectionStatus, ClientErrorCode, Result, Snapshot, Delta, Welcome, SubscribeOptions,
} from './client.ts';
export type { Pid, Ref } from '../core/pid.ts';
