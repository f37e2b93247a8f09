import type { Db } from '../../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../../db/rows.ts';
import { badRequest, forbidden } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { byWhom, diffFields, quoted, recordChangeNow, type Actor } from '../history.ts';
import { requireReportingStage } from './lifecycle.ts';
import { assessmentsInRoundNow } from './progress.ts';
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
export function requireAssessor(db: Db, planId: string, who: Actor): void {
  if (who.role === 'observer') throw forbidden('Observers read assessments but do not write them.', 'not_assessor');
  const row = oneRow(
    db.prepare('SELECT side FROM organisation_verifications WHERE plan_id = ? AND organisation_id = ?'),
    SideRow,
    planId,
    who.principal.organisationId,
  );
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
export function civilSocietyOrganisations(db: Db, organisationIds: string[]): Set<string> {
  return new Set(
    allRows(db.prepare("SELECT id FROM organisations WHERE side = 'civil_society' AND id IN (SELECT value FROM json_each(?))"), IdRow, JSON.stringify(organisationIds)).map(
      (o) => o.id,
    ),
  );
}

const OrganisationNameRow = rowShape({ id: col.text, name: col.text });

/** The names of these organisations, in the order given (an unknown id is left out). */
export function organisationNames(db: Db, organisationIds: string[]): string[] {
  const byId = new Map(
    allRows(db.prepare('SELECT id, name FROM organisations WHERE id IN (SELECT value FROM json_each(?))'), OrganisationNameRow, JSON.stringify(organisationIds)).map((o) => [o.id, o.name]),
  );
  return organisationIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
/** The assessed item's name, or 400 when it is not an action or recommendation of this plan. */
export function targetTitle(db: Db, planId: string, targetType: SaveAssessment['targetType'], targetId: string): string {
  if (targetType === 'action') {
    const row = oneRow(
      db.prepare(
        `SELECT a.title FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
          WHERE a.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
      ),
      TitleRow,
      targetId,
      planId,
    );
    if (!row) throw badRequest('There is no such action in this plan.', { targetId: { code: 'not_in_plan' } });
    return row.title;
  }
  const row = oneRow(db.prepare('SELECT reference FROM recommendations WHERE id = ? AND plan_id = ?'), ReferenceRow, targetId, planId);
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
export function saveAssessment(db: Db, planId: string, roundId: string, who: Actor, input: SaveAssessment): SavedAssessment {
  requireAssessor(db, planId, who);
  return db.transaction((): SavedAssessment => {
    requireReportingStage(db, planId);
    const round = requireOpenRound(db, planId, roundId);
    const title = targetTitle(db, planId, input.targetType, input.targetId);
    const organisationId = who.principal.organisationId;
    const existing = oneRow(
      db.prepare(
        `SELECT id, rating, justification, evidence_links AS evidenceLinks FROM assessments
          WHERE round_id = ? AND target_type = ? AND target_id = ? AND organisation_id = ?`,
      ),
      ExistingAssessmentRow,
      roundId,
      input.targetType,
      input.targetId,
      organisationId,
    );
    const before = existing ? fieldsOf({ ...existing, evidenceLinks: JSON.parse(existing.evidenceLinks) as string[] }) : null;
    const after = fieldsOf(input);
    const id = existing?.id ?? newId();
    const now = nowIso();
    const diff = before ? diffFields(before, after, ['rating']) : { before: null, after, changed: Object.keys(after) };
    if (diff) {
      if (existing) {
        db.prepare('UPDATE assessments SET rating = ?, justification = ?, evidence_links = ?, author_id = ?, author_name = ?, updated_at = ? WHERE id = ?').run(
          input.rating,
          input.justification,
          JSON.stringify(input.evidenceLinks),
          who.principal.userId,
          who.principal.name,
          now,
          id,
        );
      } else {
        db.prepare(
          `INSERT INTO assessments (id, plan_id, round_id, target_type, target_id, organisation_id, rating, justification, evidence_links,
                                    author_id, author_name, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, planId, roundId, input.targetType, input.targetId, organisationId, input.rating, input.justification, JSON.stringify(input.evidenceLinks), who.principal.userId, who.principal.name, now, now);
      }
      recordChangeNow(db, {
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
    // Read back inside the save's transaction, which is synchronous: hence the synchronous form.
    const [assessment] = assessmentsInRoundNow(db, planId, roundId, { targetType: input.targetType, targetId: input.targetId }).filter(
      (a) => a.organisation.id === organisationId,
    );
    return { assessment: assessment!, previousRating: existing?.rating ?? null, title, roundName: round.name };
  })();
}
