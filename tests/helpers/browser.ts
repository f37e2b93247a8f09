import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Built browser app served by test servers (npm test builds it first). */
export const CLIENT_DIR = join(ROOT, 'dist', 'client');
/** Screenshots and other artefacts of browser tests, for people to look at. */
export const OUTPUT_DIR = join(ROOT, 'test-output');

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM}: run "apt-get install -y chromium" (or .ci/run).`);
  }
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
    throw new Error('Browser tests need the built client: run "npm run build" first (npm test does).');
  }
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, `${name}.png`);
}

/**
 * One browser for a test file: launched before its tests, closed (with every context) after.
 * `newPage` opens a page in a fresh context (its own cookies and storage, as another person's
 * browser), and fails the test on any uncaught error in the page.
 */
export function useBrowser(defaults: BrowserContextOptions = {}): { newPage(options?: BrowserContextOptions): Promise<Page> } {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    async newPage(options = {}) {
      const context = await browser!.newContext({ viewport: { width: 1440, height: 1000 }, ...defaults, ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => {
        throw new Error(`page error: ${err.message}`);
      });
      return page;
    },
  };
}

/** Signs a page in through the sign-in form and waits for the plans list. */
export async function signInThroughForm(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(base + '/sign-in');
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL(base + '/');
}

/**
 * First start of a fresh server, through the set-up page: Alena Kavalenka of the Ministry of
 * Foreign Affairs (government) becomes the first coordinator. Ends on the plans list.
 */
export async function setUpThroughForm(page: Page, base: string): Promise<{ email: string; password: string }> {
  const person = { email: 'alena@mfa.example', password: 'correct horse battery' };
  await page.goto(base + '/');
  await page.waitForURL('**/setup');
  await page.getByTestId('setup-name').fill('Alena Kavalenka');
  await page.getByTestId('setup-email').fill(person.email);
  await page.getByTestId('setup-password').fill(person.password);
  await page.getByTestId('setup-org-name').fill('Ministry of Foreign Affairs');
  await page.getByTestId('setup-org-side').selectOption('government');
  await page.getByTestId('setup-submit').click();
  await page.waitForURL(base + '/');
  return person;
}

/** Creates the usual plan (Belarus, 2026–2030) through the home page's form and waits for it to open. */
export async function createPlanThroughForm(page: Page): Promise<void> {
  await page.getByTestId('create-plan-title').fill('National Human Rights Plan 2026–2030');
  await page.getByTestId('create-plan-country').fill('Belarus');
  await page.getByTestId('create-plan-start').fill('2026');
  await page.getByTestId('create-plan-end').fill('2030');
  await page.getByTestId('create-plan-submit').click();
  await page.waitForURL('**/plans/**');
}

/**
 * Selects `text` in the section editor the way a mouse would (a DOM selection inside the words),
 * or, with `caret: 'before'` or `'after'`, puts the caret just before or after it. Throws when the
 * words are not there.
 */
export async function selectInEditor(page: Page, text: string, options: { caret?: 'before' | 'after' } = {}): Promise<void> {
  const wanted = { words: text, caret: options.caret };
  // ProseMirror reads a DOM selection only while its element has focus; under load a sync message
  // that redraws the paragraph, or a panel taking focus as it opens, can also leave the editor with
  // the selection it had before. So: focus first, then set the selection and wait for the editor to
  // hold it, and set it again if it did not.
  await editorOf(page).focus();
  for (let attempt = 1; ; attempt++) {
    await placeDomSelection(page, wanted);
    const held = await page
      .waitForFunction(editorHoldsSelection, wanted, { timeout: 3000 })
      .then(() => true, (error: unknown) => {
        if (attempt >= 3) throw error;
        return false;
      });
    if (held) return;
  }
}

type WantedSelection = { words: string; caret?: 'before' | 'after' };

/** Puts the browser's selection on `words` (or a caret beside them); resolves once the browser has said so. */
function placeDomSelection(page: Page, wanted: WantedSelection): Promise<void> {
  return page.evaluate(({ words, caret }) => {
    const root = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(words);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, caret === 'after' ? at + words.length : at);
      if (caret) range.collapse(true);
      else range.setEnd(node, at + words.length);
      // The editor reads the new selection on the browser's selectionchange event, which comes
      // after this script: wait for it (its listener runs before ours), so whatever the test does
      // next (a toolbar button, a key) acts on these words, not on the selection before them.
      const seen = new Promise<void>((resolve) => {
        const done = () => {
          document.removeEventListener('selectionchange', done);
          resolve();
        };
        document.addEventListener('selectionchange', done);
        // The same words selected again change nothing, so no event comes.
        setTimeout(done, 500);
      });
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return seen;
    }
    throw new Error(`"${words}" is not in the editor`);
  }, wanted);
}

/**
 * Whether the editor's own selection (TipTap keeps the editor on its element) is on the words: under
 * load the browser's event can come after placeDomSelection has returned, and a key the editor
 * handles itself (Enter) acts on the editor's selection, not the browser's. Runs in the page.
 */
function editorHoldsSelection({ words, caret }: WantedSelection): boolean {
  const dom = document.querySelector('[data-testid=section-editor] .ProseMirror') as
    | (Element & { editor?: { state: { selection: { from: number; to: number }; doc: { content: { size: number }; textBetween(a: number, b: number): string } } } })
    | null;
  const state = dom?.editor?.state;
  if (!state) return true;
  const { from, to } = state.selection;
  if (!caret) return state.doc.textBetween(from, to) === words;
  if (from !== to) return false;
  return caret === 'after'
    ? state.doc.textBetween(Math.max(0, from - words.length), from) === words
    : state.doc.textBetween(from, Math.min(state.doc.content.size, from + words.length)) === words;
}

/** The section editor's editable area. */
export const editorOf = (page: Page) => page.getByTestId('section-editor').locator('.ProseMirror');

/** A new page (from useBrowser's newPage), signed in through the form, at `url`. */
export async function openSignedIn(newPage: () => Promise<Page>, base: string, email: string, password: string, url: string): Promise<Page> {
  const page = await newPage();
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, base, email, password);
  await page.goto(url);
  return page;
}
