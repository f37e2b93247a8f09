import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, scalar, theRow } from '../db/rows.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { recordAuditNow } from './audit.ts';
import { isOrganisationVerified } from './verification.ts';
import type { Acting } from './agreement.ts';
import { DissentingPositionSchema, type DissentingPosition } from '../../shared/api/index.ts';

/**
 * Dissenting positions: "we do not agree with this provision, because …". Disagreement is normal
 * in such negotiations and belongs in the record, beside the text, not outside it. Any verified
 * organisation (through a member who may comment or more) can record one on a section or on one
 * of its actions, at any stage, agreed sections included; it stays in the record when withdrawn.
 */

const COLUMNS = `p.id, p.section_id AS sectionId, p.action_id AS actionId, p.action_title AS actionTitle,
  p.organisation_id AS organisationId, o.name AS organisation, o.side, v.organisation_id IS NOT NULL AS organisationVerified,
  u.name AS author, p.text, p.created_at AS createdAt, p.withdrawn_at AS withdrawnAt`;
const FROM = `FROM dissenting_positions p JOIN organisations o ON o.id = p.organisation_id JOIN users u ON u.id = p.user_id
  LEFT JOIN organisation_verifications v ON v.plan_id = p.plan_id AND v.organisation_id = p.organisation_id`;

// SQLite answers 0/1 for the verification test.
const PositionRow = DissentingPositionSchema.extend({ organisationVerified: col.bool });
const PlanPositionRow = PositionRow.extend({ planId: col.text });

function requireSection(db: Db, planId: string, sectionId: string): { title: string } {
  const title = scalar(db.prepare('SELECT title FROM sections WHERE id = ? AND plan_id = ?'), col.text, sectionId, planId);
  if (title === undefined) throw notFound('section');
  return { title };
}

/** A section's positions, oldest first, withdrawn ones included (marked). */
export function listPositions(db: Db, planId: string, sectionId: string): DissentingPosition[] {
  requireSection(db, planId, sectionId);
  return allRows(db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE p.section_id = ? ORDER BY p.created_at, p.rowid`), PositionRow, sectionId);
}

/** Every position still standing in a plan, by section (for the exports' annex). */
export function listStandingPositions(db: Db, planId: string): DissentingPosition[] {
  return allRows(
    db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE p.plan_id = ? AND p.withdrawn_at IS NULL ORDER BY p.section_id, p.created_at, p.rowid`),
    PositionRow,
    planId,
  );
}

/** Records a position of the caller's organisation. */
export function recordPosition(
  db: Db,
  planId: string,
  sectionId: string,
  who: Acting,
  input: { text: string; actionId?: string | undefined },
): DissentingPosition {
  if (who.role === 'observer') throw forbidden('Observers read the plan; a member who may comment can record a position.', 'observer_no_position');
  const { principal } = who;
  return db.transaction(() => {
    const section = requireSection(db, planId, sectionId);
    if (!isOrganisationVerified(db, planId, principal.organisationId)) {
      throw forbidden(
        `${principal.organisationName} has not been verified by a coordinator of this plan, so it cannot record a position in the plan's name yet. Comment instead, or ask a coordinator to verify your organisation.`,
        'organisation_unverified',
      );
    }
    let actionTitle: string | null = null;
    if (input.actionId) {
      const title = scalar(db.prepare('SELECT title FROM actions WHERE id = ? AND section_id = ?'), col.text, input.actionId, sectionId);
      if (title === undefined) throw notFound('action');
      actionTitle = title;
    }
    const id = newId();
    db.prepare(
      `INSERT INTO dissenting_positions (id, plan_id, section_id, action_id, action_title, organisation_id, user_id, text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, planId, sectionId, input.actionId ?? null, actionTitle, principal.organisationId, principal.userId, input.text, nowIso());
    const on = actionTitle ? `the action “${actionTitle}” in “${section.title}”` : `“${section.title}”`;
    recordAuditNow(db, {
      planId,
      actor: principal,
      role: who.role,
      action: 'dissent.recorded',
      targetType: 'section',
      targetId: sectionId,
      summary: `${principal.organisationName} recorded a dissenting position on ${on}: ${input.text}`,
      details: { positionId: id, title: section.title, actionTitle, text: input.text },
    });
    return theRow(db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE p.id = ?`), PositionRow, id);
  })();
}

/** Withdraws a position: only its organisation's members may; it stays in the record, marked. */
export function withdrawPosition(db: Db, planId: string, positionId: string, who: Acting): DissentingPosition {
  return db.transaction(() => {
    const position = oneRow(db.prepare(`SELECT ${COLUMNS}, p.plan_id AS planId ${FROM} WHERE p.id = ?`), PlanPositionRow, positionId);
    if (!position || position.planId !== planId) throw notFound('position');
    if (position.organisationId !== who.principal.organisationId) {
      throw forbidden(`Only members of ${position.organisation} can withdraw its position.`, 'position_not_yours');
    }
    if (position.withdrawnAt) throw conflict('already_withdrawn', 'This position was withdrawn already.');
    db.prepare('UPDATE dissenting_positions SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?').run(nowIso(), who.principal.userId, positionId);
    recordAuditNow(db, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'dissent.withdrawn',
      targetType: 'section',
      targetId: position.sectionId,
      summary: `${who.principal.name} withdrew the dissenting position of ${position.organisation}: ${position.text}`,
      details: { positionId, text: position.text, organisation: position.organisation },
    });
    return theRow(db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE p.id = ?`), PositionRow, positionId);
  })();
}
