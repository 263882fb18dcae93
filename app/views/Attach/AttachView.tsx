import { useState } from 'react';
import { useStore } from 'zustand';
import { parseAttachParam } from '../../client/attachParam.ts';
import { describeTarget } from '../../client/attachStore.ts';
import { useObserver, useRuntime } from '../../context/ObserverContext.tsx';
import styles from './AttachView.module.css';

/**
 * The embedding page that ships with the app (app/host/embed.html), running Pooly. Relative, so
 * that it resolves beside the Observer wherever it is served from (a subfolder included).
 */
const EXAMPLE_PAGE = 'app/host/embed.html?start=Pooly';

/** Origin of a URL typed by a person, or '' when it does not parse. */
function originOf(url: string): string {
  try {
    return new URL(url, window.location.href).origin;
  } catch {
    return '';
  }
}

/**
 * Choose the runtime to inspect: this page's own, a page embedded here in an iframe, a page in
 * a window we open, or the window that opened us. Every one of them is reached the same way,
 * through the inspector protocol, and must list our origin to answer.
 */
export function AttachView() {
  const observer = useObserver();
  const target = useStore(observer.attach, (s) => s.target);
  const connection = useRuntime((s) => s.connection);
  const [url, setUrl] = useState('');
  const [origin, setOrigin] = useState('');
  const [beamUrl, setBeamUrl] = useState(target?.kind === 'beam' ? target.url : '');
  const beam = parseAttachParam(beamUrl, window.location.href);
  const beamOk = beam.ok && beam.target.kind === 'beam';
  const effectiveOrigin = origin.trim() || originOf(url);
  const canGo = url.trim() !== '' && effectiveOrigin !== '';
  const control = connection.granted.includes('control');

  return (
    <div className={styles.view}>
      <section className={styles.current} data-testid="attach-current">
        <span className={styles.label}>Inspecting</span>
        <b>{describeTarget(target)}</b>
        <span className={styles.dim}>
          {connection.status}
          {connection.runtime ? ` · ${connection.runtime.application ?? connection.runtime.name} · ${connection.runtime.origin ?? ''}` : ''}
          {connection.status === 'connected' ? ` · granted ${connection.granted.join(' + ')}` : ''}
          {connection.message ? ` · ${connection.message}` : ''}
        </span>
        {connection.status === 'connected' && !control ? <span className={styles.warn}>observe only: kill, exit and send are refused</span> : null}
      </section>
      <div className={styles.options}>
        <section className={styles.option}>
          <h2>This page</h2>
          <p>The runtime that runs in this tab, with the built-in demo applications.</p>
          <button type="button" onClick={() => observer.connect({ kind: 'self' })} disabled={target?.kind === 'self' && connection.status === 'connected'}>
            Inspect this page
          </button>
        </section>
        <section className={styles.option}>
          <h2>Another page</h2>
          <p>A page that exposes its runtime and lists this origin ({window.location.origin}) as allowed.</p>
          <label>
            URL
            <input aria-label="Page URL" placeholder="https://example.com/app.html" value={url} onChange={(e) => setUrl(e.target.value)} />
          </label>
          <label>
            Origin
            <input aria-label="Page origin" placeholder={originOf(url) || 'taken from the URL'} value={origin} onChange={(e) => setOrigin(e.target.value)} />
          </label>
          <div className={styles.buttons}>
            <button type="button" className={styles.example} onClick={() => setUrl(EXAMPLE_PAGE)} title="An embedding page that ships with Orchard">
              Use the example page
            </button>
            <button type="button" disabled={!canGo} onClick={() => observer.connect({ kind: 'frame', url: url.trim(), origin: effectiveOrigin })}>
              Embed in an iframe
            </button>
            <button type="button" disabled={!canGo} onClick={() => observer.connect({ kind: 'popup', url: url.trim(), origin: effectiveOrigin })}>
              Open in a window
            </button>
          </div>
        </section>
        <section className={styles.option} aria-label="BEAM node">
          <h2>BEAM node</h2>
          <p>
            A running Erlang or Elixir node, through the bridge: <code>npm run bridge -- --node NAME@HOST</code> prints the URL
            (it lists this origin by default; other origins need <code>--allow-origin</code>).
          </p>
          <label>
            Bridge URL
            <input aria-label="Bridge URL" placeholder="ws://127.0.0.1:4100/?token=…" value={beamUrl} onChange={(e) => setBeamUrl(e.target.value)} />
          </label>
          {beamUrl.trim() !== '' && !beamOk ? <span className={styles.warn}>a bridge URL starts with ws:// or wss://</span> : null}
          <button type="button" disabled={!beamOk} onClick={() => beam.ok && observer.connect(beam.target)}>
            Observe the node
          </button>
        </section>
        {window.opener !== null ? (
          <section className={styles.option}>
            <h2>The opener</h2>
            <p>The window that opened this Observer.</p>
            <label>
              Origin
              <input aria-label="Opener origin" value={origin} placeholder="https://example.com" onChange={(e) => setOrigin(e.target.value)} />
            </label>
            <button type="button" disabled={origin.trim() === ''} onClick={() => observer.connect({ kind: 'opener', origin: origin.trim() })}>
              Attach to the opener
            </button>
          </section>
        ) : null}
      </div>
    </div>
  );
}
