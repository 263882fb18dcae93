/**
 * The calls the node's inspector source makes of a worker's (see runtime/worker/InspectionHost.ts
 * and runtime/node/createNodeSource.ts), typed from InspectorSource itself: a change to the
 * source's interface is a type error on both sides of the worker boundary, never a request the
 * other side reads wrongly.
 *
 * A worker's views are addressed by the id the node gave them, so SourceView's methods become
 * calls that take that id first.
 */
import type { InspectorSource, SourceDelta, SourceSnapshot, ViewOptions } from '../inspector/source.ts';

type SourceCalls = Required<Pick<
  InspectorSource,
  'recentEvents' | 'detail' | 'exit' | 'send' | 'call' | 'cast' | 'trace' | 'available' | 'isRunning' | 'startApplication' | 'stopApplication' | 'tables' | 'table'
>>;

interface ViewCalls {
  openView(view: number, options: ViewOptions): null;
  snapshot(view: number): SourceSnapshot;
  delta(view: number): SourceDelta;
  closeView(view: number): null;
}

/** Every call a node makes of a worker's inspector source. */
export type InspectCalls = SourceCalls & ViewCalls;
export type InspectOp = keyof InspectCalls;
export type InspectArgs<K extends InspectOp> = Parameters<InspectCalls[K]>;
/** What the worker answers: the call's result, once it settles (a structured clone of it). */
export type InspectResult<K extends InspectOp> = Awaited<ReturnType<InspectCalls[K]>>;

/** One call as it crosses to the worker: the op and its arguments, checked together. */
export type InspectRequest = { [K in InspectOp]: { op: K; args: InspectArgs<K> } }[InspectOp];
