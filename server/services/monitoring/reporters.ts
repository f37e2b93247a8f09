import { sql } from 'kysely';
import { z } from 'zod';
import { col, rowShape } from '../../db/rows.ts';
import type { Sql } from '../../db/sql/Sql.ts';
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
const OneRow = rowShape({ one: col.int });

/** The action of the plan (not in the bin), or 404. */
export async function actionOfPlan(q: Sql, planId: string, actionId: string): Promise<ReportedAction> {
  const row = await q.row(
    ReportedActionRow,
    sql`SELECT a.id, a.title, a.lead_agency_id AS "leadAgencyId", a.currency FROM actions a JOIN sections s ON s.id = a.section_id
         WHERE a.id = ${actionId} AND a.plan_id = ${planId} AND s.deleted_at IS NULL`,
  );
  if (!row) throw notFound('action');
  return row;
}

/** Whether the organisation leads or co-implements the action. */
export async function implementsAction(q: Sql, action: ReportedAction, organisationId: string): Promise<boolean> {
  if (action.leadAgencyId === organisationId) return true;
  const row = await q.row(
    OneRow,
    sql`SELECT 1 AS one FROM action_organisations WHERE action_id = ${action.id} AND organisation_id = ${organisationId} AND role = 'co_implementer'`,
  );
  return row !== undefined;
}

/** Whether the person's organisation is on the government side. */
async function ofGovernment(q: Sql, who: Actor): Promise<boolean> {
  const row = await q.row(SideRow, sql`SELECT side FROM organisations WHERE id = ${who.principal.organisationId}`);
  return row?.side === 'government';
}

export async function mayReport(q: Sql, who: Actor, action: ReportedAction): Promise<boolean> {
  if (who.role === 'coordinator') return (await ofGovernment(q, who)) || implementsAction(q, action, who.principal.organisationId);
  if (who.role !== 'drafter' && who.role !== 'commenter') return false;
  return implementsAction(q, action, who.principal.organisationId);
}

/** 403 unless the person may report on the action. */
export async function requireReporter(q: Sql, who: Actor, action: ReportedAction): Promise<void> {
  if (!(await mayReport(q, who, action))) {
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
export async function requireDraftWriter(q: Sql, who: Actor, action: ReportedAction, authorOrganisationId: string): Promise<void> {
  await requireReporter(q, who, action);
  if (who.role !== 'coordinator' && who.principal.organisationId !== authorOrganisationId) {
    throw forbidden('This draft belongs to another organisation: only its people or a coordinator change it.', 'not_author_organisation');
  }
}
