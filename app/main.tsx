import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createObserver } from './client/createObserver.ts';
import { openConnection } from './client/openConnection.ts';
import { startRuntimeHost } from './host/runtimeHost.ts';
import { bindUrl } from './store/urlState.ts';
import './styles.css';

// The page's own runtime first (the host side), then the Observer attaches to it. Both
// outside React: StrictMode's double effects must not start or attach twice.
// `?start=Pooly,Backlog` starts demo applications with the page; `?allow=ORIGIN` lets that
// origin's windows attach.
const params = new URLSearchParams(location.search);
startRuntimeHost({
  allowedOrigins: params.getAll('allow'),
  autostart: (params.get('start') ?? '').split(',').filter((name) => name !== ''),
});
const observer = createObserver(openConnection);
bindUrl(observer.ui);
observer.connect({ kind: 'self' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App observer={observer} />
  </StrictMode>,
);
