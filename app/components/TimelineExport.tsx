import { useState } from 'react';
import { useStore } from 'zustand';
import { useObserver } from '../context/ObserverContext.tsx';
import { formatClock, formatDuration } from '../format/format.ts';
import { Dialog } from './Dialog.tsx';
import styles from './Timeline.module.css';

type Span = 'all' | 'minute' | 'around';

/** Saves the recording, or a span of it, to a gzip file (runtime/protocol/RECORDING.md). */
export function TimelineExport({ onClose }: { onClose: () => void }) {
  const { replay } = useObserver();
  const mode = useStore(replay.state, (s) => s.mode);
  const at = useStore(replay.state, (s) => s.at);
  const rec = replay.current();
  const [span, setSpan] = useState<Span>('all');
  const [omit, setOmit] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const centre = mode === 'replay' ? at : rec.endT;

  const save = async (): Promise<void> => {
    setBusy(true);
    const range = span === 'all' ? {} : span === 'minute' ? { from: rec.frameAt(rec.endT - 60_000) + 1 } : { from: rec.frameAt(centre - 30_000) + 1, to: rec.frameAt(centre + 30_000) };
    try {
      const blob = await replay.exportBlob({ ...range, omitContents: omit });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      const d = new Date(range.from !== undefined ? rec.timeOf(range.from) : rec.startT);
      a.download = `orchard-${d.toISOString().slice(0, 19).replace(/[T:]/g, '-')}.orchard`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <Dialog title="Export the recording" onClose={onClose}>
      <form
        className={styles.export}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>What</legend>
          <label>
            <input type="radio" name="span" checked={span === 'all'} onChange={() => setSpan('all')} /> everything kept ({formatDuration(rec.endT - rec.startT)})
          </label>
          <label>
            <input type="radio" name="span" checked={span === 'minute'} onChange={() => setSpan('minute')} /> the last minute
          </label>
          <label>
            <input type="radio" name="span" checked={span === 'around'} onChange={() => setSpan('around')} /> 30 s either side of {formatClock(centre)}
          </label>
        </fieldset>
        <label>
          <input type="checkbox" checked={omit} onChange={(e) => setOmit(e.target.checked)} data-testid="export-omit" /> leave out mailbox contents, states and message
          previews
        </label>
        <p className={styles.dim}>Message previews and states may hold your data: whoever opens the file sees what you saw.</p>
        {error !== null ? <p role="alert">{error}</p> : null}
        <div className={styles.exportActions}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy} data-testid="export-save" data-autofocus>
            {busy ? 'Compressing…' : 'Save file'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
