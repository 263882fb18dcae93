/**
 * The worker's side of inspecting a node: the inspector source of this worker's scheduler
 * (the same as a page's own runtime has), answering the node's requests. It is made at the
 * first request, so a worker that nobody inspects pays nothing (DESIGN decision 7).
 */
import type { Pid, Scheduler } from '../core/index.ts';
import { type ApplicationEntry, type InspectorSource, type SourceView, type ViewOptions, createSchedulerSource } from '../inspector/index.ts';

export type InspectOp =
  | 'openView' | 'snapshot' | 'delta' | 'closeView' | 'recentEvents' | 'detail' | 'exit' | 'send' | 'trace'
  | 'available' | 'isRunning' | 'startApplication' | 'stopApplication' | 'tables' | 'table';

export class InspectionHost {
  private source: InspectorSource | null = null;
  private readonly views = new Map<number, SourceView>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly applications: readonly ApplicationEntry[],
  ) {}

  async handle(op: InspectOp, args: unknown[]): Promise<unknown> {
    const src = (this.source ??= createSchedulerSource(this.scheduler, { applications: this.applications }));
    switch (op) {
      case 'openView':
        this.views.set(args[0] as number, src.openView(args[1] as ViewOptions));
        return null;
      case 'snapshot':
        return this.view(args[0]).snapshot();
      case 'delta':
        return this.view(args[0]).delta();
      case 'closeView':
        this.views.get(args[0] as number)?.close();
        this.views.delete(args[0] as number);
        return null;
      case 'recentEvents':
        return src.recentEvents(args[0] as Pid, args[1] as number);
      case 'detail':
        return src.detail(args[0] as Pid, args[1] as number);
      case 'exit':
        return src.exit(args[0] as Pid, args[1]);
      case 'send':
        return src.send(args[0] as Pid | string, args[1]);
      case 'trace':
        return src.trace(args[0] as Pid[], args[1] as boolean);
      case 'available':
        return src.available();
      case 'isRunning':
        return src.isRunning(args[0] as string);
      case 'startApplication':
        return src.startApplication(args[0] as string);
      case 'stopApplication':
        return src.stopApplication(args[0] as string);
      case 'tables':
        return src.tables();
      case 'table':
        return src.table(args[0] as string, args[1] as number, args[2] as number);
    }
  }

  private view(id: unknown): SourceView {
    const v = this.views.get(id as number);
    if (v === undefined) throw new Error(`no open view ${String(id)} on this scheduler`);
    return v;
  }
}
