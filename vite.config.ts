import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two pages: the Observer, and an embedding page it can attach to (app/host/embed.html).
const PAGES = ['index.html', 'app/host/embed.html'];

// 127.0.0.1:5173 is also playwright.config.ts's webServer address and the README's: change all three together.
// ORCHARD_PORT (and ORCHARD_PREVIEW_PORT) move them, so that two checkouts can run their tests side by side.
const PORT = Number(process.env.ORCHARD_PORT ?? 5173);
const PREVIEW_PORT = Number(process.env.ORCHARD_PREVIEW_PORT ?? 4173);
export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the built Observer is a static site that works from any origin and
  // under any path (a subfolder of someone's host included), with no server of ours behind it.
  base: './',
  server: { host: '127.0.0.1', port: PORT, strictPort: true },
  preview: { host: '127.0.0.1', port: PREVIEW_PORT, strictPort: true },
  // Scan both pages up front: a dependency first met when the embed page loads would make the
  // dev server reload every open page, the Observer included.
  optimizeDeps: { entries: PAGES },
  build: { outDir: 'dist/observer', emptyOutDir: true, sourcemap: true, rollupOptions: { input: PAGES } },
});
