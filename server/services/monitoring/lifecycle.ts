import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../../db/rows.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit.ts';
import type { Actor } from '../history.ts';
import { planOrganisations } from '../planOrganisations.ts';
import { OrganisationSchema, PlanStageSchema, type Organisation, type PlanAdoption, type PlanStage } from '../../../shared/api/index.ts';

/**
 * A plan's life after agreement: its stage, the act that adopted it, the organisation that
 * monitors it and its reporting rounds. Stages only move forward (drafting → adopted →
 * in_implementation → midterm_review → completed); an adopted plan may be superseded at any stage.
 *
 * On Sql (decision 0011).
 */

const ORDER: PlanStage[] = ['drafting', 'adopted', 'in_implementation', 'midterm_review', 'completed'];

/** Stages in which implementers report progress and civil society assesses it. */
export const REPORTING_STAGES: readonly PlanStage[] = ['adopted', 'in_implementation', 'midterm_review'];

const StageRow = rowShape({ stage: PlanStageSchema });
const stageQuery = (planId: string) => sql`SELECT stage FROM plans WHERE id = ${planId}`;

export async function planStage(q: Sql, planId: string): Promise<PlanStage> {
  const row = await q.row(StageRow, stageQuery(planId));
  if (!row) throw notFound('plan');
  return row.stage;
}

/** 409 `not_adopted` before adoption: rounds, reports and assessments come after it. */
export async function requireAdopted(q: Sql, planId: string): Promise<PlanStage> {
  const stage = await planStage(q, planId);
  if (stage === 'drafting') throw conflict('not_adopted', 'The plan is not adopted yet: adopt it first.');
  return stage;
}

/** 409 `not_reporting` when the plan is not in a stage that takes progress reports. */
export async function requireReportingStage(q: Sql, planId: string): Promise<void> {
  const stage = await requireAdopted(q, planId);
  if (!REPORTING_STAGES.includes(stage)) {
    throw conflict('not_reporting', `The plan is ${stage.replace('_', ' ')}: progress is no longer reported.`);
  }
}

const AdoptionRow = rowShape({
  actTitle: col.text,
  actNumber: col.text,
  actDate: col.text,
  actUrl: col.nullableText,
  adoptedByName: col.text,
  adoptedAt: col.text,
  versionGroupId: col.text,
  contentHash: col.text,
  leftOut: col.text,
});
type AdoptionRow = z.output<typeof AdoptionRow>;

const adoptionQuery = (planId: string) =>
  sql`SELECT act_title AS "actTitle", act_number AS "actNumber", act_date AS "actDate", act_url AS "actUrl", adopted_by_name AS "adoptedByName",
             adopted_at AS "adoptedAt", version_group_id AS "versionGroupId", content_hash AS "contentHash", left_out AS "leftOut"
        FROM plan_adoptions WHERE plan_id = ${planId}`;

const toAdoption = (row: AdoptionRow | undefined): PlanAdoption | null =>
  row
    ? {
        act: { title: row.actTitle, number: row.actNumber, date: row.actDate, url: row.actUrl },
        adoptedAt: row.adoptedAt,
        adoptedBy: row.adoptedByName,
        versionGroupId: row.versionGroupId,
        contentHash: row.contentHash,
        leftOut: JSON.parse(row.leftOut) as PlanAdoption['leftOut'],
      }
    : null;

export async function planAdoption(q: Sql, planId: string): Promise<PlanAdoption | null> {
  return toAdoption(await q.row(AdoptionRow, adoptionQuery(planId)));
}

export async function monitoringBody(q: Sql, planId: string): Promise<Organisation | null> {
  return (
    (await q.row(OrganisationSchema, sql`SELECT o.id, o.name, o.side, o.color FROM plans p JOIN organisations o ON o.id = p.monitoring_body_id WHERE p.id = ${planId}`)) ??
    null
  );
}

/** 400 unless the organisation is one of the plan's (a member's, or added to the plan for actions). */
export async function requirePlanOrganisation(q: Sql, planId: string, organisationId: string): Promise<Organisation> {
  const org = (await planOrganisations(q, planId)).find((o) => o.id === organisationId);
  if (!org) throw badRequest('The monitoring body must be one of the plan’s organisations.', { organisationId: { code: 'not_in_plan' } });
  return { id: org.id, name: org.name, side: org.side, color: org.color };
}

/** Names (or, with null, clears) the organisation that monitors implementation. */
export async function setMonitoringBody(q: Sql, planId: string, who: Actor, organisationId: string | null): Promise<void> {
  await q.transaction(async (tx) => {
    await planStage(tx, planId);
    const org = organisationId === null ? null : await requirePlanOrganisation(tx, planId, organisationId);
    const before = await monitoringBody(tx, planId);
    if ((before?.id ?? null) === (org?.id ?? null)) return;
    await tx.run(sql`UPDATE plans SET monitoring_body_id = ${org?.id ?? null} WHERE id = ${planId}`);
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.monitoring_body_set',
      targetType: 'plan',
      targetId: planId,
      summary: org ? `${who.principal.name} named ${org.name} the plan's monitoring body` : `${who.principal.name} cleared the plan's monitoring body`,
      details: { before: { monitoringBody: before?.name ?? null }, after: { monitoringBody: org?.name ?? null }, changed: ['monitoringBody'] },
    });
  });
}

/** Moves an adopted plan to a later stage, or supersedes it. */
export async function changeStage(q: Sql, planId: string, who: Actor, to: PlanStage, note: string): Promise<void> {
  await q.transaction(async (tx) => {
    const from = await requireAdopted(tx, planId);
    if (from === 'superseded') throw conflict('stage_invalid', 'The plan is superseded: its stage no longer changes.');
    if (to !== 'superseded' && ORDER.indexOf(to) <= ORDER.indexOf(from)) {
      throw conflict('stage_invalid', `The plan is ${from.replace('_', ' ')}: it can only move on to a later stage.`);
    }
    await tx.run(sql`UPDATE plans SET stage = ${to} WHERE id = ${planId}`);
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'plan.stage_changed',
      targetType: 'plan',
      targetId: planId,
      summary: `${who.principal.name} moved the plan from ${from.replace('_', ' ')} to ${to.replace('_', ' ')}`,
      details: { before: { stage: from }, after: { stage: to }, changed: ['stage'], note },
    });
  });
}
