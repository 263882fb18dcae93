import type { TabId } from '../store/tabs.ts';
import { ApplicationsView } from '../views/Applications/ApplicationsView.tsx';
import { AttachView } from '../views/Attach/AttachView.tsx';
import { DemosView } from '../views/Demos/DemosView.tsx';
import { EventsView } from '../views/Events/EventsView.tsx';
import { LoadView } from '../views/Load/LoadView.tsx';
import { LogView } from '../views/Log/LogView.tsx';
import { ProcessesView } from '../views/Processes/ProcessesView.tsx';
import { SystemView } from '../views/System/SystemView.tsx';
import { TablesView } from '../views/Tables/TablesView.tsx';

/** One component per tab; only the current tab is mounted, so only it does work (as Observer). */
export function ViewFor({ tab }: { tab: TabId }) {
  switch (tab) {
    case 'system':
      return <SystemView />;
    case 'load':
      return <LoadView />;
    case 'applications':
      return <ApplicationsView />;
    case 'processes':
      return <ProcessesView />;
    case 'tables':
      return <TablesView />;
    case 'events':
      return <EventsView />;
    case 'demos':
      return <DemosView />;
    case 'attach':
      return <AttachView />;
    case 'log':
      return <LogView />;
  }
}
