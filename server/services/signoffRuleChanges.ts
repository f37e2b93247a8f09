import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { recordAuditNow } from './audit.ts';
import { reevaluateUnderRule, type Acting, type AgreementDeps, type Reevaluated } from './agreement.ts';
import { listPlanOrganisations } from './planOrganisations.ts';
import { getChapterRule, getRule, listChapterRules, ruleContext } from './signoffRuleStore.ts';
import { describeRuleForRecord, normaliseRule, ruleProblem } from './signoffRules.ts';
import type { RuleSource, SignoffRule, SignoffRuleChange, SignoffRules } from '../../shared/api/index.ts';

/**
 * Changing sign-off rules (coordinators): the plan's, and a chapter's own, which replaces the
 * plan's for the chapter's sections until it is removed. A change re-evaluates the sections in
 * review under it at once (agreement.ts reevaluateUnderRule): those whose current signatures meet
 * the new rule become agreed, and the answer and the audit entry `signoff_rule.changed` list them.
 * Sections already agreed stay agreed: they were agreed under the rule in force at the time, and
 * only a coordinator's reopening (with a reason) undoes an agreement.
 */

const ChapterRow = rowShape({ id: col.text, title: col.text });
const IdRow = rowShape({ id: col.text });

const quote = (title: string) => `“${title}”`;
const PLAN_SOURCE: RuleSource = { scope: 'plan', chapterId: null, chapterTitle: null };
/** Only what the answer promises (not the rule before, which is for the record). */
const answer = ({ rule, source, changed, held }: SignoffRuleChange): SignoffRuleChange => ({ rule, source, changed, held });

/** The plan's rule, the chapters' own, verified organisations per side and coordinators' sides (any member reads). */
export function rulesOverview(db: Db, planId: string): SignoffRules {
  const { verified, coordinatorSides } = ruleContext(db, planId);
  return { plan: getRule(db, planId), chapters: listChapterRules(db, planId), verified, coordinatorSides: [...coordinatorSides] };
}

/** The rule as it will be stored, or 400 naming the field when it can never be met in this plan now. */
function checkedRule(db: Db, planId: string, input: SignoffRule): SignoffRule {
  const rule = normaliseRule(input);
  const context = ruleContext(db, planId);
  // Named organisations must be the plan's own (the context knows every organisation's name).
  const organisations = new Map(listPlanOrganisations(db, planId).map((o) => [o.id, o.name]));
  const problem = ruleProblem(rule, { ...context, organisations });
  if (problem) throw badRequest(`The request is not valid. ${problem.field}: ${problem.message}`, { [problem.field]: problem.issue });
  return rule;
}

function names(db: Db, planId: string): ReadonlyMap<string, string> {
  return ruleContext(db, planId).organisations;
}

/** "; 2 sections became agreed: “A”, “B”" (empty when none did), for audit summaries. */
function consequences(outcome: Reevaluated): string {
  const { changed, held } = outcome;
  const parts: string[] = [];
  if (changed.length > 0) {
    parts.push(`${changed.length} section${changed.length === 1 ? '' : 's'} became agreed: ${changed.map((c) => quote(c.title)).join(', ')}`);
  }
  if (held.length > 0) {
    parts.push(`${held.length} would have but for open suggestions: ${held.map((c) => quote(c.title)).join(', ')}`);
  }
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}

function requireCoordinator(who: Acting): void {
  if (who.role !== 'coordinator') throw forbidden('Only a coordinator can change who must sign.', 'coordinator_only');
}

function requireChapter(db: Db, planId: string, chapterId: string): { id: string; title: string } {
  const stmt = db.prepare('SELECT id, title FROM chapters WHERE id = ? AND plan_id = ? AND deleted_at IS NULL');
  const chapter = oneRow(stmt, ChapterRow, chapterId, planId);
  if (!chapter) throw notFound('chapter');
  return chapter;
}

/** Sections in review that follow the plan's rule (their chapter has none of its own), in outline order. */
function inReviewUnderPlanRule(db: Db, planId: string): string[] {
  return allRows(
    db.prepare(
      `SELECT s.id FROM sections s JOIN chapters c ON c.id = s.chapter_id
        WHERE s.plan_id = ? AND s.status = 'in_review' AND s.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM chapter_signoff_rules r WHERE r.chapter_id = c.id)
        ORDER BY c.position, s.position`,
    ),
    IdRow,
    planId,
  ).map((r) => r.id);
}

function inReviewInChapter(db: Db, chapterId: string): string[] {
  return allRows(
    db.prepare(`SELECT id FROM sections WHERE chapter_id = ? AND status = 'in_review' AND deleted_at IS NULL ORDER BY position`),
    IdRow,
    chapterId,
  ).map((r) => r.id);
}

/** Sets the plan's rule (coordinators); sections that follow it are re-evaluated. */
export function setPlanRule(deps: AgreementDeps, planId: string, who: Acting, input: SignoffRule): SignoffRuleChange {
  requireCoordinator(who);
  const { db } = deps;
  const rule = checkedRule(db, planId, input);
  return answer(reevaluateUnderRule(
    deps,
    planId,
    inReviewUnderPlanRule(db, planId),
    who,
    () => {
      const before = getRule(db, planId);
      db.prepare(
        `INSERT INTO plan_signoff_rules (plan_id, rule, updated_by, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ).run(planId, JSON.stringify(rule), who.principal.userId, nowIso());
      return { rule, source: PLAN_SOURCE, before };
    },
    ({ before }, outcome) => {
      recordAuditNow(db, {
        planId,
        actor: who.principal,
        role: who.role,
        action: 'signoff_rule.changed',
        targetType: 'plan',
        targetId: planId,
        summary: `${who.principal.name} changed the sign-off rule to ${describeRuleForRecord(rule, names(db, planId))}${consequences(outcome)}`,
        details: { scope: 'plan', before, after: rule, changed: outcome.changed, held: outcome.held },
      });
    },
  ));
}

/** Gives a chapter its own rule, replacing the plan's for its sections (coordinators); they are re-evaluated. */
export function setChapterRule(deps: AgreementDeps, planId: string, chapterId: string, who: Acting, input: SignoffRule): SignoffRuleChange {
  requireCoordinator(who);
  const { db } = deps;
  const chapter = requireChapter(db, planId, chapterId);
  const rule = checkedRule(db, planId, input);
  const source: RuleSource = { scope: 'chapter', chapterId, chapterTitle: chapter.title };
  return answer(reevaluateUnderRule(
    deps,
    planId,
    inReviewInChapter(db, chapterId),
    who,
    () => {
      const before = getChapterRule(db, chapterId);
      db.prepare(
        `INSERT INTO chapter_signoff_rules (chapter_id, plan_id, rule, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chapter_id) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ).run(chapterId, planId, JSON.stringify(rule), who.principal.userId, nowIso());
      return { rule, source, before };
    },
    ({ before }, outcome) => {
      recordAuditNow(db, {
        planId,
        actor: who.principal,
        role: who.role,
        action: 'signoff_rule.changed',
        targetType: 'chapter',
        targetId: chapterId,
        summary: `${who.principal.name} set the sign-off rule of the chapter ${quote(chapter.title)} to ${describeRuleForRecord(rule, names(db, planId))}${consequences(outcome)}`,
        // before null: the chapter followed the plan's rule.
        details: { scope: 'chapter', chapterId, chapterTitle: chapter.title, before, after: rule, changed: outcome.changed, held: outcome.held },
      });
    },
  ));
}

/** Removes a chapter's own rule: its sections follow the plan's again, and are re-evaluated under it. */
export function removeChapterRule(deps: AgreementDeps, planId: string, chapterId: string, who: Acting): SignoffRuleChange {
  requireCoordinator(who);
  const { db } = deps;
  const chapter = requireChapter(db, planId, chapterId);
  const before = getChapterRule(db, chapterId);
  if (!before) throw conflict('no_chapter_rule', `The chapter ${quote(chapter.title)} has no rule of its own: its sections already follow the plan's rule.`);
  return answer(reevaluateUnderRule(
    deps,
    planId,
    inReviewInChapter(db, chapterId),
    who,
    () => {
      db.prepare('DELETE FROM chapter_signoff_rules WHERE chapter_id = ?').run(chapterId);
      return { rule: getRule(db, planId), source: PLAN_SOURCE };
    },
    ({ rule }, outcome) => {
      recordAuditNow(db, {
        planId,
        actor: who.principal,
        role: who.role,
        action: 'signoff_rule.changed',
        targetType: 'chapter',
        targetId: chapterId,
        summary: `${who.principal.name} removed the own sign-off rule of the chapter ${quote(chapter.title)}: its sections follow the plan's rule again (${describeRuleForRecord(rule, names(db, planId))})${consequences(outcome)}`,
        details: { scope: 'chapter', chapterId, chapterTitle: chapter.title, before, after: null, planRule: rule, changed: outcome.changed, held: outcome.held },
      });
    },
  ));
}
