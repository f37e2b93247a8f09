/**
 * Exports in the language asked for (issue #17): the export's own words (headings, labels, enum
 * values, dates) in Russian or Belarusian, the plan's text as written, and the language declared in
 * the file — HTML's lang attribute, DOCX's w:lang, the PDF catalogue's /Lang — with the PDF tagged
 * (structure tree, marked content). Without a language an export stays English, as before.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAction, exportPlan, exportText, ok, squash, writeSection } from '../helpers/exportPlan.ts';
import { monitoredPlan, submitReport } from '../helpers/monitoringPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;

const LEAD = 'Міністэрства юстыцыі Рэспублікі Беларусь';
const TITLE = 'Prepare a moratorium bill';
/** Labels the export writes, by language; each must appear in its own language's export and not in the others. */
const LABELS = {
  en: ['Lead agency', 'Co-implementers', 'Annex A. Recommendations addressed', 'Pending', 'Outcome', 'Universal Periodic Review'],
  ru: ['Ответственный исполнитель', 'Соисполнители', 'Приложение A. Рекомендации', 'Позиция не определена', 'Индикатор результата', 'Универсальный периодический обзор'],
  be: ['Адказны выканаўца', 'Сувыканаўцы', 'Дадатак A. Рэкамендацыі', 'Пазіцыя не вызначана', 'Індыкатар выніку', 'Універсальны перыядычны агляд'],
} as const;
type Lang = keyof typeof LABELS;

beforeAll(async () => {
  server = await startTestServer();
  let sectionId: string;
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  await writeSection(server, planId, sectionId, {
    heading: 'Situation analysis',
    paragraph: 'Belarus retains the death penalty.',
    bullets: ['Introduce a moratorium'],
    numbered: ['Draft the law'],
    table: [
      ['Year', 'Sentences'],
      ['2023', 'four'],
    ],
  });
  await addAction(coordinator, planId, sectionId, { lead: LEAD, partner: 'Праваабарончы цэнтр «Вясна»', recText: 'Establish a moratorium on executions', title: TITLE });
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

/**
 * The export's words are those of `lang`, the plan's own text is untouched. The canonical lines
 * between the content markers are left out: they are what sign-offs hash, the same in every
 * language ("Lead agency: …"), and stay so.
 */
function expectWordsOf(lang: Lang, text: string, format: string) {
  const flat = squash(text.replace(/\[begin (?:un)?signed content [^\]]*\][\s\S]*?\[end (?:un)?signed content [^\]]*\]/g, ''));
  for (const [other, labels] of Object.entries(LABELS)) {
    for (const label of labels) {
      if (other === lang) expect(flat, `${format} ${lang}: ${label}`).toContain(squash(label));
      else expect(flat, `${format} ${lang} has the ${other} "${label}"`).not.toContain(squash(label));
    }
  }
  expect(flat, 'the plan text stays as written').toContain(squash(`${TITLE}`));
  expect(flat).toContain(squash(LEAD));
}

/** The language the past exports list gives an export. */
async function pastLanguage(exportId: string): Promise<string | undefined> {
  const past = await ok(coordinator.get(`/api/plans/${planId}/exports`));
  return past.items.find((e: { id: string; language: string }) => e.id === exportId)?.language;
}

const pdfLang = (bytes: Buffer) => /\/Lang \((\w+)\)/.exec(bytes.toString('latin1'))?.[1];

describe('an export in Russian', () => {
  it('DOCX: Russian labels, w:lang ru-RU, headings in Heading styles and a header row on the indicator table', async () => {
    const { bytes, job } = await exportPlan(server, coordinator, planId, 'docx', 'current', 'ru');
    expect(job.language).toBe('ru');
    const zip = await JSZip.loadAsync(bytes);
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toMatch(/<w:lang w:val="ru-RU"\s*\/>/);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading2"/>');
    expect(xml).toContain('<w:tblHeader/>');
    expectWordsOf('ru', await exportText('docx', bytes), 'docx');
    // A date in words, in Russian: "3 декабря 2026 г., 07:55 UTC".
    expect(await exportText('docx', bytes)).toMatch(/Экспортировано \d{1,2} [а-я]+ \d{4} г\., \d{2}:\d{2} UTC/);
  });

  it('HTML: <html lang="ru"> and Russian labels', async () => {
    const { bytes, job } = await exportPlan(server, coordinator, planId, 'html', 'current', 'ru');
    const html = bytes.toString('utf8');
    expect(html).toContain('<html lang="ru">');
    expectWordsOf('ru', html, 'html');
    expect(await pastLanguage(job.id), 'the past exports list says which language').toBe('ru');
  });

  it('PDF: /Lang (ru), a tagged structure tree with headings and tables, and Russian labels', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'pdf', 'current', 'ru');
    const raw = bytes.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(pdfLang(bytes)).toBe('ru');
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toContain('/Marked true');
    for (const tag of ['Document', 'H1', 'H2', 'H3', 'P', 'L', 'LI', 'Table', 'TR', 'TH', 'TD']) expect(raw, `structure element ${tag}`).toContain(`/S /${tag}\n`);
    expect(raw).toContain('/DisplayDocTitle true');
    expectWordsOf('ru', await exportText('pdf', bytes), 'pdf');
  });

  it('matrix CSV: Russian column headers and values', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-csv', 'current', 'ru');
    const header = bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0]!;
    expect(header).toContain('Ответственные исполнители');
    expect(header).not.toContain('Lead agencies');
    expect(bytes.toString('utf8')).toContain('Запланировано');
  });
});

describe('an export in Belarusian', () => {
  it('HTML and DOCX say be and carry Belarusian labels', async () => {
    const html = await exportPlan(server, coordinator, planId, 'html', 'current', 'be');
    expect(html.bytes.toString('utf8')).toContain('<html lang="be">');
    expectWordsOf('be', html.bytes.toString('utf8'), 'html');
    const docx = await exportPlan(server, coordinator, planId, 'docx', 'current', 'be');
    expect(await (await JSZip.loadAsync(docx.bytes)).file('word/styles.xml')!.async('string')).toMatch(/<w:lang w:val="be-BY"\s*\/>/);
    expectWordsOf('be', await exportText('docx', docx.bytes), 'docx');
  });
});

describe('an export without a language', () => {
  it('is English, as before, and listed as English among the past exports', async () => {
    const { bytes, job } = await exportPlan(server, coordinator, planId, 'html');
    expect(job.language).toBe('en');
    expect(bytes.toString('utf8')).toContain('<html lang="en">');
    expectWordsOf('en', bytes.toString('utf8'), 'html');
    const pdf = await exportPlan(server, coordinator, planId, 'pdf');
    expect(pdfLang(pdf.bytes)).toBe('en');

    expect(await pastLanguage(job.id)).toBe('en');
  });

  it('refuses a language it does not write', async () => {
    const res = await coordinator.post(`/api/plans/${planId}/exports`, { format: 'html', language: 'de' });
    expect(res.status).toBe(400);
  });
});

describe('a progress report in Russian', () => {
  it('DOCX and PDF carry the Russian words and the ru language tag', async () => {
    // A workspace of its own: a monitored plan is set up from a fresh server.
    const own = await startTestServer();
    try {
      await progressInRussian(own);
    } finally {
      await own.destroy();
    }
  });
});

async function progressInRussian(server: TestServer) {
  {
    const m = await monitoredPlan(server);
    await submitReport(m, { status: 'in_progress', values: [{ indicatorId: m.indicatorId, value: 20, date: '2026-03-01', source: 'Judicial academy' }] });
    const get = async (format: string) => {
      const res = await fetch(`${server.url}${m.p}/rounds/${m.roundId}/progress-report?format=${format}&language=ru`, { headers: { cookie: m.observer.client.cookie! } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const docx = await get('docx');
    expect(await (await JSZip.loadAsync(docx)).file('word/styles.xml')!.async('string')).toMatch(/<w:lang w:val="ru-RU"\s*\/>/);
    const pdf = await get('pdf');
    expect(pdfLang(pdf)).toBe('ru');
    expect(pdf.toString('latin1')).toContain('/S /Figure');
    for (const [format, bytes] of [['docx', docx], ['pdf', pdf]] as const) {
      const text = squash(await exportText(format, bytes));
      for (const s of ['Отчёт о ходе выполнения:', 'Статус в этом цикле', 'Выполняется', 'Ответственный исполнитель']) expect(text, `${format}: ${s}`).toContain(squash(s));
      for (const s of ['Progress report:', 'Status this round', 'Lead agency']) expect(text, `${format}: ${s}`).not.toContain(squash(s));
    }
  }
}
