import { type ReactNode, memo } from 'react';
import styles from './FilterBar.module.css';

export interface FilterBarProps {
  /** The filter box's accessible name. */
  label: string;
  placeholder: string;
  value: string;
  onChange(text: string): void;
  /** Up to half the view wide, instead of a fixed 260 px. */
  wide?: boolean;
  /** What the view shows of how many; pushed to the far end with `countAtEnd`. */
  count: ReactNode;
  countAtEnd?: boolean;
  countTestId?: string;
  /** Between the filter box and the count (the Events view's type chips). */
  children?: ReactNode;
}

/** A list view's header: its filter box (the one `/` focuses), anything the view adds, and a count. */
export function FilterBar({ label, placeholder, value, onChange, wide, count, countAtEnd, countTestId, children }: FilterBarProps) {
  return (
    <div className={styles.bar}>
      <SearchInput label={label} placeholder={placeholder} value={value} onChange={onChange} wide={wide === true} />
      {children}
      <span className={styles.count} data-end={countAtEnd === true ? '' : undefined} data-testid={countTestId}>
        {count}
      </span>
    </div>
  );
}

/**
 * The filter box, apart so that a new count does not render it: React writes an input's `type`
 * on each render, and that write invalidates the page's layout.
 */
const SearchInput = memo(function SearchInput({ label, placeholder, value, onChange, wide }: { label: string; placeholder: string; value: string; onChange(text: string): void; wide: boolean }) {
  return (
    <input
      type="search"
      data-search
      className={styles.search}
      data-wide={wide ? '' : undefined}
      placeholder={placeholder}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
});
