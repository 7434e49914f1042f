import { defineConfig } from 'vite';

// The dashboard page: index.html + src/main.ts, built to dist/ (served by the lab's control API).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1000 },
});
