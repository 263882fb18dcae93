/**
 * The worker's side of inspecting a node: the inspector source of this worker's scheduler
 * (the same as a page's own runtime has), answering the node's calls (InspectCalls). It is made
 * at the first call, so a worker that nobody inspects pays nothing (DESIGN decision 7).
 */
import type { Scheduler } from '../core/index.ts';
import { type ApplicationEntry, type InspectorSource, type MaybePromise, type SourceView, createSchedulerSource } from '../inspector/index.ts';
import type { InspectArgs, InspectOp, InspectRequest, InspectResult } from '../transport/inspectCalls.ts';

type Handlers = { [K in InspectOp]: (src: InspectorSource, ...args: InspectArgs<K>) => MaybePromise<InspectResult<K>> };

export class InspectionHost {
  private source: InspectorSource | null = null;
  private readonly views = new Map<number, SourceView>();
  private readonly handlers: Handlers = {
    openView: (src, view, options) => {
      this.views.set(view, src.openView(options));
      return null;
    },
    snapshot: (_src, view) => this.view(view).snapshot(),
    delta: (_src, view) => this.view(view).delta(),
    closeView: (_src, view) => {
      this.views.get(view)?.close();
      this.views.delete(view);
      return null;
    },
    recentEvents: (src, pid, limit) => src.recentEvents(pid, limit),
    detail: (src, pid, mailboxLimit) => src.detail(pid, mailboxLimit),
    exit: (src, pid, reason) => src.exit(pid, reason),
    send: (src, to, message) => src.send(to, message),
    call: (src, to, request, timeoutMs) => src.call?.(to, request, timeoutMs) ?? { exit: 'this runtime cannot make calls' },
    cast: (src, to, request) => src.cast?.(to, request) ?? 'noproc',
    trace: (src, pids, on) => src.trace(pids, on),
    available: (src) => src.available(),
    isRunning: (src, name) => src.isRunning(name),
    startApplication: (src, name) => src.startApplication(name),
    stopApplication: (src, name) => src.stopApplication(name),
    tables: (src) => src.tables(),
    table: (src, name, offset, limit) => src.table(name, offset, limit),
  };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly applications: readonly ApplicationEntry[],
  ) {}

  async handle(request: InspectRequest): Promise<unknown> {
    const src = (this.source ??= createSchedulerSource(this.scheduler, { applications: this.applications }));
    // An op this worker does not know (another build of the node) is refused, not crashed on.
    if (!Object.hasOwn(this.handlers, request.op)) throw new Error(`unknown inspector call ${String(request.op)}`);
    const run = this.handlers[request.op] as (src: InspectorSource, ...args: unknown[]) => unknown;
    return run(src, ...request.args);
  }

  private view(id: number): SourceView {
    const v = this.views.get(id);
    if (v === undefined) throw new Error(`no open view ${String(id)} on this scheduler`);
    return v;
  }
}
