import { useState } from 'react';
import { useSession } from '../../context/ObserverContext.tsx';
import { parseTerm } from '../../format/parseTerm.ts';
import type { Pid } from '../../protocol.ts';
import styles from './SendMessageForm.module.css';

/** Sends a message typed as JSON (or a bare word) to the process, as erlang:send/2. */
export function SendMessageForm({ to }: { to: Pid }) {
  const session = useSession();
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async () => {
    const parsed = parseTerm(text);
    if (!parsed.ok) return setResult({ ok: false, text: parsed.message });
    const r = await session.send(to, parsed.value);
    setResult(r.ok ? { ok: true, text: 'sent' } : { ok: false, text: `${r.code}: ${r.message}` });
  };
  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        aria-label="Message as JSON"
        className={styles.input}
        rows={2}
        placeholder='"ping", or JSON: {"work": 21}'
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
      />
      <div className={styles.row}>
        <span className={result === null ? styles.hint : result.ok ? styles.ok : styles.error} role="status">
          {result === null ? 'Ctrl+Enter sends' : result.text}
        </span>
        <button type="submit">Send</button>
      </div>
    </form>
  );
}
