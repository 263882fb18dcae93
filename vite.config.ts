import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// 127.0.0.1:5173 is also playwright.config.ts's webServer address and the README's: change all three together.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
