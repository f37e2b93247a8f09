import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import { loadPlanRecommendations } from '../../server/export/matrixRecommendations.ts';
import { buildPlanModel, recommendationPosition, type PlanModel } from '../../server/export/model.ts';
import { renderDocx } from '../../server/export/render/docx.ts';
import { renderHtml } from '../../server/export/render/html.ts';
import { renderMarkdown } from '../../server/export/render/markdown.ts';
import { renderMatrixCsv } from '../../server/export/render/matrix.ts';
import { renderMatrixTablesZip } from '../../server/export/render/matrixTables.ts';
import { renderPdf } from '../../server/export/render/pdf.ts';
import { progressReportBlocks } from '../../server/export/progress/reportContent.ts';
import type { ProgressReportInput } from '../../server/export/progress/reportModel.ts';
import { matrixLines } from '../../server/import/matrixRows.ts';
import { readMatrixFile } from '../../server/import/matrixWorkbook.ts';
import { isVoluntaryPledge } from '../../server/import/normalise.ts';
import { unescapeFormula } from '../../server/import/accordFormat.ts';
import { createActionNow } from '../../server/services/actions.ts';
import { principalOfNow } from '../../server/services/audit.ts';
import { planOutline } from '../../server/services/plans.ts';
import { createRecommendation } from '../../server/services/recommendations.ts';
import { ActionInputSchema } from '../../shared/api/index.ts';
import { exportText, squash } from '../helpers/exportPlan.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';

// A voluntary pledge is the State's own commitment (migration 035). The exports printed only its
// position, "Supported", so a tabled annex or matrix showed it as a recommendation the State had
// accepted. Every format now says "Voluntary pledge" where the position goes, in its language.

describe('what an export prints where a recommendation\'s position goes', () => {
  it('a pledge as a voluntary pledge, with its position only when it is not "supported"; a recommendation its position', () => {
    const en = exportWords('en');
    const ru = exportWords('ru');
    const be = exportWords('be');
    expect(recommendationPosition({ position: 'supported', kind: 'pledge' }, en)).toBe('Voluntary pledge');
    expect(recommendationPosition({ position: 'supported', kind: 'pledge' }, ru)).toBe('Добровольное обязательство');
    expect(recommendationPosition({ position: 'supported', kind: 'pledge' }, be)).toBe('Добраахвотнае абавязацельства');
    expect(recommendationPosition({ position: 'pending', kind: 'pledge' }, en)).toBe('Voluntary pledge (Pending)');
    expect(recommendationPosition({ position: 'supported', kind: 'recommendation' }, en)).toBe('Supported');
    expect(recommendationPosition({ position: 'supported', kind: 'recommendation' }, ru)).toBe('Поддержана');
    // A model built by hand, or a recommendation deleted since a version was saved: no kind, a recommendation.
    expect(recommendationPosition({ position: 'noted' }, en)).toBe('Noted');
  });

  it('in words Accord\'s own imports read back as a pledge', () => {
    for (const language of ['en', 'ru', 'be'] as const) expect(isVoluntaryPledge(exportWords(language).w.pledge.label), language).toBe(true);
  });
});

describe('exports of a plan with a pledge and a recommendation, both supported', () => {
  let db: Db;
  let planId: string;
  let pledgeRef: string;
  let recommendationRef: string;

  beforeEach(async () => {
    let userId: string;
    ({ db, userId, planId } = await memoryPlan());
    const who = { principal: principalOfNow(db, userId)!, role: 'coordinator' as const };
    const pledge = await createRecommendation(sqliteSql(db), planId, sampleRecommendation(1, { kind: 'pledge', position: 'supported', recommendingStates: [] }), who);
    const recommendation = await createRecommendation(sqliteSql(db), planId, sampleRecommendation(2, { position: 'supported' }), who);
    pledgeRef = pledge.reference;
    recommendationRef = recommendation.reference;
    const section = (await planOutline(sqliteSql(db), planId, userId)).chapters[0]!.sections[0]!;
    createActionNow(db, planId, section.id, who, ActionInputSchema.parse({ title: 'Submit the overdue reports', recommendationIds: [pledge.id, recommendation.id] }));
  });
  afterEach(() => db.close());

  const model = async (language: 'en' | 'ru' | 'be'): Promise<PlanModel> => {
    const m = await buildPlanModel(sqliteSql(db), planId, { scope: 'current', language });
    m.planRecommendations = await loadPlanRecommendations(sqliteSql(db), planId, m);
    return m;
  };

  it('the model carries each one\'s kind, in Annex A and in the matrix\'s list', async () => {
    const m = await model('en');
    expect(m.recommendations.map((r) => [r.reference, r.kind])).toEqual([
      [pledgeRef, 'pledge'],
      [recommendationRef, 'recommendation'],
    ]);
    expect(m.planRecommendations!.map((r) => [r.reference, r.kind])).toEqual([
      [pledgeRef, 'pledge'],
      [recommendationRef, 'recommendation'],
    ]);
  });

  /**
   * Annex A's entry for a recommendation as a reader sees it, whitespace squashed (PDF wraps lines):
   * from "<reference> —" (an action's facts list references with ";") to the recommendation's text.
   */
  const annexEntry = (text: string, reference: string, recText: string) => {
    const all = squash(text);
    const start = all.lastIndexOf(`${squash(reference)}—`);
    expect(start, `Annex A has an entry for ${reference}`).toBeGreaterThanOrEqual(0);
    const end = all.indexOf(squash(recText), start);
    expect(end).toBeGreaterThan(start);
    return all.slice(start, end);
  };

  it.each([
    ['en', 'Voluntary pledge', 'Supported'],
    ['ru', 'Добровольное обязательство', 'Поддержана'],
    ['be', 'Добраахвотнае абавязацельства', 'Падтрымана'],
  ] as const)('Annex A in HTML, Markdown, DOCX and PDF (%s)', async (language, pledge, supported) => {
    const m = await model(language);
    const files = {
      html: Buffer.from(renderHtml(m)),
      md: Buffer.from(renderMarkdown(m)),
      docx: await renderDocx(m),
      pdf: await renderPdf(m),
    };
    for (const [format, bytes] of Object.entries(files) as Array<[keyof typeof files, Buffer]>) {
      // HTML puts the reference in its own span, Markdown in bold: read them as text.
      const text = (await exportText(format, bytes)).replace(/<[^>]+>|\*\*/g, '');
      const p = annexEntry(text, pledgeRef, sampleRecommendation(1).text);
      expect(p, `${format}: the pledge`).toContain(`—${squash(pledge)}`);
      expect(p, `${format}: the pledge`).not.toContain(`—${squash(supported)}`);
      const r = annexEntry(text, recommendationRef, sampleRecommendation(2).text);
      expect(r, `${format}: the recommendation`).toContain(`—${squash(supported)}`);
      expect(r, `${format}: the recommendation`).not.toContain(squash(pledge));
    }
  });

  it.each([
    ['en', 'Voluntary pledge', 'Supported'],
    ['ru', 'Добровольное обязательство', 'Поддержана'],
  ] as const)('the matrix by recommendation and its Recommendations table (%s)', async (language, pledge, supported) => {
    const m = await model(language);
    const words = exportWords(language).w.matrix.columns;
    const byPosition = (csv: string) => {
      const rows = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
      return Object.fromEntries(rows.map((r) => [unescapeFormula(r[words.reference]!), r[words.position]]));
    };
    const expected = { [pledgeRef]: pledge, [recommendationRef]: supported };
    expect(byPosition(renderMatrixCsv(m))).toEqual(expected);
    const zip = await JSZip.loadAsync(await renderMatrixTablesZip(m));
    expect(byPosition(await zip.file(/recommendations\.csv$/)[0]!.async('string'))).toEqual(expected);
  });

  it('the linked tables still import back: the pledge\'s link is read like any other, nothing is refused', async () => {
    const m = await model('ru');
    const file = await readMatrixFile(await renderMatrixTablesZip(m));
    const lines = matrixLines(file);
    expect(lines.errors).toEqual([]);
    expect(lines.links!.map((l) => l.reference).sort()).toEqual([pledgeRef, recommendationRef].sort());
  });
});

describe('the round\'s progress report', () => {
  // Only what the recommendations' part reads: one pledge and one recommendation, nothing reported.
  const round = { id: 'round-0000000001', name: 'First round 2027', dueDate: '2027-06-30', state: 'open' as const, createdAt: '2027-01-10T00:00:00Z' };
  const item = (targetId: string, title: string) => ({
    targetType: 'recommendation' as const,
    targetId,
    title,
    reportedStatus: null,
    governmentRating: 'no_information' as const,
    assessments: [],
    disputed: false,
  });
  const input: ProgressReportInput = {
    plan: { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 },
    lifecycle: { stage: 'in_implementation', adoption: null, monitoringBody: null, rounds: [round] },
    round,
    progress: {
      round,
      byChapter: [],
      byTheme: [],
      byMechanism: [],
      recommendations: { total: 2, inPlan: 2, implementedByGovernment: 0, implementedByCivilSociety: 0, disputed: 0 },
      actions: [],
      recommendationItems: [item('rec-pledge-0001', '99.1'), item('rec-00000000001', '97.1')],
      indicators: [],
      overdueActions: [],
      reportsDue: [],
    },
    reports: [],
    actions: [],
    recommendations: [
      { id: 'rec-00000000001', reference: '97.1', kind: 'recommendation', text: 'Ensure the independence of the judiciary.' },
      { id: 'rec-pledge-0001', reference: '99.1', kind: 'pledge', text: 'Submit the overdue reports to the treaty bodies.' },
    ],
    indicators: [],
    exportedAt: '2027-05-02T10:00:00Z',
  };

  it.each([
    ['en', 'Voluntary pledge 99.1', 'Recommendation 97.1'],
    ['ru', 'Добровольное обязательство 99.1', 'Рекомендация 97.1'],
  ] as const)('heads a pledge as a voluntary pledge, a recommendation as a recommendation (%s)', async (language, pledge, recommendation) => {
    const blocks = await progressReportBlocks(input, { kind: 'government' }, exportWords(language));
    const headings = blocks.flatMap((b) => (b.type === 'heading' && b.level === 2 ? [b.text] : []));
    expect(headings).toContain(pledge);
    expect(headings).toContain(recommendation);
    expect(headings.filter((h) => h.endsWith('99.1'))).toEqual([pledge]);
  });
});
