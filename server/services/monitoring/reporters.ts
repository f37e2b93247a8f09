import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { col, oneRow, rowShape } from '../../db/rows.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { Actor } from '../history.ts';

/**
 * Who reports an action's progress: members with role drafter or commenter whose organisation is
 * the action's lead agency or one of its co-implementers, and coordinators of the government side
 * (a progress report is the government's account; civil society's coordinators record their view
 * as assessments). Observers never do, and nor do other organisations' people: a ministry answers
 * for its own actions only.
 */

const ReportedActionRow = rowShape({ id: col.text, title: col.text, leadAgencyId: col.nullableText, currency: col.nullableText });
export type ReportedAction = z.output<typeof ReportedActionRow>;
const SideRow = rowShape({ side: col.text });

/** The action of the plan (not in the bin), or 404. */
export function actionOfPlan(db: Db, planId: string, actionId: string): ReportedAction {
  const row = oneRow(
    db.prepare(
      `SELECT a.id, a.title, a.lead_agency_id AS leadAgencyId, a.currency FROM actions a JOIN sections s ON s.id = a.section_id
        WHERE a.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL`,
    ),
    ReportedActionRow,
    actionId,
    planId,
  );
  if (!row) throw notFound('action');
  return row;
}

/** Whether the organisation leads or co-implements the action. */
export function implementsAction(db: Db, action: ReportedAction, organisationId: string): boolean {
  if (action.leadAgencyId === organisationId) return true;
  return (
    db
      .prepare("SELECT 1 FROM action_organisations WHERE action_id = ? AND organisation_id = ? AND role = 'co_implementer'")
      .get(action.id, organisationId) !== undefined
  );
}

/** Whether the person's organisation is on the government side. */
function ofGovernment(db: Db, who: Actor): boolean {
  const row = oneRow(db.prepare('SELECT side FROM organisations WHERE id = ?'), SideRow, who.principal.organisationId);
  return row?.side === 'government';
}

export function mayReport(db: Db, who: Actor, action: ReportedAction): boolean {
  if (who.role === 'coordinator') return ofGovernment(db, who) || implementsAction(db, action, who.principal.organisationId);
  if (who.role !== 'drafter' && who.role !== 'commenter') return false;
  return implementsAction(db, action, who.principal.organisationId);
}

/** 403 unless the person may report on the action. */
export function requireReporter(db: Db, who: Actor, action: ReportedAction): void {
  if (!mayReport(db, who, action)) {
    throw forbidden(
      'Only the people of the action’s lead agency or co-implementers (drafters and commenters) and the government’s coordinators report its progress; civil society records its view as an assessment.',
      'not_implementer',
    );
  }
}

/**
 * A draft is edited, deleted, submitted and given evidence by a coordinator, or by someone of the
 * author's organisation who may report on the action.
 */
export function requireDraftWriter(db: Db, who: Actor, action: ReportedAction, authorOrganisationId: string): void {
  requireReporter(db, who, action);
  if (who.role !== 'coordinator' && who.principal.organisationId !== authorOrganisationId) {
    throw forbidden('This draft belongs to another organisation: only its people or a coordinator change it.', 'not_author_organisation');
  }
}
