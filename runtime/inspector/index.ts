/**
 * The runtime's side of the inspector protocol: expose a runtime, the endpoint that serves
 * inspectors, and the source interface a runtime implements to be inspected.
 */
export { exposeInspector, localInspector } from './exposeInspector.ts';
export type { ExposeOptions, ExposedInspector } from './exposeInspector.ts';
export { InspectorEndpoint, RUNTIME_VERSION } from './endpoint.ts';
export type { AllowedOrigin, EndpointOptions } from './endpoint.ts';
export { Connection } from './Connection.ts';
export { createSchedulerSource } from './schedulerSource.ts';
export type { SchedulerSourceOptions, ApplicationEntry } from './schedulerSource.ts';
export type {
  InspectorSource, SourceView, SourceSnapshot, SourceDelta, ViewOptions, CommandResult, MaybePromise,
} from './source.ts';
export { FlightRecorder, Ring } from './FlightRecorder.ts';
export { TypedTerm } from './source.ts';
