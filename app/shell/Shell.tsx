import { useCallback, useState } from 'react';
import { useObserver, useUi } from '../context/ObserverContext.tsx';
import { ProcessDetailPanel } from '../views/ProcessDetail/ProcessDetailPanel.tsx';
import { FrameHost } from '../views/Attach/FrameHost.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { WatchdogBanner } from './WatchdogBanner.tsx';
import { Header } from './Header.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { KillDialog } from './KillDialog.tsx';
import { StatusBar } from './StatusBar.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { TabBar } from './TabBar.tsx';
import { UrlNotice } from './UrlNotice.tsx';
import { useShortcuts } from './useShortcuts.ts';
import { ViewFor } from './ViewFor.tsx';
import styles from './Shell.module.css';

/** The Observer's frame: header, tabs, the current view, the detail panel, the status bar. */
export function Shell() {
  const observer = useObserver();
  const tab = useUi((s) => s.tab);
  const detailOpen = useUi((s) => s.detailOpen && s.selected !== null);
  const [help, setHelp] = useState(false);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  useShortcuts(observer, toggleHelp);
  return (
    <div className={styles.shell}>
      {/* The first Tab stop: past the header, tabs and controls to the view (the tree in Applications). */}
      <a
        href="#content"
        className={styles.skip}
        onClick={(e) => {
          e.preventDefault();
          const main = document.getElementById('content');
          const target = main?.querySelector<HTMLElement>('[data-skip-target]') ?? main?.querySelector<HTMLElement>('[tabindex="0"], input, button, select, textarea, a[href]') ?? main;
          target?.focus();
        }}
      >
        Skip to content
      </a>
      <Header onHelp={toggleHelp} />
      <TabBar />
      <ConnectionBanner />
      <WatchdogBanner />
      <UrlNotice />
      <div className={styles.body}>
        <main id="content" tabIndex={-1} className={styles.main} data-tab={tab}>
          <ViewFor tab={tab} />
          {/* Outside the tab's own tree: the embedded page must outlive a tab switch. */}
          <FrameHost visible={tab === 'attach'} />
        </main>
        {detailOpen ? <ProcessDetailPanel /> : null}
      </div>
      <Timeline />
      <StatusBar />
      <KillDialog />
      {help ? <HelpDialog onClose={toggleHelp} /> : null}
    </div>
  );
}
