import { describe, expect, it } from 'vitest';
import { CLIENT_DIR, SECTION_PAGE, SIGN_IN_PAGE, htmlScripts, pageLoads, readManifest, type PageLoad } from '../../bench/chunks.ts';

/**
 * The app shell loads only what a page needs (issue #12). Reads the production build in
 * dist/client (npm test runs `npm run build` first; run it yourself before running this file
 * alone): sizes of minified files are deterministic, so they can be asserted, unlike times.
 */

const KB = 1000;
/** Libraries of the editor, live sync and the import and export pages: never on the sign-in page. */
const HEAVY = /^(@tiptap\/|prosemirror-|yjs$|y-|lib0$|linkifyjs$|papaparse$|exceljs$|jszip$|docx$)/;
/** The app's own modules that belong to lazily loaded pages, not to the shell. */
const LAZY_APP_MODULES = ['client/pages/PlanPage.tsx', 'client/pages/ExportPage.tsx', 'client/pages/RecommendationsPage.tsx', 'client/editor/SectionEditor.tsx', 'client/features/import/ImportWizard.tsx'];

function loads(): PageLoad[] {
  // Throws "No build manifest at …: run "npm run build" first" when there is no build.
  return pageLoads(CLIENT_DIR);
}
const page = (all: PageLoad[], name: string) => {
  const found = all.find((l) => l.page === name);
  if (!found) throw new Error(`No page "${name}" in ${all.map((l) => l.page).join(', ')}`);
  return found;
};
const packagesOf = (l: PageLoad) => [...new Set(l.chunks.flatMap((c) => c.packages))].sort();
const appModulesOf = (l: PageLoad) => new Set(l.chunks.flatMap((c) => c.appModules));

describe('what the built client loads per page', () => {
  it('has a production build to measure', () => {
    expect(() => readManifest(CLIENT_DIR), 'run "npm run build" first').not.toThrow();
  });

  it('the sign-in page loads exactly the JS its HTML names (the manifest analysis matches the browser)', () => {
    const signIn = page(loads(), SIGN_IN_PAGE);
    expect(signIn.chunks.map((c) => c.file).sort()).toEqual(htmlScripts(CLIENT_DIR).sort());
  });

  it('the largest JavaScript chunk of the sign-in page is under 250 kB minified', () => {
    const signIn = page(loads(), SIGN_IN_PAGE);
    expect(signIn.largest.bytes, `${signIn.largest.file} is ${(signIn.largest.bytes / KB).toFixed(1)} kB`).toBeLessThan(250 * KB);
  });

  it('the sign-in page loads none of the editor, sync, import or export libraries, and no lazily loaded page', () => {
    const signIn = page(loads(), SIGN_IN_PAGE);
    expect(packagesOf(signIn).filter((p) => HEAVY.test(p))).toEqual([]);
    const shell = appModulesOf(signIn);
    expect(LAZY_APP_MODULES.filter((m) => shell.has(m))).toEqual([]);
    expect(shell.has('client/pages/SignInPage.tsx')).toBe(true);
  });

  it('the Belarusian and Russian catalogues are chunks of their own, loaded only when chosen', () => {
    const manifest = readManifest(CLIENT_DIR);
    const signIn = page(loads(), SIGN_IN_PAGE).chunks.map((c) => c.file);
    for (const language of ['be', 'ru']) {
      const chunk = manifest[`i18n/locales/${language}.json`];
      expect(chunk?.isDynamicEntry, `${language}.json is not loaded by a dynamic import`).toBe(true);
      expect(signIn).not.toContain(chunk!.file);
    }
  });

  it("a plan's section page does load the editor and Yjs (so the check above can see them)", () => {
    const section = page(loads(), SECTION_PAGE);
    const packages = packagesOf(section);
    for (const lib of ['@tiptap/core', 'prosemirror-view', 'yjs', 'y-websocket']) expect(packages).toContain(lib);
    expect(appModulesOf(section).has('client/editor/SectionEditor.tsx')).toBe(true);
  });

  it('the export page does not load the editor', () => {
    const exportPage = page(loads(), 'export');
    expect(packagesOf(exportPage).filter((p) => HEAVY.test(p))).toEqual([]);
    expect(appModulesOf(exportPage).has('client/pages/PlanPage.tsx')).toBe(false);
  });

  it('no chunk is over 500 kB minified (the size at which the build warns)', () => {
    const over = loads()
      .flatMap((l) => l.chunks)
      .filter((c) => c.bytes >= 500 * KB)
      .map((c) => `${c.file} ${(c.bytes / KB).toFixed(1)} kB`);
    expect([...new Set(over)]).toEqual([]);
  });
});
