import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Assessment, PlanProgress, ProgressReport } from '../../shared/api/monitoring.ts';
import { blocksToDocx } from '../../server/export/progress/blocksDocx.ts';
import { blocksToPdf } from '../../server/export/progress/blocksPdf.ts';
import { progressReportBlocks } from '../../server/export/progress/reportContent.ts';
import type { ProgressReportInput } from '../../server/export/progress/reportModel.ts';
import { exportText, squash } from '../helpers/exportPlan.ts';
import { findTool } from '../helpers/tools.ts';

/**
 * The round's progress report, rendered from what the monitoring services return: each action's
 * status, both sides' assessments, and a chart per indicator, in DOCX and PDF alike.
 */

const counts = { total: 1, notReported: 0, onTrack: 1, delayed: 0, done: 0, cancelled: 0 };
const round = { id: 'round-0000000001', name: 'First round 2027', dueDate: '2027-06-30', state: 'open' as const, createdAt: '2027-01-10T00:00:00Z' };
const ngo: Assessment = {
  id: 'assess-00000001',
  roundId: round.id,
  targetType: 'recommendation',
  targetId: 'rec-000000001',
  organisation: { id: 'org-ngo-00001', name: 'Viasna Human Rights Centre', side: 'civil_society' },
  rating: 'not_implemented',
  justification: 'No judge was appointed by open competition in 2027.',
  evidenceLinks: ['https://example.org/monitoring-2027'],
  author: 'Ales',
  updatedAt: '2027-05-01T00:00:00Z',
};
const other: Assessment = { ...ngo, id: 'assess-00000002', organisation: { id: 'org-ngo-00002', name: 'Legal Initiative', side: 'civil_society' }, rating: 'partially_implemented', justification: 'Some steps taken.' };
const report: ProgressReport = {
  id: 'report-0000001',
  actionId: 'action-000001',
  roundId: round.id,
  state: 'submitted',
  status: 'in_progress',
  reason: '',
  narrative: 'The draft law on the judiciary was sent to parliament.',
  spentAmount: 12000,
  currency: 'BYN',
  values: [{ id: 'value-0000001', reportId: 'report-0000001', roundId: round.id, indicatorId: 'indic-000001', value: 14, date: '2027-03-01', source: 'Ministry of Justice', disaggregated: [] }],
  evidence: [{ id: 'evid-00000001', kind: 'file', url: '/api/x', label: 'draft-law.pdf', mimeType: 'application/pdf', size: 1000 }],
  corrects: null,
  correctedBy: null,
  author: { name: 'Drafter', organisation: 'Ministry of Justice' },
  createdAt: '2027-03-01T00:00:00Z',
  submittedAt: '2027-03-02T00:00:00Z',
};
const progress: PlanProgress = {
  round,
  byChapter: [{ id: 'chapter-00001', title: 'Justice', actions: counts }],
  byTheme: [],
  byMechanism: [],
  recommendations: { total: 1, inPlan: 240, implementedByGovernment: 0, implementedByCivilSociety: 0, disputed: 1 },
  actions: [{ targetType: 'action', targetId: 'action-000001', title: 'Open competition for judges', reportedStatus: 'in_progress', governmentRating: 'partially_implemented', assessments: [], disputed: false }],
  recommendationItems: [{ targetType: 'recommendation', targetId: 'rec-000000001', title: '97.1', reportedStatus: null, governmentRating: 'partially_implemented', assessments: [ngo, other], disputed: true }],
  indicators: [{ indicatorId: 'indic-000001', actionId: 'action-000001', description: 'Judges appointed by open competition', unit: '%', measure: 'number', baseline: { value: 10, year: 2025 }, target: { value: 40, year: 2030 }, values: [{ roundId: round.id, date: '2027-03-01', value: 14 }] }],
  overdueActions: [],
  reportsDue: [],
};
const input: ProgressReportInput = {
  plan: { title: 'National Human Rights Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 },
  lifecycle: { stage: 'in_implementation', adoption: { act: { title: 'Council of Ministers Resolution', number: '123', date: '2026-12-01', url: null }, adoptedAt: '2026-12-01T00:00:00Z', adoptedBy: 'Coordinator', versionGroupId: 'group-00000001', contentHash: 'a'.repeat(64), leftOut: [] }, monitoringBody: null, rounds: [round] },
  round,
  progress,
  reports: [report],
  actions: [{ id: 'action-000001', title: 'Open competition for judges', leadAgency: 'Ministry of Justice', end: '2028', currency: 'BYN', budgetAmount: 50000, recommendationIds: ['rec-000000001'] }],
  recommendations: [{ id: 'rec-000000001', reference: '97.1', text: 'Ensure the independence of the judiciary.' }],
  indicators: [{ id: 'indic-000001', actionId: 'action-000001', description: 'Judges appointed by open competition' }],
  exportedAt: '2027-05-02T10:00:00Z',
};

const expectContent = (text: string) => {
  const t = squash(text);
  for (const s of ['Progress report: First round 2027', 'Recommendation 97.1', 'Status this round', 'In progress', 'Viasna Human Rights Centre: Not implemented', 'Legal Initiative: Partially implemented', 'Disputed', 'The draft law on the judiciary was sent to parliament.', 'Baseline 10 % (2025); Observed 14 % (1 March 2027); Target 40 % (2030).',
    // The summary says what its counts are out of: the plan's other recommendations are not silently left out.
    'The plan holds 240 recommendations. Followed in this round (answered by an action or assessed by civil society): 1.']) {
    expect(t, s).toContain(squash(s));
  }
};

describe('round progress report', () => {
  it('DOCX holds every action status, both sides assessments and a chart image per indicator', async () => {
    const docx = await blocksToDocx(await progressReportBlocks(input, { kind: 'government' }), 'Progress report');
    expectContent(await exportText('docx', docx));
    const zip = await JSZip.loadAsync(docx);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    const png = await zip.file(media[0]!)!.async('nodebuffer');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(await zip.file('word/document.xml')!.async('string')).toContain('descr="Baseline 10 % (2025)');
  });

  it('PDF says the same and embeds the chart; a page is rendered to PNG for review', async () => {
    const pdf = await blocksToPdf(await progressReportBlocks(input, { kind: 'government' }), 'Progress report');
    expectContent(await exportText('pdf', pdf));
    expect(pdf.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    const pdftoppm = findTool('pdftoppm');
    expect(pdftoppm, 'pdftoppm, from the Debian package poppler-utils ("apt-get install -y poppler-utils", or .ci/run)').not.toBeNull();
    const dir = join(import.meta.dirname, '..', '..', 'test-output', 'progress-report');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.pdf'), pdf);
    execFileSync(pdftoppm!, ['-png', '-r', '70', '-f', '2', '-l', '2', '-singlefile', join(dir, 'report.pdf'), join(dir, 'page-2')]);
  });

  it("civil society's report carries only the chosen organisation's assessments", async () => {
    const text = squash(await exportText('docx', await blocksToDocx(await progressReportBlocks(input, { kind: 'civil_society', organisationIds: ['org-ngo-00001'] }), 'Assessment')));
    expect(text).toContain(squash('Civil society assessment: First round 2027'));
    expect(text).toContain(squash('Assessed by Viasna Human Rights Centre'));
    expect(text).toContain(squash('Viasna Human Rights Centre: Not implemented'));
    expect(text).not.toContain(squash('Legal Initiative'));
  });
});
