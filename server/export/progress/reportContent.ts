/**
 * The words of a round's progress report, as blocks (reportBlocks.ts). One builder serves both
 * reports: the government's (every action's status, both sides' assessments) and civil society's
 * (the chosen organisations' assessments beside the government's status).
 */
import type { Assessment, IndicatorSeries, ProgressItem, ProgressReport } from '../../../shared/api/monitoring.ts';
import { CHART_HEIGHT, CHART_WIDTH, chartDescription, chartPng, chartSvg } from './chartImage.ts';
import { pauser } from './pause.ts';
import type { ReportBlock } from './reportBlocks.ts';
import { exportWords, type ExportWords } from '../i18n/index.ts';
import { bareActNumber } from '../../../shared/monitoring/actNumber.ts';
import {
  assessmentsOf,
  seriesByAction,
  standingReports,
  type ProgressReportInput,
  type ReportAction,
  type ReportKind,
} from './reportModel.ts';

/** The chart's own words (its legend and the sentence that replaces it). */
const chartWords = (words: ExportWords) => {
  const p = words.w.progress;
  return { baseline: p.baseline, target: p.target, observed: p.observed, none: p.noValues, yes: p.yes, no: p.no };
};
/** Charts are printed at this width in points (about 15.5 cm). */
const PRINT_WIDTH = 440;

const money = (amount: number | null, currency: string | null, words: ExportWords) => (amount === null ? '—' : words.money(amount, currency));

/** Every few charts, the event loop turns (pause.ts). */
const breathe = pauser(5);

async function chartBlock(series: IndicatorSeries, description: string, words: ExportWords): Promise<ReportBlock> {
  await breathe();
  const chart = chartWords(words);
  const alt = chartDescription(series, { ...chart, date: (d) => words.date(d) });
  const png = chartPng(chartSvg(series, { title: description, ...chart, description: alt }));
  return { type: 'chart', png, width: PRINT_WIDTH, height: Math.round((PRINT_WIDTH * CHART_HEIGHT) / CHART_WIDTH), alt, caption: `${description}. ${alt}` };
}

function assessmentBlocks(list: Assessment[], words: ExportWords): ReportBlock[] {
  const p = words.w.progress;
  return list.map((a) => ({
    type: 'para',
    style: 'quote',
    text:
      words.t(p.assessmentLine, { organisation: a.organisation.name, rating: words.w.rating[a.rating], justification: a.justification }) +
      (a.evidenceLinks.length ? ` ${words.t(p.evidence, { list: a.evidenceLinks.join(', ') })}` : ''),
  }));
}

async function actionBlocks(
  action: ReportAction,
  report: ProgressReport | undefined,
  item: ProgressItem | undefined,
  assessments: Assessment[],
  series: IndicatorSeries[],
  indicatorNames: Map<string, string>,
  words: ExportWords,
): Promise<ReportBlock[]> {
  const p = words.w.progress;
  const out: ReportBlock[] = [{ type: 'heading', level: 3, text: action.title }];
  const facts: Array<[string, string]> = [
    [p.leadAgency, action.leadAgency ?? '—'],
    [p.statusThisRound, report ? words.w.progressStatus[report.status] : p.notReported],
  ];
  if (report?.reason) facts.push([p.reason, report.reason]);
  if (report) facts.push([p.spent, money(report.spentAmount, report.currency ?? action.currency, words)]);
  if (action.budgetAmount !== null) facts.push([p.budgetAgreed, money(action.budgetAmount, action.currency, words)]);
  if (report) facts.push([p.reportedBy, `${report.author.organisation}${report.submittedAt ? `, ${words.date(report.submittedAt)}` : ''}`]);
  if (report?.corrects) facts.push([p.note, p.corrects]);
  out.push({ type: 'facts', rows: facts });
  if (report?.narrative) out.push({ type: 'para', text: report.narrative });
  if (report && report.evidence.length > 0) out.push({ type: 'para', style: 'note', text: words.t(p.evidence, { list: report.evidence.map((e) => e.label).join('; ') }) });
  if (item?.disputed) out.push({ type: 'para', style: 'disputed', text: p.actionDisputed });
  if (assessments.length > 0) {
    out.push({ type: 'para', style: 'strong', text: p.assessment });
    out.push(...assessmentBlocks(assessments, words));
  }
  for (const s of series) {
    const name = indicatorNames.get(s.indicatorId) ?? s.description;
    out.push({ type: 'para', style: 'strong', text: words.t(p.indicator, { name }) });
    // A chart with nothing on it helps nobody: say so instead.
    const empty = s.values.length === 0 && s.baseline.value === null && s.target.value === null;
    out.push(empty ? { type: 'para', style: 'note', text: p.noValues } : await chartBlock(s, name, words));
  }
  return out;
}

export async function progressReportBlocks(input: ProgressReportInput, kind: ReportKind, words: ExportWords = exportWords()): Promise<ReportBlock[]> {
  const p = words.w.progress;
  const { plan, lifecycle, round, progress } = input;
  const standing = standingReports(input.reports);
  const actionItems = new Map(progress.actions.map((i) => [i.targetId, i]));
  const recItems = new Map(progress.recommendationItems.map((i) => [i.targetId, i]));
  const actionAssessments = assessmentsOf(progress.actions, kind);
  const recAssessments = assessmentsOf(progress.recommendationItems, kind);
  const series = seriesByAction(progress.indicators);
  const indicatorNames = new Map(input.indicators.map((i) => [i.id, i.description]));
  const organisations = kind.kind === 'civil_society' ? [...new Set(progress.actions.concat(progress.recommendationItems).flatMap((i) => i.assessments.filter((a) => kind.organisationIds.includes(a.organisation.id)).map((a) => a.organisation.name)))] : [];

  const title = words.t(kind.kind === 'government' ? p.governmentTitle : p.civilSocietyTitle, { round: round.name });
  const act = lifecycle.adoption?.act;
  const actName = act ? (bareActNumber(act.number) ? words.t(p.actNumber, { title: act.title, number: bareActNumber(act.number) }) : act.title) : '';
  const counts = progress.recommendations;
  const out: ReportBlock[] = [
    {
      type: 'title',
      text: title,
      subtitle: [
        plan.title,
        `${plan.country}, ${plan.periodStart}–${plan.periodEnd}`,
        act ? words.t(p.adoptedBy, { act: actName, date: words.date(act.date) }) : p.notAdopted,
        words.t(p.due, { date: words.date(round.dueDate), time: words.time(input.exportedAt) }),
        ...(kind.kind === 'civil_society'
          ? [organisations.length > 0 ? words.t(p.assessedBy, { organisations: organisations.join(', ') }) : p.assessedByNobody]
          : []),
      ],
    },
    { type: 'heading', level: 1, text: p.summary },
    {
      type: 'para',
      text: words.t(p.summaryScope, { inPlan: words.plural(p.recommendationCount, counts.inPlan), followed: words.number(counts.total) }),
    },
    {
      type: 'para',
      text: words.t(p.summaryText, {
        recommendations: words.plural(p.recommendationCount, counts.total),
        byGovernment: words.number(counts.implementedByGovernment),
        byCivilSociety: words.number(counts.implementedByCivilSociety),
        disputed: words.number(counts.disputed),
      }),
    },
    {
      type: 'table',
      header: [p.columns.chapter, p.columns.actions, p.columns.done, p.columns.onTrack, p.columns.delayed, p.columns.cancelled, p.columns.notReported],
      rows: progress.byChapter.map((c) => [
        c.title,
        ...[c.actions.total, c.actions.done, c.actions.onTrack, c.actions.delayed, c.actions.cancelled, c.actions.notReported].map((n) => words.number(n)),
      ]),
    },
  ];
  if (progress.overdueActions.length > 0) {
    out.push({ type: 'heading', level: 2, text: p.overdue });
    out.push({ type: 'table', header: [p.overdueAction, p.overdueDue], rows: progress.overdueActions.map((a) => [a.title, words.timePoint(a.end)]) });
  }

  out.push({ type: 'pageBreak' }, { type: 'heading', level: 1, text: p.recommendationsHeading });
  const actionsByRec = new Map<string, ReportAction[]>();
  for (const a of input.actions) for (const r of a.recommendationIds) actionsByRec.set(r, [...(actionsByRec.get(r) ?? []), a]);
  if (input.recommendations.length === 0) out.push({ type: 'para', style: 'note', text: p.noRecommendations });
  const rating = words.w.rating;
  for (const rec of input.recommendations) {
    const item = recItems.get(rec.id);
    // A pledge is the State's own commitment: headed "Recommendation 97.1" it would read as one it received.
    out.push({ type: 'heading', level: 2, text: words.t(rec.kind === 'pledge' ? p.pledge : p.recommendation, { reference: rec.reference }) });
    out.push({ type: 'para', style: 'quote', text: rec.text });
    out.push({
      type: 'facts',
      rows: [
        [p.government, item ? rating[item.governmentRating] : rating.no_information],
        [p.civilSociety, (recAssessments.get(rec.id) ?? []).map((a) => `${a.organisation.name}: ${rating[a.rating]}`).join('; ') || p.noAssessment],
      ],
    });
    if (item?.disputed) out.push({ type: 'para', style: 'disputed', text: p.recommendationDisputed });
    out.push(...assessmentBlocks(recAssessments.get(rec.id) ?? [], words));
    const actions = actionsByRec.get(rec.id) ?? [];
    if (actions.length === 0) out.push({ type: 'para', style: 'note', text: p.noAction });
    for (const a of actions) {
      out.push(...await actionBlocks(a, standing.get(a.id), actionItems.get(a.id), actionAssessments.get(a.id) ?? [], series.get(a.id) ?? [], indicatorNames, words));
    }
  }
  const unlinked = input.actions.filter((a) => a.recommendationIds.length === 0);
  if (unlinked.length > 0) {
    out.push({ type: 'heading', level: 1, text: p.otherActions });
    for (const a of unlinked) {
      out.push(...await actionBlocks(a, standing.get(a.id), actionItems.get(a.id), actionAssessments.get(a.id) ?? [], series.get(a.id) ?? [], indicatorNames, words));
    }
  }
  return out;
}
