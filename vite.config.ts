import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { precompress } from './scripts/precompress.ts';

const OUT_DIR = fileURLToPath(new URL('./dist/client', import.meta.url));

/**
 * Moves the built page's stylesheet links from the head to the end of the body, after the loading
 * indicator (index.html): a stylesheet in the head holds back every paint until it arrives, one
 * in the body only what comes after it, so on a slow connection the indicator shows at once. The
 * app's scripts still wait for it (a browser runs deferred and module scripts only once the
 * stylesheets before them have loaded), so the app never appears unstyled.
 */
const stylesheetAfterIndicator: Plugin = {
  name: 'accord-stylesheet-after-indicator',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html) {
      const links = html.match(/[ \t]*<link rel="stylesheet"[^>]*>\n?/g) ?? [];
      const rest = links.reduce((h, link) => h.replace(link, ''), html);
      return rest.replace('</body>', `${links.map((l) => `  ${l.trim()}\n`).join('')}  </body>`);
    },
  },
};

// One config for the client build and the test runner, so both resolve modules the same way.
export default defineConfig({
  root: 'client',
  // precompress: .br and .gz copies of the built scripts, styles and page, which the server sends to
  // browsers that accept them (slow connections wait for a third of the bytes).
  plugins: [react(), stylesheetAfterIndicator, precompress(OUT_DIR)],
  build: {
    // Named from this file's folder, not from `root`, so the path plainly stays in the repository.
    outDir: OUT_DIR,
    emptyOutDir: true,
    sourcemap: true,
    // .vite/manifest.json maps each entry and dynamic import to its chunks: bench/chunks.ts and
    // tests/unit/bundle-size.test.ts read it to see what a page loads (not served: express.static
    // ignores dot-folders).
    manifest: true,
    rolldownOptions: {
      output: {
        // Route-level dynamic imports (client/lazyPages.tsx) keep the editor off the sign-in page;
        // these groups then cut what is left into chunks that change rarely, so a new release
        // re-downloads only the app's own code, and no one chunk is large. Each group holds only
        // libraries that every page using them needs anyway (bundle-size.test.ts checks the
        // sign-in page loads none of the editor's).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'router', test: /node_modules[\\/]react-router[\\/]/ },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
            // The English words (every page's fallback, half the entry's size) change with the words,
            // the app's code with the code: apart, a release re-downloads only what changed.
            { name: 'words-en', test: /client[\\/]i18n[\\/]locales[\\/]en\.json$/ },
            // Earlier groups take a module first; a group also takes what its modules import, so
            // Yjs and ProseMirror come before TipTap, which builds on both.
            { name: 'yjs', test: /node_modules[\\/](yjs|lib0|y-protocols|y-indexeddb|y-websocket)[\\/]/ },
            { name: 'prosemirror', test: /node_modules[\\/](prosemirror-[^\\/]+|orderedmap|rope-sequence|w3c-keyname)[\\/]/ },
            { name: 'tiptap', test: /node_modules[\\/](@tiptap|linkifyjs)[\\/]/ },
          ],
        },
      },
    },
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
    // Under TEST_ENGINE=postgres (npm run test:postgres) only the tests whose server the engine
    // changes run again: integration and browser tests. The unit tests touch no database, and the
    // tests in tests/postgres name both engines themselves, so `npm test` has already held them to
    // each (tests/unit/engine-independent-tests.test.ts keeps it so); running them twice would only
    // cost CI time.
    include:
      process.env.TEST_ENGINE === 'postgres'
        ? ['tests/integration/**/*.test.{ts,tsx}', 'tests/e2e/**/*.test.{ts,tsx}']
        : ['tests/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Starts Redis for the tests of several processes when none is running (tests/globalSetup.ts).
    globalSetup: ['tests/globalSetup.ts'],
    // Integration and browser tests each start their own server; running files in parallel on
    // a 2-core machine makes timing-sensitive journeys flaky without making the suite faster.
    fileParallelism: false,
    // The JSON report is what tests/summary.ts reads for the plain closing line of every test script.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
