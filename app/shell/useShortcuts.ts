/**
 * The keyboard shortcuts, as observer_cli is driven by keys:
 * 1–8 tabs, `/` the search of the current view, space pause/resume, `k` kill the selected
 * process (with confirmation), `r` resync, Esc close the panel or dialog, `?` the help.
 * Keys typed into a field are left to the field.
 */
import { useEffect } from 'react';
import type { Observer } from '../context/ObserverContext.tsx';
import { TABS } from '../store/tabs.ts';

export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['1–8', 'switch tab'],
  ['/', 'search in the current view'],
  ['space', 'pause or resume live updates'],
  ['k', 'kill the selected process (asks first)'],
  ['Esc', 'close the detail panel or dialog'],
  ['?', 'show these shortcuts'],
];

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(observer: Observer, toggleHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const ui = observer.ui.getState();
      if (e.key === 'Escape') {
        if (typingInto(e.target)) (e.target as HTMLElement).blur();
        else if (ui.detailOpen) ui.closeDetail();
        return;
      }
      if (typingInto(e.target) || ui.confirmKill !== null) return;
      if (/^[1-9]$/.test(e.key)) {
        ui.setTab(TABS[Number(e.key) - 1]!);
      } else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search === null) return;
        e.preventDefault();
        search.focus();
        search.select();
      } else if (e.key === ' ') {
        if (e.target instanceof HTMLButtonElement) return; // space presses a focused button
        e.preventDefault();
        ui.setPaused(!ui.paused);
      } else if (e.key === 'k') {
        if (ui.selected !== null) ui.askKill(ui.selected);
      } else if (e.key === '?') {
        toggleHelp();
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [observer, toggleHelp]);
}
