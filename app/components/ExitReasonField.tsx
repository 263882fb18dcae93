import { parseTerm } from '../format/parseTerm.ts';
import styles from './KillForm.module.css';

/**
 * The exit reason a kill sends: `kill` cannot be trapped; any other reason is an exit signal
 * that a process trapping exits receives as a message (erlang:exit/2). Shared by the kill
 * dialog and the tree's kill menu.
 */
export type ExitChoice = 'kill' | 'shutdown' | 'normal' | 'custom';

export const EXIT_CHOICES: ReadonlyArray<{ id: ExitChoice; hint: string }> = [
  { id: 'kill', hint: 'untrappable' },
  { id: 'shutdown', hint: 'orderly' },
  { id: 'normal', hint: 'ignored unless trapped' },
  { id: 'custom', hint: 'any term' },
];

/** The reason to send: the choice itself, or the custom text parsed as a term. */
export function reasonValue(choice: ExitChoice, custom: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (choice !== 'custom') return { ok: true, value: choice };
  return parseTerm(custom);
}

export interface ExitReasonFieldProps {
  /** The radio group's name, unique on the page. */
  name: string;
  choice: ExitChoice;
  custom: string;
  onChoice(choice: ExitChoice): void;
  onCustom(text: string): void;
  /** Tighter padding, for the menu over the tree. */
  dense?: boolean;
}

export function ExitReasonField({ name, choice, custom, onChoice, onCustom, dense }: ExitReasonFieldProps) {
  return (
    <>
      <fieldset className={styles.reasons} data-dense={dense === true ? '' : undefined}>
        <legend>Exit reason</legend>
        {EXIT_CHOICES.map((c) => (
          <label key={c.id} title={c.hint}>
            <input type="radio" name={name} value={c.id} checked={choice === c.id} onChange={() => onChoice(c.id)} />
            <code>{c.id}</code>
          </label>
        ))}
      </fieldset>
      {choice === 'custom' ? (
        <input
          className={styles.custom}
          aria-label="Custom exit reason"
          placeholder='a word, or JSON: {"shutdown": "maintenance"}'
          value={custom}
          onChange={(e) => onCustom(e.target.value)}
        />
      ) : null}
    </>
  );
}
