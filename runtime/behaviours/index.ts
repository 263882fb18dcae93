/**
 * The behaviours' public surface (STYLE G4): each behaviour as a namespace, named as OTP and
 * Elixir name them (`GenServer.call`, `Supervisor.startLink`, `Table.lookup`…), plus the types
 * their users write. Importing it also plugs the Registry in as the `{ via: [registry, key] }`
 * name resolver.
 */
export * as GenServer from './genServer.ts';
export * as Supervisor from './supervisor.ts';
export * as DynamicSupervisor from './dynamicSupervisor.ts';
export * as Agent from './agent.ts';
export * as Task from './task.ts';
export * as TaskSupervisor from './taskSupervisor.ts';
export * as Registry from './registry.ts';
export * as Table from './table.ts';
export { runInProcess } from './runInProcess.ts';

export type { Callbacks, From, GenServerOptions, InitResult, CallResult, NoReplyResult } from './genServer.ts';
export type { SupervisorFlags, SupervisorOptions, SupervisorModule, Strategy, WhichChild, ChildCount, ChildStartResult } from './supervisor.ts';
export type { DynamicSupervisorOptions, DynamicChildSpec, DynamicWhichChild } from './dynamicSupervisor.ts';
export type { AgentOptions } from './agent.ts';
export type { Task as TaskRecord, TaskResult, TaskReply } from './task.ts';
export type { TaskSupervisorOptions } from './taskSupervisor.ts';
export type { RegistryOptions, RegistryKeys } from './registry.ts';
export type { Tid, TableRef, TableOptions, TableInfo, TableType, Access, Tuple, TransferMessage } from './table.ts';
export type { AutoShutdown, ChildSpec, ChildType, RestartType, Shutdown, StartSpec } from './childSpec.ts';
export type { StartResult, StartOptions } from './procLib.ts';
export type { ServerName, ServerRef, ViaName } from './serverName.ts';
