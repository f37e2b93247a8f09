/**
 * A point of an action's timeline reads in the plan's documents as the app writes it, in the
 * document's language: "Q4 2027", "4 квартал 2027 г.", "4 квартал 2027 г."; not as it is stored,
 * "2027-Q4". The documents wrote the stored form in the action's facts and in the implementation
 * plan, in every format and language, and the progress report its overdue actions' deadlines.
 *
 * Kept as stored, on purpose: the lines the signatures cover (what is signed is "Timeline:
 * 2027-Q1 – 2027-Q4"), and the machine-readable matrix and tables, which import back and document
 * the form (docs/exports/implementation-matrix.md).
 */
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import { implementationRows } from '../../server/export/implementationPlan.ts';
import { loadPlanRecommendations } from '../../server/export/matrixRecommendations.ts';
import { actionFacts, buildPlanModel, type PlanModel } from '../../server/export/model.ts';
import { progressReportBlocks } from '../../server/export/progress/reportContent.ts';
import type { ProgressReportInput } from '../../server/export/progress/reportModel.ts';
import { renderDocx } from '../../server/export/render/docx.ts';
import { renderHtml } from '../../server/export/render/html.ts';
import { renderMarkdown } from '../../server/export/render/markdown.ts';
import { renderMatrixCsv } from '../../server/export/render/matrix.ts';
import { renderMatrixTablesZip } from '../../server/export/render/matrixTables.ts';
import { renderPdf } from '../../server/export/render/pdf.ts';
import { createActionNow } from '../../server/services/actions.ts';
import { principalOfNow } from '../../server/services/audit.ts';
import { planOutline } from '../../server/services/plans.ts';
import { ActionInputSchema } from '../../shared/api/index.ts';
import { exportText, squash } from '../helpers/exportPlan.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';

type Lang = 'en' | 'ru' | 'be';
/** The timeline 2027-Q1 – 2027-Q4 as each language writes it (client/i18n/locales/*.json, actions.quarter). */
const WRITTEN: Record<Lang, { start: string; end: string }> = {
  en: { start: 'Q1 2027', end: 'Q4 2027' },
  ru: { start: '1 квартал 2027 г.', end: '4 квартал 2027 г.' },
  be: { start: '1 квартал 2027 г.', end: '4 квартал 2027 г.' },
};
const STORED = { start: '2027-Q1', end: '2027-Q4' };
const SIGNED = /\[begin (?:un)?signed content [^\]]*\][\s\S]*?\[end (?:un)?signed content [^\]]*\]/g;

describe('the timeline of an action in the plan\'s documents', () => {
  let db: Db;
  let planId: string;

  beforeEach(async () => {
    let userId: string;
    ({ db, userId, planId } = await memoryPlan());
    const who = { principal: principalOfNow(db, userId)!, role: 'coordinator' as const };
    const section = (await planOutline(sqliteSql(db), planId, userId)).chapters[0]!.sections[0]!;
    createActionNow(db, planId, section.id, who, ActionInputSchema.parse({ title: 'Open the courts to the public', ...STORED }));
    createActionNow(db, planId, section.id, who, ActionInputSchema.parse({ title: 'Publish every judgment', end: '2028-Q2' }));
  });
  afterEach(() => db.close());

  const model = (language: Lang): Promise<PlanModel> => buildPlanModel(sqliteSql(db), planId, { scope: 'current', language });

  it.each(['en', 'ru', 'be'] as const)('the facts and the implementation plan write the points as the app does (%s)', async (language) => {
    const m = await model(language);
    const words = exportWords(language);
    const { start, end } = WRITTEN[language];
    const [first, second] = m.chapters[0]!.sections[0]!.actions;
    expect(actionFacts(first!, m, words)).toContainEqual([words.w.facts.timeline, `${start} – ${end}`]);
    expect(actionFacts(second!, m, words)).toContainEqual([words.w.facts.timeline, `— – ${words.timePoint('2028-Q2')}`]);
    expect(implementationRows(m, words).map((r) => r.deadline)).toEqual([`${start} – ${end}`, words.timePoint('2028-Q2')]);
    expect(words.timePoint('2028-Q2')).toBe(language === 'en' ? 'Q2 2028' : '2 квартал 2028 г.');
  });

  it.each(['en', 'ru', 'be'] as const)('PDF, DOCX, HTML and Markdown print no stored form outside the signed lines (%s)', async (language) => {
    const m = await model(language);
    const { start, end } = WRITTEN[language];
    const files = { pdf: await renderPdf(m), docx: await renderDocx(m), html: Buffer.from(renderHtml(m)), md: Buffer.from(renderMarkdown(m)) };
    for (const [format, bytes] of Object.entries(files) as Array<[keyof typeof files, Buffer]>) {
      const all = await exportText(format, bytes);
      const read = squash(all.replace(SIGNED, ' ').replace(/<[^>]+>/g, ' '));
      // In the action's facts, and in the implementation plan's row (PDF and DOCX have that annex).
      const times = format === 'pdf' || format === 'docx' ? 2 : 1;
      expect(read.split(squash(`${start} – ${end}`)).length - 1, `${format}: "${start} – ${end}"`).toBe(times);
      for (const stored of [STORED.start, STORED.end, '2028-Q2']) expect(read, `${format}: ${stored}`).not.toContain(stored);
      // What is signed stays as signed.
      expect(squash(all), `${format}: the signed lines`).toContain(squash(`Timeline: ${STORED.start} – ${STORED.end}`));
    }
  });

  it('the matrix and its linked tables keep the points as entered: they import back', async () => {
    const m = await model('ru');
    m.planRecommendations = await loadPlanRecommendations(sqliteSql(db), planId, m);
    const columns = exportWords('ru').w.matrix.columns;
    const rows = Papa.parse<Record<string, string>>(renderMatrixCsv(m).replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r[columns.deadlines]).join('\n')).toContain(STORED.end);
    const zip = await JSZip.loadAsync(await renderMatrixTablesZip(m));
    const actions = await zip.file(/actions\.csv$/)[0]!.async('string');
    expect(actions).toContain(STORED.start);
    expect(actions).not.toContain(WRITTEN.ru.end);
  });
});

describe('the progress report\'s overdue actions', () => {
  const round = { id: 'round-0000000001', name: 'First round 2028', dueDate: '2028-06-30', state: 'open' as const, createdAt: '2028-01-10T00:00:00Z' };
  const input: ProgressReportInput = {
    plan: { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 },
    lifecycle: { stage: 'in_implementation', adoption: null, monitoringBody: null, rounds: [round] },
    round,
    progress: {
      round,
      byChapter: [],
      byTheme: [],
      byMechanism: [],
      recommendations: { total: 0, inPlan: 0, implementedByGovernment: 0, implementedByCivilSociety: 0, disputed: 0 },
      actions: [],
      recommendationItems: [],
      indicators: [],
      overdueActions: [{ actionId: 'action-000000001', title: 'Open the courts to the public', end: STORED.end }],
      reportsDue: [],
    },
    reports: [],
    actions: [],
    recommendations: [],
    indicators: [],
    exportedAt: '2028-05-02T10:00:00Z',
  };

  it.each(['en', 'ru', 'be'] as const)('give the deadline as the app writes it (%s)', async (language) => {
    const blocks = await progressReportBlocks(input, { kind: 'government' }, exportWords(language));
    const rows = blocks.flatMap((b) => (b.type === 'table' ? b.rows : [])).filter((r) => r[0] === 'Open the courts to the public');
    expect(rows).toEqual([['Open the courts to the public', WRITTEN[language].end]]);
  });
});
