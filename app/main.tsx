import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startDemo } from './demo/startDemo.ts';
import { DemoPage } from './views/DemoPage.tsx';
import './styles.css';

// The runtime starts outside React: StrictMode's double effects must not spawn a second tree.
const demo = startDemo();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DemoPage demo={demo} />
  </StrictMode>,
);
