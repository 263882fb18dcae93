import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two pages: the Observer, and an embedding page it can attach to (app/host/embed.html).
const PAGES = ['index.html', 'app/host/embed.html'];

// 127.0.0.1:5173 is also playwright.config.ts's webServer address and the README's: change all three together.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  // Scan both pages up front: a dependency first met when the embed page loads would make the
  // dev server reload every open page, the Observer included.
  optimizeDeps: { entries: PAGES },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, rollupOptions: { input: PAGES } },
});
