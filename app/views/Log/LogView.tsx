import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { PidLink } from '../../components/PidLink.tsx';
import { ToggleChips } from '../../components/ToggleChips.tsx';
import { useObserver, useRuntime, useUi, useUiActions } from '../../context/ObserverContext.tsx';
import { formatClock, formatInt } from '../../format/format.ts';
import { LOG_KINDS, LOG_LEVELS, type LogEntry, type LogKind, type LogLevel, logEntries, logText } from './logEntries.ts';
import styles from './LogView.module.css';

const LEVEL_CHIPS = LOG_LEVELS.map((l) => ({ value: l, label: l }));
const KIND_CHIPS = LOG_KINDS.map((k) => ({ value: k.kind, label: k.label }));

/** Entries drawn at most; the newest. The filter narrows before the cut. */
const SHOWN = 500;

/**
 * The log: crash reports, supervisor reports and unexpected-message warnings, newest first,
 * read off the lifecycle facts (logEntries.ts). Filtered by level, kind and text; pids open
 * their process.
 */
export function LogView() {
  const { runtime } = useObserver();
  const revision = useRuntime((s) => s.eventsRevision);
  const selected = useUi((s) => s.selected);
  const { select } = useUiActions();
  const [levels, setLevels] = useState<LogLevel[]>([]);
  const [kinds, setKinds] = useState<LogKind[]>([]);
  const [text, setText] = useState('');

  const all = useMemo(() => {
    const events = runtime.getState().events;
    const out: LogEntry[] = [];
    for (let i = events.length - 1; i >= 0; i--) {
      const entries = logEntries(events[i]!, i);
      for (let k = entries.length - 1; k >= 0; k--) out.push(entries[k]!);
    }
    return out;
    // `revision` stands for the events array, replaced on each change.
  }, [runtime, revision]);

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return all.filter(
      (e) => (levels.length === 0 || levels.includes(e.level)) && (kinds.length === 0 || kinds.includes(e.kind)) && (needle === '' || logText(e).includes(needle)),
    );
  }, [all, levels, kinds, text]);

  return (
    <div className={styles.view}>
      <FilterBar label="Filter the log" placeholder="Filter by pid, name, reason, message…  ( / )" value={text} onChange={setText} countAtEnd count={`${formatInt(shown.length)} of ${formatInt(all.length)}`}>
        <ToggleChips label="Log levels" chips={LEVEL_CHIPS} pressed={levels} onChange={setLevels} />
        <ToggleChips label="Log kinds" chips={KIND_CHIPS} pressed={kinds} onChange={setKinds} />
      </FilterBar>
      {shown.length === 0 ? (
        <EmptyState title={all.length === 0 ? 'Nothing logged yet' : 'No entry matches the filter'}>
          {all.length === 0 ? 'Crash reports, supervisor reports and unexpected messages appear here as they happen.' : null}
        </EmptyState>
      ) : (
        <ol className={styles.list} aria-label="Log">
          {shown.slice(0, SHOWN).map((e) => (
            <li
              key={e.key}
              className={e.pid !== null && e.pid === selected ? `${styles.entry} ${styles.selected}` : styles.entry}
              data-testid="log-entry"
              data-level={e.level}
              data-kind={e.kind}
              onClick={() => e.pid !== null && select(e.pid, true)}
            >
              <div className={styles.head}>
                <time>{formatClock(e.at)}</time>
                <span className={styles.level} data-level={e.level}>
                  [{e.level}]
                </span>
                <span className={styles.headline}>
                  {e.headline.map((h, i) => (typeof h === 'string' ? <span key={i}>{h} </span> : <span key={i}><PidLink pid={h.pid} showName={h.showName === true} />{' '}</span>))}
                </span>
              </div>
              {e.lines.map((l, i) => (
                <div key={i} className={styles.line}>
                  <span className={styles.label}>{l.label}</span>
                  {l.pid !== undefined ? (
                    <>
                      {' '}
                      <PidLink pid={l.pid} />
                      {l.label.endsWith('(from') ? '):' : ''}
                    </>
                  ) : null}{' '}
                  <code className={styles.text}>{l.text}</code>
                </div>
              ))}
            </li>
          ))}
          {shown.length > SHOWN ? <li className={styles.more}>and {formatInt(shown.length - SHOWN)} older entries: narrow the filter to see them</li> : null}
        </ol>
      )}
    </div>
  );
}
