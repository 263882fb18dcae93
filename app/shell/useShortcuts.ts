/**
 * The keyboard shortcuts, as observer_cli is driven by keys:
 * 1–9 tabs, `/` the search of the current view, space pause/resume, `k` kill the selected
 * process (with confirmation), `r` resync, Esc close the panel or dialog, `?` the help; the
 * timeline's `[` `]` markers and `l` live, and `,` `.` `p` while stepping through a restart.
 * Keys typed into a field are left to the field.
 */
import { useEffect } from 'react';
import type { Observer } from '../context/ObserverContext.tsx';
import { TABS } from '../store/tabs.ts';

export interface ShortcutGroup {
  title: string;
  keys: ReadonlyArray<[string, string]>;
}

/** Everything the keyboard and mouse do, as the `?` dialog lists it. */
export const SHORTCUTS: readonly ShortcutGroup[] = [
  {
    title: 'Anywhere',
    keys: [
      ['1–9', 'switch tab'],
      ['/', 'search in the current view'],
      ['space', 'pause or resume live updates'],
      ['k', 'kill the selected process (asks first)'],
      ['Esc', 'close the detail panel or dialog'],
      ['?', 'show these shortcuts'],
      ['Tab', 'first stop: "Skip to content", straight to the view (the tree in Applications)'],
    ],
  },
  {
    title: 'Supervision tree (Applications, once it has the focus)',
    keys: [
      ['↑ ↓', 'previous or next sibling'],
      ['←', 'parent'],
      ['→', 'first child (expands it)'],
      ['Enter', 'open the detail panel'],
      ['k  Del', 'kill menu, with the blast radius'],
      ['c', 'collapse or expand the subtree'],
      ['f', 'fit the whole forest in view'],
      ['+  −', 'zoom in or out'],
    ],
  },
  {
    title: 'Timeline (under every view)',
    keys: [
      ['[  ]', 'previous or next marker (kill, restart, escalation, replaced scheduler)'],
      ['l', 'live: back to the present (closes an opened recording)'],
      ['← →', 'on the timeline: one frame back or forward (Shift: 5 s)'],
      ['Home  End', 'on the timeline: the oldest moment kept, or live'],
      ['Enter', 'on the timeline: step through the restart or escalation at or before the thumb'],
      [',  .', 'stepping through a restart: previous or next fact'],
      ['p', 'stepping through a restart: play or pause'],
    ],
  },
  {
    title: 'Mouse',
    keys: [
      ['click', 'select a process (a process row also opens its detail panel)'],
      ['double-click', 'open the detail panel of a tree node'],
      ['right-click', 'kill menu of a tree node'],
      ['wheel  drag', 'zoom and pan the tree'],
    ],
  },
  {
    title: 'Process table',
    keys: [
      ['↑ ↓  PgUp PgDn', 'move the selection'],
      ['Enter', 'open the detail panel'],
    ],
  },
];

/** Text entry keeps its keys; a checkbox, switch, radio or button does not type, so the shortcuts still work on them. */
const NOT_TYPING = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target instanceof HTMLInputElement && !NOT_TYPING.has(target.type);
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
        // Space presses a focused button and toggles a focused checkbox or switch.
        if (e.target instanceof HTMLButtonElement || e.target instanceof HTMLInputElement) return;
        e.preventDefault();
        ui.setPaused(!ui.paused);
      } else if (e.key === 'k') {
        if (ui.selected !== null) ui.askKill(ui.selected);
      } else if (e.key === '?') {
        toggleHelp();
      } else if (e.key === '[' || e.key === ']') {
        observer.replay.jump(e.key === '[' ? -1 : 1);
      } else if (e.key === 'l') {
        observer.replay.goLive();
      } else if ((e.key === ',' || e.key === '.' || e.key === 'p') && observer.replay.state.getState().step !== null) {
        const step = observer.replay.state.getState().step!;
        if (e.key === 'p') {
          if (step.playing) observer.replay.pause();
          else observer.replay.play();
        } else observer.replay.stepTo(step.index + (e.key === ',' ? -1 : 1));
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [observer, toggleHelp]);
}
