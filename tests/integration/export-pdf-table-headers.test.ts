/**
 * A PDF table's header words are never cut: pdfkit cuts a word too wide for its column without a
 * hyphen, and a narrow column read "Indica / tors", "Периодич / ность". A column is given the width
 * of its longest header word; a cell holding a web address (wider than any column may be) no longer
 * takes that width from the header. Checked on the words poppler reads back (`pdftotext
 * -bbox-layout`) in a table written in a section, the action's indicator table and the
 * implementation plan annex, in every export language. Page images go to test-output/pdf-table-headers/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelAction } from '../../server/export/model.ts';
import { indicatorTable } from '../../server/export/model.ts';
import { implementationHeader } from '../../server/export/implementationPlan.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import { renderPdf } from '../../server/export/render/pdf.ts';
import { oneSectionModel, readPdfLayout, renderPages } from '../helpers/pdfLayout.ts';

const OUT = join(process.cwd(), 'test-output', 'pdf-table-headers');

const indicator = (n: number) => ({
  type: 'outcome',
  description: `Share of complaints examined within statutory deadlines ${n}`,
  unit: 'percentage',
  baseline: '40 (2025)',
  target: '90 (2030)',
  // A web address: wider than any column may be, so the columns cannot all fit every word.
  dataSource: 'https://www.belstat.gov.by/ofitsialnaya-statistika/realny-sector-ekonomiki/',
  frequency: 'Annually',
  disaggregation: ['sex', 'region', 'nationality'],
  proposedBy: 'Belarusian Helsinki Committee',
});

const action: ModelAction = {
  id: 'a',
  number: 1,
  gaps: [],
  title: 'Independent monitoring of places of detention',
  description: 'Monitoring visits by civil society.',
  status: 'planned',
  leadAgency: 'Ministry of Internal Affairs',
  coImplementers: [],
  csoPartners: [],
  start: '2026',
  end: '2027-Q4',
  budgetAmount: null,
  currency: null,
  fundingSource: null,
  budget: null,
  recommendations: [],
  indicators: [indicator(1), indicator(2)],
};

/**
 * A table a drafter wrote in a section: nine columns, too many for their header words at the text's
 * 9 pt (it is set smaller), and one cell holding a web address.
 */
const SECTION_TABLE = [
  ['Region', 'Indicators', 'Baseline', 'Target', 'Source', 'Frequency', 'Disaggregation', 'Responsibility', 'Verification'],
  ['Minsk', 'Complaints examined on time', '40%', '90%', 'https://www.belstat.gov.by/ofitsialnaya-statistika/realny-sector-ekonomiki/', 'Annually', 'sex, age', 'Ministry of Justice', 'Audit'],
];
const cell = (text: string) => [{ text }];

describe('PDF table headers', () => {
  for (const language of ['en', 'ru', 'be'] as const) {
    it(`keep every header word whole in ${language}`, async () => {
      const model = oneSectionModel('headers', 'NHRP-HEADERS0-D-20261203', [
        { type: 'paragraph', inlines: [{ text: 'Monitoring.' }] },
        { type: 'table', rows: SECTION_TABLE.map((cells, r) => ({ header: r === 0, cells: cells.map(cell) })) },
      ]);
      model.language = language;
      model.chapters[0]!.sections[0]!.actions = [action];
      const pdf = await renderPdf(model);
      const pages = readPdfLayout(pdf);
      const read = new Set(pages.flatMap((p) => p.words.map((w) => w.text)));
      const words = exportWords(language);
      const headers = [...SECTION_TABLE[0]!, ...indicatorTable(action, words).header, ...implementationHeader(words)];
      const cut = headers.flatMap((h) => h.split(/\s+/)).filter((word) => !read.has(word));
      renderPages(pdf, OUT, language, pages.map((p) => p.number));
      expect(cut, `header words not read whole (see ${OUT})`).toEqual([]);
    });
  }
});
