import styles from './ToggleChips.module.css';

export interface ToggleChip<T extends string> {
  value: T;
  label: string;
  /** Colours the chip's text as the view colours that kind ('ok', 'bad', 'warn', 'info'). */
  tone?: string;
}

export interface ToggleChipsProps<T extends string> {
  /** The group's accessible name. */
  label: string;
  chips: readonly ToggleChip<T>[];
  /** The pressed chips; none pressed means no narrowing. */
  pressed: readonly T[];
  onChange(pressed: T[]): void;
  /** Adds an "all" chip, shown while any is pressed, that releases them all. */
  clearable?: boolean;
}

/** A group of toggle chips that narrow a list (Events' types, the Log's levels and kinds). */
export function ToggleChips<T extends string>({ label, chips, pressed, onChange, clearable }: ToggleChipsProps<T>) {
  const toggle = (v: T) => onChange(pressed.includes(v) ? pressed.filter((x) => x !== v) : [...pressed, v]);
  return (
    <div className={styles.chips} role="group" aria-label={label}>
      {chips.map((c) => (
        <button key={c.value} type="button" className={styles.chip} data-tone={c.tone} aria-pressed={pressed.includes(c.value)} onClick={() => toggle(c.value)}>
          {c.label}
        </button>
      ))}
      {clearable === true && pressed.length > 0 ? (
        <button type="button" className={styles.clear} onClick={() => onChange([])}>
          all
        </button>
      ) : null}
    </div>
  );
}
