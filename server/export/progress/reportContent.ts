/**
 * The words of a round's progress report, as blocks (reportBlocks.ts). One builder serves both
 * reports: the government's (every action's status, both sides' assessments) and civil society's
 * (the chosen organisations' assessments beside the government's status).
 */
import type { Assessment, IndicatorSeries, ProgressItem, ProgressReport } from '../../../shared/api/monitoring.ts';
import { CHART_HEIGHT, CHART_WIDTH, chartDescription, chartPng, chartSvg } from './chartImage.ts';
import { pauser } from './pause.ts';
import type { ReportBlock } from './reportBlocks.ts';
import { displayTime } from '../displayTime.ts';
import {
  RATING_LABEL,
  STATUS_LABEL,
  assessmentsOf,
  seriesByAction,
  standingReports,
  type ProgressReportInput,
  type ReportAction,
  type ReportKind,
} from './reportModel.ts';

const CHART_WORDS = { baseline: 'Baseline', target: 'Target', observed: 'Observed', none: 'No baseline, value or target recorded yet.' };
/** Charts are printed at this width in points (about 15.5 cm). */
const PRINT_WIDTH = 440;

const money = (amount: number | null, currency: string | null) =>
  amount === null ? '—' : `${amount.toLocaleString('en-GB', { maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;

/** Every few charts, the event loop turns (pause.ts). */
const breathe = pauser(5);

async function chartBlock(series: IndicatorSeries, description: string): Promise<ReportBlock> {
  await breathe();
  const alt = chartDescription(series, CHART_WORDS);
  const png = chartPng(chartSvg(series, { title: description, ...CHART_WORDS, description: alt }));
  return { type: 'chart', png, width: PRINT_WIDTH, height: Math.round((PRINT_WIDTH * CHART_HEIGHT) / CHART_WIDTH), alt, caption: `${description}. ${alt}` };
}

function assessmentBlocks(list: Assessment[]): ReportBlock[] {
  return list.map((a) => ({
    type: 'para',
    style: 'quote',
    text: `${a.organisation.name}: ${RATING_LABEL[a.rating]}. ${a.justification}${a.evidenceLinks.length ? ` Evidence: ${a.evidenceLinks.join(', ')}` : ''}`,
  }));
}

async function actionBlocks(
  action: ReportAction,
  report: ProgressReport | undefined,
  item: ProgressItem | undefined,
  assessments: Assessment[],
  series: IndicatorSeries[],
  indicatorNames: Map<string, string>,
): Promise<ReportBlock[]> {
  const out: ReportBlock[] = [{ type: 'heading', level: 3, text: action.title }];
  const facts: Array<[string, string]> = [
    ['Lead agency', action.leadAgency ?? '—'],
    ['Status this round', report ? STATUS_LABEL[report.status] : 'Not reported'],
  ];
  if (report?.reason) facts.push(['Reason', report.reason]);
  if (report) facts.push(['Spent', money(report.spentAmount, report.currency ?? action.currency)]);
  if (action.budgetAmount !== null) facts.push(['Budget agreed', money(action.budgetAmount, action.currency)]);
  if (report) facts.push(['Reported by', `${report.author.organisation}${report.submittedAt ? `, ${report.submittedAt.slice(0, 10)}` : ''}`]);
  if (report?.corrects) facts.push(['Note', 'This report corrects an earlier one.']);
  out.push({ type: 'facts', rows: facts });
  if (report?.narrative) out.push({ type: 'para', text: report.narrative });
  if (report && report.evidence.length > 0) out.push({ type: 'para', style: 'note', text: `Evidence: ${report.evidence.map((e) => e.label).join('; ')}` });
  if (item?.disputed) out.push({ type: 'para', style: 'disputed', text: 'Disputed: civil society assesses this action differently.' });
  if (assessments.length > 0) {
    out.push({ type: 'para', style: 'strong', text: 'Civil society assessment' });
    out.push(...assessmentBlocks(assessments));
  }
  for (const s of series) {
    const name = indicatorNames.get(s.indicatorId) ?? s.description;
    out.push({ type: 'para', style: 'strong', text: `Indicator: ${name}` });
    // A chart with nothing on it helps nobody: say so instead.
    const empty = s.values.length === 0 && s.baseline.value === null && s.target.value === null;
    out.push(empty ? { type: 'para', style: 'note', text: CHART_WORDS.none } : await chartBlock(s, name));
  }
  return out;
}

export async function progressReportBlocks(input: ProgressReportInput, kind: ReportKind): Promise<ReportBlock[]> {
  const { plan, lifecycle, round, progress } = input;
  const standing = standingReports(input.reports);
  const actionItems = new Map(progress.actions.map((i) => [i.targetId, i]));
  const recItems = new Map(progress.recommendationItems.map((i) => [i.targetId, i]));
  const actionAssessments = assessmentsOf(progress.actions, kind);
  const recAssessments = assessmentsOf(progress.recommendationItems, kind);
  const series = seriesByAction(progress.indicators);
  const indicatorNames = new Map(input.indicators.map((i) => [i.id, i.description]));
  const organisations = kind.kind === 'civil_society' ? [...new Set(progress.actions.concat(progress.recommendationItems).flatMap((i) => i.assessments.filter((a) => kind.organisationIds.includes(a.organisation.id)).map((a) => a.organisation.name)))] : [];

  const title = kind.kind === 'government' ? `Progress report: ${round.name}` : `Civil society assessment: ${round.name}`;
  const act = lifecycle.adoption?.act;
  const out: ReportBlock[] = [
    {
      type: 'title',
      text: title,
      subtitle: [
        plan.title,
        `${plan.country}, ${plan.periodStart}–${plan.periodEnd}`,
        act ? `Adopted by ${act.title}${act.number ? ` No. ${act.number.replace(/^(no\.?|№)\s*/i, '')}` : ''} of ${act.date}` : 'Not adopted',
        `Reports due ${round.dueDate}; exported ${displayTime(input.exportedAt)}`,
        ...(kind.kind === 'civil_society' ? [`Assessed by ${organisations.length > 0 ? organisations.join(', ') : 'the chosen organisations (no assessment recorded yet)'}`] : []),
      ],
    },
    { type: 'heading', level: 1, text: 'Summary' },
    {
      type: 'para',
      text:
        `${progress.recommendations.total} ${progress.recommendations.total === 1 ? 'recommendation' : 'recommendations'}: ${progress.recommendations.implementedByGovernment} implemented according to the government's reports, ` +
        `${progress.recommendations.implementedByCivilSociety} according to civil society; ${progress.recommendations.disputed} disputed.`,
    },
    {
      type: 'table',
      header: ['Chapter', 'Actions', 'Done', 'On track', 'Delayed', 'Cancelled', 'Not reported'],
      rows: progress.byChapter.map((c) => [c.title, c.actions.total, c.actions.done, c.actions.onTrack, c.actions.delayed, c.actions.cancelled, c.actions.notReported].map(String)),
    },
  ];
  if (progress.overdueActions.length > 0) {
    out.push({ type: 'heading', level: 2, text: 'Overdue actions' });
    out.push({ type: 'table', header: ['Action', 'Due'], rows: progress.overdueActions.map((a) => [a.title, a.end]) });
  }

  out.push({ type: 'pageBreak' }, { type: 'heading', level: 1, text: 'Recommendations and the actions taken' });
  const actionsByRec = new Map<string, ReportAction[]>();
  for (const a of input.actions) for (const r of a.recommendationIds) actionsByRec.set(r, [...(actionsByRec.get(r) ?? []), a]);
  if (input.recommendations.length === 0) out.push({ type: 'para', style: 'note', text: 'The plan links no recommendations to its actions.' });
  for (const rec of input.recommendations) {
    const item = recItems.get(rec.id);
    out.push({ type: 'heading', level: 2, text: `Recommendation ${rec.reference}` });
    out.push({ type: 'para', style: 'quote', text: rec.text });
    out.push({
      type: 'facts',
      rows: [
        ['Government', item ? RATING_LABEL[item.governmentRating] : RATING_LABEL.no_information],
        ['Civil society', (recAssessments.get(rec.id) ?? []).map((a) => `${a.organisation.name}: ${RATING_LABEL[a.rating]}`).join('; ') || 'No assessment'],
      ],
    });
    if (item?.disputed) out.push({ type: 'para', style: 'disputed', text: 'Disputed: civil society assesses this recommendation differently from the government.' });
    out.push(...assessmentBlocks(recAssessments.get(rec.id) ?? []));
    const actions = actionsByRec.get(rec.id) ?? [];
    if (actions.length === 0) out.push({ type: 'para', style: 'note', text: 'No action of the plan implements this recommendation.' });
    for (const a of actions) {
      out.push(...await actionBlocks(a, standing.get(a.id), actionItems.get(a.id), actionAssessments.get(a.id) ?? [], series.get(a.id) ?? [], indicatorNames));
    }
  }
  const unlinked = input.actions.filter((a) => a.recommendationIds.length === 0);
  if (unlinked.length > 0) {
    out.push({ type: 'heading', level: 1, text: 'Other actions of the plan' });
    for (const a of unlinked) {
      out.push(...await actionBlocks(a, standing.get(a.id), actionItems.get(a.id), actionAssessments.get(a.id) ?? [], series.get(a.id) ?? [], indicatorNames));
    }
  }
  return out;
}
