import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the client build and the test runner, so both resolve modules the same way.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    // Named from this file's folder, not from `root`, so the path plainly stays in the repository.
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npm run dev` style work: the Vite dev server forwards API and sync traffic to Express.
    proxy: {
      '/api': 'http://localhost:3000',
      '/sync': { target: 'ws://localhost:3000', ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and browser tests each start their own server; running files in parallel on
    // a 2-core machine makes timing-sensitive journeys flaky without making the suite faster.
    fileParallelism: false,
    reporters: ['default'],
  },
});
