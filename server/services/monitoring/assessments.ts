import { sql } from 'kysely';
import { col, rowShape } from '../../db/rows.ts';
import { jsonArrayTexts } from '../../db/sql/portable.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { badRequest, forbidden } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { byWhom, diffFields, quoted, recordChange, type Actor } from '../history.ts';
import { requireReportingStage } from './lifecycle.ts';
import { assessmentsInRound } from './progress.ts';
import { requireOpenRound } from './rounds.ts';
import { AssessmentRatingSchema, SideSchema, type Assessment, type AssessmentRating, type SaveAssessment } from '../../../shared/api/index.ts';

/**
 * Civil society's independent assessment. Members of a verified civil-society organisation record,
 * per round, their organisation's view of an action or recommendation; the assessment belongs to
 * the organisation: any of its members (not observers) revises it, nobody else changes or hides it.
 * There is deliberately no way to address another organisation's assessment: the organisation is
 * always the writer's own.
 */

export const RATING_WORDS: Record<AssessmentRating, string> = {
  not_implemented: 'not implemented',
  partially_implemented: 'partially implemented',
  fully_implemented: 'fully implemented',
  no_information: 'no information',
};

const SideRow = rowShape({ side: SideSchema });
const TitleRow = rowShape({ title: col.text });
const ReferenceRow = rowShape({ reference: col.text });
const ExistingAssessmentRow = rowShape({ id: col.text, rating: AssessmentRatingSchema, justification: col.text, evidenceLinks: col.text });

/** 403 `not_assessor` unless the person's organisation is verified in the plan as civil society. */
export async function requireAssessor(q: Sql, planId: string, who: Actor): Promise<void> {
  if (who.role === 'observer') throw forbidden('Observers read assessments but do not write them.', 'not_assessor');
  const row = await q.row(SideRow, sql`SELECT side FROM organisation_verifications WHERE plan_id = ${planId} AND organisation_id = ${who.principal.organisationId}`);
  if (!row) {
    throw forbidden(
      `${who.principal.organisationName} is not verified in this plan yet, so it cannot record an assessment. A coordinator of civil society must verify it first.`,
      'not_assessor',
    );
  }
  if (row.side !== 'civil_society') {
    throw forbidden('Only civil-society organisations record independent assessments; the government reports progress instead.', 'not_assessor');
  }
}

const IdRow = rowShape({ id: col.text });

/** Those of the organisations that are of civil society (an assessment report is made of theirs only). */
export async function civilSocietyOrganisations(q: Sql, organisationIds: string[]): Promise<Set<string>> {
  const rows = await q.rows(IdRow, sql`SELECT id FROM organisations WHERE side = 'civil_society' AND id IN ${idList(q, organisationIds)}`);
  return new Set(rows.map((o) => o.id));
}

/** The ids as a FROM item of one JSON parameter, however many there are. */
const idList = (q: Sql, ids: string[]) => sql`(SELECT ids.value FROM ${jsonArrayTexts(q.engine, sql`${JSON.stringify(ids)}`, 'ids')})`;

const OrganisationNameRow = rowShape({ id: col.text, name: col.text });

/** The names of these organisations, in the order given (an unknown id is left out). */
export async function organisationNames(q: Sql, organisationIds: string[]): Promise<string[]> {
  const byId = new Map((await q.rows(OrganisationNameRow, sql`SELECT id, name FROM organisations WHERE id IN ${idList(q, organisationIds)}`)).map((o) => [o.id, o.name]));
  return organisationIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
/** The assessed item's name, or 400 when it is not an action or recommendation of this plan. */
export async function targetTitle(q: Sql, planId: string, targetType: SaveAssessment['targetType'], targetId: string): Promise<string> {
  if (targetType === 'action') {
    const row = await q.row(
      TitleRow,
      sql`SELECT a.title FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
           WHERE a.id = ${targetId} AND a.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    );
    if (!row) throw badRequest('There is no such action in this plan.', { targetId: { code: 'not_in_plan' } });
    return row.title;
  }
  const row = await q.row(ReferenceRow, sql`SELECT reference FROM recommendations WHERE id = ${targetId} AND plan_id = ${planId}`);
  if (!row) throw badRequest('There is no such recommendation in this plan.', { targetId: { code: 'not_in_plan' } });
  return `recommendation ${row.reference}`;
}

export interface SavedAssessment {
  assessment: Assessment;
  /** The rating before this save (null: the organisation had not assessed the item in this round). */
  previousRating: AssessmentRating | null;
  title: string;
  roundName: string;
}

const fieldsOf = (a: { rating: string; justification: string; evidenceLinks: string[] }) => ({
  rating: a.rating,
  justification: a.justification,
  evidenceLinks: a.evidenceLinks,
});

/** Creates or revises the writer's organisation's assessment of one item in an open round. */
export async function saveAssessment(q: Sql, planId: string, roundId: string, who: Actor, input: SaveAssessment): Promise<SavedAssessment> {
  await requireAssessor(q, planId, who);
  return q.transaction(async (tx): Promise<SavedAssessment> => {
    await requireReportingStage(tx, planId);
    const round = await requireOpenRound(tx, planId, roundId);
    const title = await targetTitle(tx, planId, input.targetType, input.targetId);
    const organisationId = who.principal.organisationId;
    const existing = await tx.row(
      ExistingAssessmentRow,
      sql`SELECT id, rating, justification, evidence_links AS "evidenceLinks" FROM assessments
           WHERE round_id = ${roundId} AND target_type = ${input.targetType} AND target_id = ${input.targetId} AND organisation_id = ${organisationId}`,
    );
    const before = existing ? fieldsOf({ ...existing, evidenceLinks: JSON.parse(existing.evidenceLinks) as string[] }) : null;
    const after = fieldsOf(input);
    const id = existing?.id ?? newId();
    const now = nowIso();
    const diff = before ? diffFields(before, after, ['rating']) : { before: null, after, changed: Object.keys(after) };
    if (diff) {
      const links = JSON.stringify(input.evidenceLinks);
      if (existing) {
        await tx.run(
          sql`UPDATE assessments SET rating = ${input.rating}, justification = ${input.justification}, evidence_links = ${links}, author_id = ${who.principal.userId},
                author_name = ${who.principal.name}, updated_at = ${now} WHERE id = ${id}`,
        );
      } else {
        await tx.run(
          sql`INSERT INTO assessments (id, plan_id, round_id, target_type, target_id, organisation_id, rating, justification, evidence_links,
                                       author_id, author_name, created_at, updated_at)
              VALUES (${id}, ${planId}, ${roundId}, ${input.targetType}, ${input.targetId}, ${organisationId}, ${input.rating}, ${input.justification}, ${links},
                      ${who.principal.userId}, ${who.principal.name}, ${now}, ${now})`,
        );
      }
      await recordChange(tx, {
        planId,
        who,
        action: 'assessment.saved',
        targetType: 'assessment',
        targetId: id,
        summary: `${byWhom(who)} ${existing ? 'revised' : 'recorded'} ${who.principal.organisationName}'s assessment of ${input.targetType === 'action' ? `the action ${quoted(title)}` : title}: ${RATING_WORDS[input.rating]} (round “${round.name}”)`,
        ...diff,
        details: { roundId, roundName: round.name, assessedType: input.targetType, assessedId: input.targetId, title, organisationId, organisationName: who.principal.organisationName },
      });
    }
    // Read back inside the save's transaction: what this save left, whatever is saved after it.
    const [assessment] = (await assessmentsInRound(tx, planId, roundId, { targetType: input.targetType, targetId: input.targetId })).filter(
      (a) => a.organisation.id === organisationId,
    );
    return { assessment: assessment!, previousRating: existing?.rating ?? null, title, roundName: round.name };
  });
}
