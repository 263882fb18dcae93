/** The Observer's tabs in the order of their keyboard shortcuts (1–9). */
export const TABS = ['system', 'load', 'applications', 'processes', 'tables', 'events', 'demos', 'attach', 'log'] as const;

export type TabId = (typeof TABS)[number];

export const TAB_TITLES: Record<TabId, string> = {
  system: 'System',
  load: 'Load',
  applications: 'Applications',
  processes: 'Processes',
  tables: 'Tables',
  events: 'Events',
  demos: 'Demos',
  attach: 'Attach',
  log: 'Log',
};

export function isTabId(x: unknown): x is TabId {
  return typeof x === 'string' && (TABS as readonly string[]).includes(x);
}
