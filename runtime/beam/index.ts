/**
 * The BEAM bridge: a real Erlang/Elixir node served as an Orchard inspector source, read by a
 * hidden Erlang node over distribution (nothing is installed on the target).
 */
export { createBeamSource, termToErlang, plainToErlang } from './beamSource.ts';
export type { BeamSource, BeamSourceOptions } from './beamSource.ts';
export { serveWebSocket, CLOSE_REFUSED } from './serveWebSocket.ts';
export type { ServeOptions, BridgeServer } from './serveWebSocket.ts';
export { Probe, ProbeError } from './Probe.ts';
export type { ProbeEvent } from './Probe.ts';
export { main, parseArgs, defaultOrigins, readCookie } from './cli.ts';
