/**
 * What a publication freezes: everything the public pages and the open data show, gathered once
 * when a coordinator publishes, through the same model the exports are made from
 * (server/export/model.ts) and the same monitoring services the progress page uses, so the public
 * record never says something the plan's own documents do not.
 *
 * It holds organisations, never people: no signer's, reporter's or assessor's name or e-mail is
 * copied into it, so nothing the public routes serve can leak them (issue #16).
 */
import { indicatorMeasure, yesNoAnswer } from '../../../shared/indicators/yesNo.ts';
import type { IndicatorSeries } from '../../../shared/api/monitoring.ts';
import { sql } from 'kysely';
import type { Sql } from '../../db/sql/Sql.ts';
import { flag, jsonArrayTexts } from '../../db/sql/portable.ts';
import { col, rowShape } from '../../db/rows.ts';
import { type Block, buildPlanModel, type ModelAction } from '../../export/model.ts';
import { getLifecycle } from '../monitoring/planLifecycle.ts';
import { listEvidence } from '../monitoring/evidence.ts';
import { latestReportsInRound, planProgress } from '../monitoring/progress.ts';
import { numericValue } from '../../../shared/indicators/numericValue.ts';
import { ProgressStatusSchema, SideSchema, type AssessmentRating, type ProgressStatus, type PublicationKind, type Side } from '../../../shared/api/index.ts';
import { visibleRecommendation } from '../recommendations.ts';

export type { Block };

/** Bumped when the snapshot's shape changes, so old publications can still be read. */
export const SNAPSHOT_VERSION = 1;

export interface PublicIndicator {
  id: string;
  type: string;
  description: string;
  unit: string | null;
  baseline: string | null;
  target: string | null;
  dataSource: string | null;
  frequency: string | null;
  /** As numbers, for the chart (null when the text is not a number). */
  baselinePoint: { value: number | null; year: number | null };
  targetPoint: { value: number | null; year: number | null };
  /** Submitted, uncorrected observed values of every round, in date order. */
  values: Array<{ roundId: string; date: string; value: number }>;
}

export interface PublicAction {
  id: string;
  title: string;
  description: string;
  leadAgency: string | null;
  coImplementers: string[];
  csoPartners: string[];
  start: string | null;
  end: string | null;
  budget: string | null;
  budgetAmount: number | null;
  currency: string | null;
  fundingSource: string | null;
  recommendationIds: string[];
  indicators: PublicIndicator[];
  /** The status its latest report in the latest round gives; null before any report. */
  reportedStatus: ProgressStatus | null;
}

export interface PublicStatement {
  organisation: string;
  side: Side;
  /** False when no coordinator has verified the organisation: its signature does not count. */
  verified: boolean;
  text: string;
  at: string;
  /** A dissenting position on one action of the section. */
  actionId?: string | null;
  actionTitle?: string | null;
}

export interface PublicSection {
  id: string;
  /** "2.3": chapter and section number in the published outline. */
  number: string;
  title: string;
  status: string;
  /** False when the text is not part of this publication (not agreed, left out at adoption). */
  included: boolean;
  agreedAt: string | null;
  agreedHash: string | null;
  blocks: Block[];
  signers: Array<{ organisation: string; side: Side; verified: boolean; signedAt: string }>;
  reservations: PublicStatement[];
  dissent: PublicStatement[];
  actions: PublicAction[];
}

export interface PublicChapter {
  id: string;
  number: number;
  title: string;
  sections: PublicSection[];
}

export interface PublicRecommendation {
  id: string;
  reference: string;
  mechanism: string;
  documentSymbol: string | null;
  paragraph: string | null;
  recommendingStates: string[];
  position: string;
  /** A voluntary pledge is the State's own commitment. Publications made before pledges were told apart have no kind: each is a recommendation. */
  kind?: 'recommendation' | 'pledge';
  themes: string[];
  text: string;
}

export interface PublicReport {
  actionId: string;
  status: ProgressStatus;
  narrative: string;
  spentAmount: number | null;
  currency: string | null;
  submittedAt: string;
  organisation: string;
  /** Web links given as evidence; uploaded files stay with the plan's members. */
  links: Array<{ url: string; label: string }>;
  /**
   * The submitted reports this one corrects, earliest first, as they were submitted: a figure
   * changed after submission stays visible beside the one that replaced it. Absent in
   * publications made before corrections were published, and when nothing was corrected.
   */
  corrects?: PublicReportVersion[];
}

export interface PublicReportVersion {
  status: ProgressStatus;
  narrative: string;
  spentAmount: number | null;
  currency: string | null;
  submittedAt: string;
}

export interface PublicAssessment {
  targetType: 'action' | 'recommendation';
  targetId: string;
  organisation: string;
  side: Side;
  rating: AssessmentRating;
  justification: string;
  evidenceLinks: string[];
  updatedAt: string;
}

export interface PublicRound {
  id: string;
  name: string;
  dueDate: string;
  state: 'open' | 'closed';
  reports: PublicReport[];
  assessments: PublicAssessment[];
  /** The government's rating of each recommendation the plan answers, from its reports. */
  governmentRatings: Array<{ recommendationId: string; rating: AssessmentRating }>;
}

export interface PublicSnapshot {
  version: typeof SNAPSHOT_VERSION;
  kind: PublicationKind;
  publishedAt: string;
  plan: { id: string; title: string; country: string; periodStart: number; periodEnd: number; source: string | null; stage: string };
  adoption: { actTitle: string; actNumber: string; actDate: string; actUrl: string | null; contentHash: string; leftOut: Array<{ sectionId: string; title: string; reason: string }> } | null;
  monitoringBody: string | null;
  chapters: PublicChapter[];
  /** Every recommendation the plan holds, in reference order, whether or not an action answers it. */
  recommendations: PublicRecommendation[];
  /** Reporting rounds, oldest first; empty before monitoring begins. */
  rounds: PublicRound[];
}

/**
 * A baseline or target as the chart reads it: the model prints "12 (2025)" (withYear), and the
 * number is read as the progress page reads it (numericValue: "1 200", "35%", words → null).
 */
const toPoint = (text: string | null): { value: number | null; year: number | null } => {
  const { value, year } = splitPoint(text);
  return { value: value === null ? null : numericValue(value), year };
};

/** "12 (2025)" → "12" and 2025. */
function splitPoint(text: string | null): { value: string | null; year: number | null } {
  const m = text ? /^(.*?)(?: \((\d{4})\))?$/.exec(text.trim()) : null;
  return { value: m ? m[1]! : null, year: m?.[2] ? Number(m[2]) : null };
}

/**
 * A yes/no indicator's baseline or target ("No (2025)") in the reader's words ("Нет (2025)"); any
 * other indicator's as it was written.
 */
export function pointText(i: PublicIndicator, which: 'baseline' | 'target', words: { yes: string; no: string }): string | null {
  const text = i[which];
  if (publicSeries(i).measure !== 'yes_no') return text;
  const { value, year } = splitPoint(text);
  const answer = yesNoAnswer(value);
  if (answer === null) return text;
  return `${answer === 1 ? words.yes : words.no}${year ? ` (${year})` : ''}`;
}

/**
 * An indicator as the public pages chart it. Whether it is yes/no is read from its words when a
 * page is drawn, not stored, so no published snapshot (whose JSON is hashed) changes and
 * publications made before yes/no indicators show them as words too.
 */
export function publicSeries(i: PublicIndicator): Pick<IndicatorSeries, 'baseline' | 'target' | 'values' | 'unit' | 'measure'> {
  const baseline = splitPoint(i.baseline);
  const target = splitPoint(i.target);
  const measure = indicatorMeasure({ baselineValue: baseline.value, targetValue: target.value });
  const point = (p: PublicIndicator['baselinePoint'], text: string | null) =>
    measure === 'yes_no' ? { value: yesNoAnswer(text), year: p.year } : p;
  return { baseline: point(i.baselinePoint, baseline.value), target: point(i.targetPoint, target.value), values: i.values, unit: i.unit, measure };
}

// Columns in the order they are selected: the rows are spread into the snapshot, whose JSON is hashed.
// `verified` is 0/1 on both engines (flag).
const ReservationRow = rowShape({ sectionId: col.text, organisation: col.text, side: SideSchema, text: col.text, at: col.text, verified: col.int });
const PositionRow = rowShape({
  sectionId: col.text,
  actionId: col.nullableText,
  actionTitle: col.nullableText,
  organisation: col.text,
  side: SideSchema,
  text: col.text,
  at: col.text,
  verified: col.int,
});
const RecommendationRow = rowShape({
  id: col.text,
  reference: col.text,
  mechanism: col.text,
  documentSymbol: col.nullableText,
  paragraph: col.nullableText,
  states: col.text,
  position: col.text,
  kind: col.text,
  themes: col.text,
  text: col.text,
});
const ReportRow = rowShape({
  id: col.text,
  actionId: col.text,
  status: ProgressStatusSchema,
  narrative: col.text,
  spentAmount: col.nullableNum,
  currency: col.nullableText,
  submittedAt: col.text,
  organisation: col.text,
  corrects: col.nullableText,
});
const CorrectedRow = rowShape({
  corrects: col.nullableText,
  status: ProgressStatusSchema,
  narrative: col.text,
  spentAmount: col.nullableNum,
  currency: col.nullableText,
  submittedAt: col.text,
});

/** The chain of submitted reports `first` corrects, earliest first. */
async function correctedVersions(q: Sql, first: string | null): Promise<PublicReportVersion[]> {
  const out: PublicReportVersion[] = [];
  for (let id = first, seen = 0; id !== null && seen < 1000; seen++) {
    const row = await q.row(
      CorrectedRow,
      sql`SELECT corrects, status, narrative, spent_amount AS "spentAmount", currency, submitted_at AS "submittedAt"
           FROM progress_reports WHERE id = ${id} AND state = 'submitted'`,
    );
    if (!row) break;
    const { corrects, ...version } = row;
    out.unshift(version);
    id = corrects;
  }
  return out;
}

// Ties of time go by id, the same way on both engines.
async function statements(q: Sql, planId: string): Promise<{ reservations: Map<string, PublicStatement[]>; dissent: Map<string, PublicStatement[]> }> {
  const reservations = new Map<string, PublicStatement[]>();
  const dissent = new Map<string, PublicStatement[]>();
  const push = (map: Map<string, PublicStatement[]>, key: string, s: PublicStatement) => map.set(key, [...(map.get(key) ?? []), s]);
  const reserved = await q.rows(
    ReservationRow,
    sql`SELECT s.section_id AS "sectionId", o.name AS organisation, s.side, s.reservation AS text, s.signed_at AS at,
         ${flag(sql`v.organisation_id IS NOT NULL AND v.side = s.side`)} AS verified
         FROM section_signoffs s JOIN sections x ON x.id = s.section_id JOIN organisations o ON o.id = s.organisation_id
         LEFT JOIN organisation_verifications v ON v.plan_id = x.plan_id AND v.organisation_id = s.organisation_id
        WHERE x.plan_id = ${planId} AND s.withdrawn_at IS NULL AND s.reservation IS NOT NULL AND trim(s.reservation) <> ''
        ORDER BY s.signed_at, s.id`,
  );
  for (const { sectionId, verified, ...r } of reserved) push(reservations, sectionId, { ...r, verified: verified === 1 });
  const positions = await q.rows(
    PositionRow,
    sql`SELECT p.section_id AS "sectionId", p.action_id AS "actionId", coalesce(a.title, p.action_title) AS "actionTitle", o.name AS organisation,
         o.side, p.text, p.created_at AS at, ${flag(sql`v.organisation_id IS NOT NULL`)} AS verified
         FROM dissenting_positions p JOIN organisations o ON o.id = p.organisation_id LEFT JOIN actions a ON a.id = p.action_id
         LEFT JOIN organisation_verifications v ON v.plan_id = p.plan_id AND v.organisation_id = p.organisation_id
        WHERE p.plan_id = ${planId} AND p.withdrawn_at IS NULL ORDER BY p.created_at, p.id`,
  );
  for (const { sectionId, verified, ...p } of positions) push(dissent, sectionId, { ...p, verified: verified === 1 });
  return { reservations, dissent };
}

async function recommendations(q: Sql, planId: string): Promise<PublicRecommendation[]> {
  const rows = await q.rows(
    RecommendationRow,
    sql`SELECT id, reference, mechanism, document_symbol AS "documentSymbol", paragraph, recommending_states AS states, position, kind, themes, text
         FROM recommendations r WHERE plan_id = ${planId} AND ${sql.raw(visibleRecommendation())} ORDER BY sort_key, seq`,
  );
  return rows.map(({ states, themes, kind, ...r }) => ({
    ...r,
    kind: kind === 'pledge' ? 'pledge' : 'recommendation',
    recommendingStates: JSON.parse(states) as string[],
    themes: JSON.parse(themes) as string[],
  }));
}

async function rounds(q: Sql, planId: string, actionIds: Set<string>): Promise<{ rounds: PublicRound[]; series: Map<string, PublicIndicator['values']> }> {
  const out: PublicRound[] = [];
  const series = new Map<string, PublicIndicator['values']>();
  const lifecycle = await getLifecycle(q, planId);
  for (const round of lifecycle.rounds) {
    const progress = await planProgress(q, planId, round.id);
    for (const s of progress.indicators) series.set(s.indicatorId, s.values);
    // Each action's report in force in the round: the one the progress page counts.
    const latest = [...(await latestReportsInRound(q, planId, round.id)).values()].map((r) => r.reportId);
    const reportRows = latest.length
      ? await q.rows(
          ReportRow,
          sql`SELECT r.id, r.action_id AS "actionId", r.status, r.narrative, r.spent_amount AS "spentAmount", r.currency,
                    r.submitted_at AS "submittedAt", o.name AS organisation, r.corrects
               FROM progress_reports r JOIN organisations o ON o.id = r.author_organisation_id
               CROSS JOIN ${jsonArrayTexts(q.engine, sql`${JSON.stringify(latest)}`, 'latest')}
              WHERE r.id = latest.value ORDER BY r.submitted_at, r.id`,
        )
      : [];
    const evidence = await listEvidence(
      q,
      reportRows.map((r) => r.id),
    );
    const earlier = new Map<string, PublicReportVersion[]>();
    for (const r of reportRows) earlier.set(r.id, await correctedVersions(q, r.corrects));
    out.push({
      id: round.id,
      name: round.name,
      dueDate: round.dueDate,
      state: round.state,
      reports: reportRows
        .filter((r) => actionIds.has(r.actionId))
        .map(({ id, corrects: _, ...r }) => {
          const corrected = earlier.get(id) ?? [];
          return {
            ...r,
            links: (evidence.get(id) ?? []).flatMap((e) => (e.kind === 'link' && e.url ? [{ url: e.url, label: e.label }] : [])),
            ...(corrected.length > 0 ? { corrects: corrected } : {}),
          };
        }),
      assessments: [...progress.actions, ...progress.recommendationItems].flatMap((item) =>
        item.assessments.map((a) => ({
          targetType: a.targetType,
          targetId: a.targetId,
          organisation: a.organisation.name,
          side: a.organisation.side,
          rating: a.rating,
          justification: a.justification,
          evidenceLinks: a.evidenceLinks,
          updatedAt: a.updatedAt,
        })),
      ),
      governmentRatings: progress.recommendationItems.map((r) => ({ recommendationId: r.targetId, rating: r.governmentRating })),
    });
  }
  return { rounds: out, series };
}

/**
 * The snapshot of a plan as it is now. An adopted plan is published with its agreed text (what
 * was signed) and its monitoring; a consultation draft with every section's current text.
 * `docStates` are the stored states of open section documents (as for exports).
 *
 * Everything is read through `q`, which the caller gives as one read-only transaction's handle
 * (`{ snapshot: true }`, publishPlan), so the plan, its signatures and its monitoring are one moment.
 */
export async function buildSnapshot(
  q: Sql,
  planId: string,
  kind: PublicationKind,
  publishedAt: string,
  docStates?: Map<string, Uint8Array>,
): Promise<PublicSnapshot> {
  const model = await buildPlanModel(q, planId, { scope: kind === 'adopted' ? 'agreed' : 'current', exportedAt: publishedAt, docStates });
  const lifecycle = await getLifecycle(q, planId);
  const { reservations, dissent } = await statements(q, planId);
  const actionIds = new Set(model.chapters.flatMap((c) => c.sections.flatMap((s) => s.actions.map((a) => a.id))));
  const monitoring = kind === 'adopted' ? await rounds(q, planId, actionIds) : { rounds: [], series: new Map<string, PublicIndicator['values']>() };
  const leftOut = new Set(lifecycle.adoption?.leftOut.map((l) => l.sectionId) ?? []);

  const action = (a: ModelAction): PublicAction => ({
    id: a.id,
    title: a.title,
    description: a.description,
    leadAgency: a.leadAgency,
    coImplementers: a.coImplementers,
    csoPartners: a.csoPartners,
    start: a.start,
    end: a.end,
    budget: a.budget,
    budgetAmount: a.budgetAmount,
    currency: a.currency,
    fundingSource: a.fundingSource,
    recommendationIds: a.recommendations.map((r) => r.id),
    indicators: a.indicators.map((i, n) => ({
      id: i.id ?? `${a.id}-${n + 1}`,
      type: i.type,
      description: i.description,
      unit: i.unit,
      baseline: i.baseline,
      target: i.target,
      dataSource: i.dataSource,
      frequency: i.frequency,
      baselinePoint: toPoint(i.baseline),
      targetPoint: toPoint(i.target),
      values: (i.id && monitoring.series.get(i.id)) || [],
    })),
    reportedStatus: kind === 'adopted' ? (a.reportedStatus ?? null) : null,
  });

  return {
    version: SNAPSHOT_VERSION,
    kind,
    publishedAt,
    plan: { ...model.plan, stage: lifecycle.stage },
    adoption: lifecycle.adoption && {
      actTitle: lifecycle.adoption.act.title,
      actNumber: lifecycle.adoption.act.number,
      actDate: lifecycle.adoption.act.date,
      actUrl: lifecycle.adoption.act.url,
      contentHash: lifecycle.adoption.contentHash,
      leftOut: lifecycle.adoption.leftOut,
    },
    monitoringBody: lifecycle.monitoringBody?.name ?? null,
    chapters: model.chapters.map((c, ci) => ({
      id: c.id,
      number: ci + 1,
      title: c.title,
      sections: c.sections.map((s, si) => {
        // A section left out at adoption is not part of the adopted plan, even if it is agreed.
        const included = s.included && !(kind === 'adopted' && leftOut.has(s.id));
        return {
          id: s.id,
          number: `${ci + 1}.${si + 1}`,
          title: s.title,
          status: s.status,
          included,
          agreedAt: s.agreedAt,
          agreedHash: s.agreedHash,
          blocks: included ? s.blocks : [],
          signers: s.signers.map((g) => ({ organisation: g.organisation, side: g.side as Side, verified: g.verified !== false, signedAt: g.signedAt })),
          reservations: reservations.get(s.id) ?? [],
          dissent: dissent.get(s.id) ?? [],
          actions: included ? s.actions.map(action) : [],
        };
      }),
    })),
    recommendations: await recommendations(q, planId),
    rounds: monitoring.rounds,
  };
}
