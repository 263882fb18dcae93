import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { useShallow } from 'zustand/react/shallow';
import { useRuntime, useSession } from '../../context/ObserverContext.tsx';
import { printTerm } from '../../format/printTerm.ts';
import { type Dialect, readTerm } from '../../format/readTerm.ts';
import type { AcceptedMessage, CallOutcome, Pid } from '../../protocol.ts';
import styles from './SendMessageForm.module.css';

type Kind = AcceptedMessage['kind'];
type Result = { ok: boolean; text: string; reply?: string };

const KIND_TITLES: Record<Kind, string> = { call: 'call', cast: 'cast', info: 'message' };
const KIND_HINTS: Record<Kind, string> = {
  call: 'GenServer.call: waits for the reply (5 s), or shows the exit',
  cast: 'GenServer.cast: handle_cast, no reply',
  info: 'send/2: a plain message, to handle_info or a receive',
};

/**
 * The last call's outcome, kept outside the form: a call that crashes its server ends the
 * process, and the detail panel moves to its supervisor, where the outcome must still show.
 */
const lastCall = createStore<{ to: Pid; request: string; text: string; ok: boolean } | null>()(() => null);

/**
 * The send box: a term typed in Erlang or Elixir syntax (readTerm.ts), sent as the protocol's
 * typed term, as a GenServer call (the reply or the exit shows), a cast, or a plain message.
 * What the process declares it handles is offered as examples, and the first is prefilled.
 */
export function SendMessageForm({ to }: { to: Pid }) {
  const session = useSession();
  const isServer = useRuntime((s) => s.processes.get(to)?.behaviour === 'GenServer');
  const accepts = useRuntime(useShallow((s) => s.details.get(to)?.accepts ?? []));
  const kinds: Kind[] = isServer ? ['call', 'cast', 'info'] : ['info'];
  const [kind, setKind] = useState<Kind>(isServer ? 'call' : 'info');
  const [dialect, setDialect] = useState<Dialect | 'auto'>('auto');
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const shown: Dialect = dialect === 'auto' ? 'elixir' : dialect;

  // Prefill the first thing the process says it handles, until the person types.
  const first = accepts[0];
  useEffect(() => {
    if (touched || first === undefined) return;
    setKind(isServer || first.kind === 'info' ? first.kind : 'info');
    setText(printTerm(first.example, shown));
  }, [first, touched, isServer, shown]);

  const parsed = useMemo(() => (text.trim() === '' ? null : readTerm(text, dialect)), [text, dialect]);
  const effectiveKind = kinds.includes(kind) ? kind : 'info';

  const submit = async () => {
    if (parsed === null) return setResult({ ok: false, text: 'type a term first' });
    if (!parsed.ok) return setResult({ ok: false, text: parsed.message });
    setBusy(true);
    setResult(effectiveKind === 'call' ? { ok: true, text: 'calling…' } : null);
    const r =
      effectiveKind === 'call' ? await session.call(to, parsed.term) : effectiveKind === 'cast' ? await session.cast(to, parsed.term) : await session.sendTerm(to, parsed.term);
    setBusy(false);
    if (!r.ok) return setResult({ ok: false, text: `${r.code}: ${r.message}` });
    if (effectiveKind !== 'call') return setResult({ ok: true, text: effectiveKind === 'cast' ? 'cast sent' : 'sent' });
    const outcome = r.result as CallOutcome;
    const request = printTerm(parsed.term, parsed.dialect);
    if ('reply' in outcome) {
      const reply = outcome.reply.preview + (outcome.reply.truncated ? '…' : '');
      setResult({ ok: true, text: 'reply', reply });
      lastCall.setState({ to, request, text: `replied ${reply}`, ok: true }, true);
    } else {
      setResult({ ok: false, text: `the call exited: ${outcome.exit}` });
      lastCall.setState({ to, request, text: `exited: ${outcome.exit}`, ok: false }, true);
    }
  };
  const last = useStore(lastCall);

  return (
    <form
      className={styles.form}
      data-testid="send-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={styles.row}>
        {kinds.length > 1 ? (
          <div role="radiogroup" aria-label="Send as" className={styles.kinds}>
            {kinds.map((k) => (
              <label key={k} title={KIND_HINTS[k]} className={effectiveKind === k ? styles.kindOn : styles.kind}>
                <input type="radio" name={`send-kind-${to}`} value={k} checked={effectiveKind === k} onChange={() => setKind(k)} />
                {KIND_TITLES[k]}
              </label>
            ))}
          </div>
        ) : (
          <span className={styles.hint}>a plain message (send/2)</span>
        )}
        <select aria-label="Term syntax" value={dialect} onChange={(e) => setDialect(e.target.value as Dialect | 'auto')}>
          <option value="auto">Erlang or Elixir</option>
          <option value="elixir">Elixir</option>
          <option value="erlang">Erlang</option>
        </select>
      </div>
      {last !== null && last.to !== to ? (
        <p className={last.ok ? styles.ok : styles.error} role="status" data-testid="call-outcome">
          The call <code>{last.request}</code> to <code>{last.to}</code> {last.text}
        </p>
      ) : null}
      {accepts.length > 0 ? (
        <div className={styles.examples} aria-label="What this process handles">
          {accepts.map((a, i) => (
            <button
              key={i}
              type="button"
              className={styles.example}
              title={a.note}
              onClick={() => {
                setTouched(true);
                setKind(kinds.includes(a.kind) ? a.kind : 'info');
                setText(printTerm(a.example, shown));
              }}
            >
              <span className={styles.exampleKind}>{KIND_TITLES[a.kind]}</span> <code>{printTerm(a.example, shown)}</code>
            </button>
          ))}
        </div>
      ) : null}
      <textarea
        aria-label="Term to send, in Erlang or Elixir syntax"
        className={styles.input}
        rows={2}
        spellCheck={false}
        placeholder={shown === 'erlang' ? '{ping, self()} — e.g. {work, 21} or #{work => 21}' : '{:ping, 1} — e.g. :inc or %{work: 21}'}
        value={text}
        onChange={(e) => {
          setTouched(true);
          setText(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
      />
      <p className={styles.reads} data-testid="send-reads">
        {parsed === null ? (
          <span className={styles.hint}>Erlang (inc, {'{work, 21}'}, &lt;&lt;"bin"&gt;&gt;) or Elixir (:inc, %{'{work: 21}'}, "bin")</span>
        ) : parsed.ok ? (
          <>
            <span className={styles.hint}>reads as {parsed.dialect === 'erlang' ? 'Erlang' : 'Elixir'}:</span> <code>{printTerm(parsed.term, parsed.dialect)}</code>
          </>
        ) : (
          <span className={styles.error}>{parsed.message}</span>
        )}
      </p>
      <div className={styles.row}>
        <span className={result === null ? styles.hint : result.ok ? styles.ok : styles.error} role="status" data-testid="send-result">
          {result === null ? 'Ctrl+Enter sends' : result.text}
        </span>
        <button type="submit" disabled={busy || parsed === null || !parsed.ok}>
          {effectiveKind === 'call' ? 'Call' : effectiveKind === 'cast' ? 'Cast' : 'Send'}
        </button>
      </div>
      {result?.reply !== undefined ? (
        <pre className={styles.reply} data-testid="call-reply">
          {result.reply}
        </pre>
      ) : null}
    </form>
  );
}
