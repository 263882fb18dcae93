import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createObserver } from './client/createObserver.ts';
import { openConnection } from './client/openConnection.ts';
import { bindUrl } from './store/urlState.ts';
import './styles.css';

// Outside React: StrictMode's double effects must not attach twice.
const observer = createObserver(openConnection);
bindUrl(observer.ui);
observer.connect({ kind: 'self' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App observer={observer} />
  </StrictMode>,
);
