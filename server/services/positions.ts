import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { recordAudit } from './audit.ts';
import { isOrganisationVerified } from './verification.ts';
import type { Acting } from './agreement.ts';
import { DissentingPositionSchema, type DissentingPosition } from '../../shared/api/index.ts';

/**
 * Dissenting positions: "we do not agree with this provision, because …". Disagreement is normal
 * in such negotiations and belongs in the record, beside the text, not outside it. Any verified
 * organisation (through a member who may comment or more) can record one on a section or on one
 * of its actions, at any stage, agreed sections included; it stays in the record when withdrawn.
 */

const COLUMNS = sql`p.id, p.section_id AS "sectionId", p.action_id AS "actionId", p.action_title AS "actionTitle",
  p.organisation_id AS "organisationId", o.name AS organisation, o.side, ${flag(sql`v.organisation_id IS NOT NULL`)} AS "organisationVerified",
  u.name AS author, p.text, p.created_at AS "createdAt", p.withdrawn_at AS "withdrawnAt"`;
const FROM = sql`FROM dissenting_positions p JOIN organisations o ON o.id = p.organisation_id JOIN users u ON u.id = p.user_id
  LEFT JOIN organisation_verifications v ON v.plan_id = p.plan_id AND v.organisation_id = p.organisation_id`;

// The verification test is read as 0/1 on both engines (flag).
const PositionRow = DissentingPositionSchema.extend({ organisationVerified: col.bool });
const PlanPositionRow = PositionRow.extend({ planId: col.text });
const TitleRow = rowShape({ title: col.text });

const positionsWhere = (where: RawBuilder<unknown>, orderBy: RawBuilder<unknown>) => sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY ${orderBy}`;
const onePosition = (positionId: string) => sql`SELECT ${COLUMNS} ${FROM} WHERE p.id = ${positionId}`;

async function requireSection(q: Sql, planId: string, sectionId: string): Promise<{ title: string }> {
  const section = await q.row(TitleRow, sql`SELECT title FROM sections WHERE id = ${sectionId} AND plan_id = ${planId}`);
  if (!section) throw notFound('section');
  return section;
}

/** A section's positions, oldest first (ties by id: PostgreSQL has no rowid), withdrawn ones included (marked). */
export async function listPositions(q: Sql, planId: string, sectionId: string): Promise<DissentingPosition[]> {
  await requireSection(q, planId, sectionId);
  return q.rows(PositionRow, positionsWhere(sql`p.section_id = ${sectionId}`, sql`p.created_at, p.id`));
}

/** Every position still standing in a plan, by section (for the exports' annex). */
export async function listStandingPositions(q: Sql, planId: string): Promise<DissentingPosition[]> {
  return q.rows(PositionRow, positionsWhere(sql`p.plan_id = ${planId} AND p.withdrawn_at IS NULL`, sql`p.section_id, p.created_at, p.id`));
}

/** Records a position of the caller's organisation. */
export async function recordPosition(
  q: Sql,
  planId: string,
  sectionId: string,
  who: Acting,
  input: { text: string; actionId?: string | undefined },
): Promise<DissentingPosition> {
  if (who.role === 'observer') throw forbidden('Observers read the plan; a member who may comment can record a position.', 'observer_no_position');
  const { principal } = who;
  return q.transaction(async (tx) => {
    const section = await requireSection(tx, planId, sectionId);
    if (!(await isOrganisationVerified(tx, planId, principal.organisationId))) {
      throw forbidden(
        `${principal.organisationName} has not been verified by a coordinator of this plan, so it cannot record a position in the plan's name yet. Comment instead, or ask a coordinator to verify your organisation.`,
        'organisation_unverified',
      );
    }
    let actionTitle: string | null = null;
    if (input.actionId) {
      const action = await tx.row(TitleRow, sql`SELECT title FROM actions WHERE id = ${input.actionId} AND section_id = ${sectionId}`);
      if (!action) throw notFound('action');
      actionTitle = action.title;
    }
    const id = newId();
    await tx.run(
      sql`INSERT INTO dissenting_positions (id, plan_id, section_id, action_id, action_title, organisation_id, user_id, text, created_at)
        VALUES (${id}, ${planId}, ${sectionId}, ${input.actionId ?? null}, ${actionTitle}, ${principal.organisationId}, ${principal.userId},
          ${input.text}, ${nowIso()})`,
    );
    const on = actionTitle ? `the action “${actionTitle}” in “${section.title}”` : `“${section.title}”`;
    await recordAudit(tx, {
      planId,
      actor: principal,
      role: who.role,
      action: 'dissent.recorded',
      targetType: 'section',
      targetId: sectionId,
      summary: `${principal.organisationName} recorded a dissenting position on ${on}: ${input.text}`,
      details: { positionId: id, title: section.title, actionTitle, text: input.text },
    });
    return tx.theRow(PositionRow, onePosition(id));
  });
}

/** Withdraws a position: only its organisation's members may; it stays in the record, marked. */
export async function withdrawPosition(q: Sql, planId: string, positionId: string, who: Acting): Promise<DissentingPosition> {
  return q.transaction(async (tx) => {
    const position = await tx.row(PlanPositionRow, sql`SELECT ${COLUMNS}, p.plan_id AS "planId" ${FROM} WHERE p.id = ${positionId}`);
    if (!position || position.planId !== planId) throw notFound('position');
    if (position.organisationId !== who.principal.organisationId) {
      throw forbidden(`Only members of ${position.organisation} can withdraw its position.`, 'position_not_yours');
    }
    if (position.withdrawnAt) throw conflict('already_withdrawn', 'This position was withdrawn already.');
    await tx.run(sql`UPDATE dissenting_positions SET withdrawn_at = ${nowIso()}, withdrawn_by = ${who.principal.userId} WHERE id = ${positionId}`);
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'dissent.withdrawn',
      targetType: 'section',
      targetId: position.sectionId,
      summary: `${who.principal.name} withdrew the dissenting position of ${position.organisation}: ${position.text}`,
      details: { positionId, text: position.text, organisation: position.organisation },
    });
    return tx.theRow(PositionRow, onePosition(positionId));
  });
}
