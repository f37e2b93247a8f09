import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PlanOutline } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, OUTPUT_DIR, editorOf, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { englishOnPage } from '../helpers/englishScan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { chooseLanguage } from '../helpers/language.ts';

/**
 * A coordinator who reads Belarusian (and, in the second test, Russian) sets Accord up, writes a
 * section, comments on it, signs it and exports the plan, all in their language: at every step the
 * page is scanned for the interface's English (the English catalogue's strings); the plan's own
 * words and people's names and addresses are as they were written.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ acceptDownloads: true });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const people = {
  be: { name: 'Алена Каваленка', email: 'alena@mfa.example', org: 'Міністэрства замежных спраў', plan: 'Нацыянальны план 2026–2030', section: 'Смяротнае пакаранне', text: 'Урад увядзе мараторый на выкананне смяротных прысудаў.', comment: 'Ці распаўсюджваецца мараторый на ўжо вынесеныя прысуды?' },
  ru: { name: 'Ольга Ковалёва', email: 'olga@mfa.example', org: 'Министерство иностранных дел', plan: 'Национальный план 2026–2030', section: 'Смертная казнь', text: 'Правительство введёт мораторий на исполнение смертных приговоров.', comment: 'Распространяется ли мораторий на уже вынесенные приговоры?' },
} as const;
const PASSWORD = 'correct horse battery staple';

async function expectNoEnglish(page: Page, lang: 'be' | 'ru', step: string, own: readonly string[]) {
  // Let the page settle: lazy parts and live data arrive after navigation.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const found = await englishOnPage(page, lang, own);
  if (found.length > 0) await page.screenshot({ path: screenshotPath(`languages-${lang}-${step}-english`), fullPage: true });
  expect(found, `English on the ${step} page in ${lang}`).toEqual([]);
}

async function walk(lang: 'be' | 'ru') {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const base = server.url;
  const p = people[lang];
  const own: string[] = [p.name, p.email, p.org, p.plan, p.section, p.text, p.comment, 'Accord', 'localhost', 'PDF', 'DOCX'];
  const page = await newPage({ locale: 'en-GB' });
  page.setDefaultTimeout(15_000);

  // --- Set-up: an English browser, switched to the person's language in the header.
  await page.goto(base + '/');
  await page.waitForURL('**/setup');
  await chooseLanguage(page, lang);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
  // The form's own errors, in the language: submitted empty.
  await page.getByTestId('setup-submit').click();
  await expectNoEnglish(page, lang, 'setup-errors', own);
  await page.getByTestId('setup-name').fill(p.name);
  await page.getByTestId('setup-email').fill(p.email);
  await page.getByTestId('setup-password').fill(PASSWORD);
  await page.getByTestId('setup-org-name').fill(p.org);
  await page.getByTestId('setup-org-side').selectOption('government');
  await expectNoEnglish(page, lang, 'setup', own);
  await page.getByTestId('setup-submit').click();
  await page.waitForURL(base + '/');
  await expectNoEnglish(page, lang, 'plans', own);

  // --- A plan with one section (made through the API as the same person).
  const api = new ApiClient(base);
  api.cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const created = await api.post('/api/plans', { title: p.plan, country: 'Беларусь', periodStart: 2026, periodEnd: 2030 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const planId = created.body.id as string;
  const outline = (await api.get<PlanOutline>(`/api/plans/${planId}`)).body;
  const added = await api.post(`/api/plans/${planId}/sections`, { chapterId: outline.chapters[0]!.id, title: p.section });
  expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
  const sectionId = (added.body as PlanOutline).chapters.flatMap((c) => c.sections).find((s) => s.title === p.section)!.id;
  const chapterTitles = (added.body as PlanOutline).chapters.map((c) => c.title);
  const sectionTitles = (added.body as PlanOutline).chapters.flatMap((c) => c.sections.map((s) => s.title));
  own.push(...chapterTitles, ...sectionTitles, 'Беларусь');

  // --- The section: type, comment.
  await page.goto(`${base}/plans/${planId}/sections/${sectionId}`);
  await editorOf(page).waitFor();
  await editorOf(page).click();
  await page.keyboard.type(p.text);
  await page.waitForFunction(() => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === 'saved');
  await expectNoEnglish(page, lang, 'section', own);
  await selectInEditor(page, p.text.split(' ').slice(1, 3).join(' '));
  await page.getByTestId('comment-button').click();
  await page.getByTestId('comment-body').fill(p.comment);
  await page.getByTestId('comment-submit').click();
  await expect.poll(() => page.getByTestId('comment').count()).toBe(1);
  await expectNoEnglish(page, lang, 'comment', own);

  // --- Review and sign.
  await page.getByTestId('send-for-review').click();
  await expect.poll(() => page.getByTestId('agreement-panel').getAttribute('data-status')).toBe('in_review');
  await expect.poll(() => page.getByTestId('sign-off').isEnabled()).toBe(true);
  await page.getByTestId('sign-off').click();
  await page.getByTestId('sign-off-dialog').waitFor();
  await expectNoEnglish(page, lang, 'sign-dialog', own);
  await page.getByTestId('sign-off-confirm').click();
  await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(1);
  await expectNoEnglish(page, lang, 'signed', own);
  // The signature's date in the language too, also in Chromium, whose Intl has no Belarusian.
  const MONTHS = {
    be: 'студзеня|лютага|сакавіка|красавіка|мая|чэрвеня|ліпеня|жніўня|верасня|кастрычніка|лістапада|снежня',
    ru: 'января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря',
  };
  expect(await page.getByTestId('signoff-item').first().innerText()).toMatch(new RegExp(`\\d (${MONTHS[lang]}) \\d{4}`));
  await page.screenshot({ path: screenshotPath(`languages-${lang}-signed`), fullPage: true });

  // --- Export: the form and the file are in the language.
  await page.getByTestId('export-link').click();
  await page.waitForURL('**/export');
  await expectNoEnglish(page, lang, 'export', own);
  // The document's language starts at the one the person reads Accord in.
  expect(await page.getByTestId('export-language').inputValue()).toBe(lang);
  await page.getByTestId('export-format').selectOption('docx');
  await page.getByTestId('export-start').click();
  const link = page.getByTestId('export-download');
  await link.waitFor({ timeout: 60_000 });
  await expectNoEnglish(page, lang, 'export-done', own);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = join(OUTPUT_DIR, `languages-${lang}.docx`);
  await download.saveAs(path);
  const docx = await JSZip.loadAsync(readFileSync(path));
  const tag = { be: 'be-BY', ru: 'ru-RU' }[lang];
  expect(await docx.file('word/styles.xml')!.async('string')).toContain(`<w:lang w:val="${tag}"`);
  const body = await docx.file('word/document.xml')!.async('string');
  expect(body).toContain(p.text);
  expect(body).not.toContain('Lead agency');
  await page.screenshot({ path: screenshotPath(`languages-${lang}-export`), fullPage: true });
}

describe('the interface in Belarusian and in Russian', () => {
  it('set-up, a section, a comment, a sign-off and an export in Belarusian show no English', async () => {
    await walk('be');
  });
  it('the same journey in Russian shows no English', async () => {
    await walk('ru');
  });
});
