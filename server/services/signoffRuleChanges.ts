import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { lockRowsForChange } from '../db/sql/locks.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { recordAudit } from './audit.ts';
import { reevaluateUnderRule, type Acting, type AgreementDeps, type Reevaluated } from './agreement.ts';
import { planOrganisations } from './planOrganisations.ts';
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
export async function rulesOverview(q: Sql, planId: string): Promise<SignoffRules> {
  const { verified, coordinatorSides } = await ruleContext(q, planId);
  return { plan: await getRule(q, planId), chapters: await listChapterRules(q, planId), verified, coordinatorSides: [...coordinatorSides] };
}

/** The rule as it will be stored, or 400 naming the field when it can never be met in this plan now. */
async function checkedRule(q: Sql, planId: string, input: SignoffRule): Promise<SignoffRule> {
  const rule = normaliseRule(input);
  const context = await ruleContext(q, planId);
  // Named organisations must be the plan's own (the context knows every organisation's name).
  const organisations = new Map((await planOrganisations(q, planId)).map((o) => [o.id, o.name]));
  const problem = ruleProblem(rule, { ...context, organisations });
  if (problem) throw badRequest(`The request is not valid. ${problem.field}: ${problem.message}`, { [problem.field]: problem.issue });
  return rule;
}

async function names(q: Sql, planId: string): Promise<ReadonlyMap<string, string>> {
  return (await ruleContext(q, planId)).organisations;
}

/**
 * On PostgreSQL, the plan's row locked until the rule change ends (locks.ts), before the rule it
 * replaces is read: two changes of one plan's rules take turns, so each records the rule the other
 * left.
 */
const rulesLocked = (tx: Sql, planId: string) => lockRowsForChange(tx, 'plans', [planId]);

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

async function requireChapter(q: Sql, planId: string, chapterId: string): Promise<{ id: string; title: string }> {
  const chapter = await q.row(ChapterRow, sql`SELECT id, title FROM chapters WHERE id = ${chapterId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!chapter) throw notFound('chapter');
  return chapter;
}

/** Sections in review that follow the plan's rule (their chapter has none of its own), in outline order. */
async function inReviewUnderPlanRule(q: Sql, planId: string): Promise<string[]> {
  const rows = await q.rows(
    IdRow,
    sql`SELECT s.id FROM sections s JOIN chapters c ON c.id = s.chapter_id
         WHERE s.plan_id = ${planId} AND s.status = 'in_review' AND s.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM chapter_signoff_rules r WHERE r.chapter_id = c.id)
         ORDER BY c.position, c.id, s.position, s.id`,
  );
  return rows.map((r) => r.id);
}

async function inReviewInChapter(q: Sql, chapterId: string): Promise<string[]> {
  const rows = await q.rows(
    IdRow,
    sql`SELECT id FROM sections WHERE chapter_id = ${chapterId} AND status = 'in_review' AND deleted_at IS NULL ORDER BY position, id`,
  );
  return rows.map((r) => r.id);
}

/**
 * A change of the rules and its consequences (agreement.ts reevaluateUnderRule): `write` stores it,
 * once the plan's rules are locked, and returns the rule its sections follow now; `record` says
 * what the audit entry `signoff_rule.changed` of `target` tells, knowing which sections it agreed.
 */
async function changeRules<T extends { rule: SignoffRule; source: RuleSource }>(
  deps: AgreementDeps,
  planId: string,
  who: Acting,
  target: { type: 'plan' | 'chapter'; id: string; sectionIds: string[] },
  write: (tx: Sql) => Promise<T>,
  record: (written: T, outcome: Reevaluated, names: ReadonlyMap<string, string>) => { summary: string; details: Record<string, unknown> },
): Promise<SignoffRuleChange> {
  const change = await reevaluateUnderRule(
    deps,
    planId,
    target.sectionIds,
    who,
    async (tx) => {
      await rulesLocked(tx, planId);
      return write(tx);
    },
    async (tx, written, outcome) => {
      const { summary, details } = record(written, outcome, await names(tx, planId));
      await recordAudit(tx, { planId, actor: who.principal, role: who.role, action: 'signoff_rule.changed', targetType: target.type, targetId: target.id, summary, details });
    },
  );
  return answer(change);
}

/** Sets the plan's rule (coordinators); sections that follow it are re-evaluated. */
export async function setPlanRule(deps: AgreementDeps, planId: string, who: Acting, input: SignoffRule): Promise<SignoffRuleChange> {
  requireCoordinator(who);
  const { sql: q } = deps;
  const rule = await checkedRule(q, planId, input);
  return changeRules(
    deps,
    planId,
    who,
    { type: 'plan', id: planId, sectionIds: await inReviewUnderPlanRule(q, planId) },
    async (tx) => {
      const before = await getRule(tx, planId);
      await tx.run(
        sql`INSERT INTO plan_signoff_rules (plan_id, rule, updated_by, updated_at) VALUES (${planId}, ${JSON.stringify(rule)}, ${who.principal.userId}, ${nowIso()})
            ON CONFLICT (plan_id) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      );
      return { rule, source: PLAN_SOURCE, before };
    },
    ({ before }, outcome, named) => ({
      summary: `${who.principal.name} changed the sign-off rule to ${describeRuleForRecord(rule, named)}${consequences(outcome)}`,
      details: { scope: 'plan', before, after: rule, changed: outcome.changed, held: outcome.held },
    }),
  );
}

/** Gives a chapter its own rule, replacing the plan's for its sections (coordinators); they are re-evaluated. */
export async function setChapterRule(deps: AgreementDeps, planId: string, chapterId: string, who: Acting, input: SignoffRule): Promise<SignoffRuleChange> {
  requireCoordinator(who);
  const { sql: q } = deps;
  const chapter = await requireChapter(q, planId, chapterId);
  const rule = await checkedRule(q, planId, input);
  const source: RuleSource = { scope: 'chapter', chapterId, chapterTitle: chapter.title };
  return changeRules(
    deps,
    planId,
    who,
    { type: 'chapter', id: chapterId, sectionIds: await inReviewInChapter(q, chapterId) },
    async (tx) => {
      const before = await getChapterRule(tx, chapterId);
      await tx.run(
        sql`INSERT INTO chapter_signoff_rules (chapter_id, plan_id, rule, updated_by, updated_at)
            VALUES (${chapterId}, ${planId}, ${JSON.stringify(rule)}, ${who.principal.userId}, ${nowIso()})
            ON CONFLICT (chapter_id) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      );
      return { rule, source, before };
    },
    ({ before }, outcome, named) => ({
      summary: `${who.principal.name} set the sign-off rule of the chapter ${quote(chapter.title)} to ${describeRuleForRecord(rule, named)}${consequences(outcome)}`,
      // before null: the chapter followed the plan's rule.
      details: { scope: 'chapter', chapterId, chapterTitle: chapter.title, before, after: rule, changed: outcome.changed, held: outcome.held },
    }),
  );
}

/** Removes a chapter's own rule: its sections follow the plan's again, and are re-evaluated under it. */
export async function removeChapterRule(deps: AgreementDeps, planId: string, chapterId: string, who: Acting): Promise<SignoffRuleChange> {
  requireCoordinator(who);
  const { sql: q } = deps;
  const chapter = await requireChapter(q, planId, chapterId);
  const noRule = () => conflict('no_chapter_rule', `The chapter ${quote(chapter.title)} has no rule of its own: its sections already follow the plan's rule.`);
  if (!(await getChapterRule(q, chapterId))) throw noRule();
  return changeRules(
    deps,
    planId,
    who,
    { type: 'chapter', id: chapterId, sectionIds: await inReviewInChapter(q, chapterId) },
    async (tx) => {
      // Read again under the lock: another coordinator may have removed it a moment ago.
      const before = await getChapterRule(tx, chapterId);
      if (!before) throw noRule();
      await tx.run(sql`DELETE FROM chapter_signoff_rules WHERE chapter_id = ${chapterId}`);
      return { rule: await getRule(tx, planId), source: PLAN_SOURCE, before };
    },
    ({ rule, before }, outcome, named) => ({
      summary: `${who.principal.name} removed the own sign-off rule of the chapter ${quote(chapter.title)}: its sections follow the plan's rule again (${describeRuleForRecord(rule, named)})${consequences(outcome)}`,
      details: { scope: 'chapter', chapterId, chapterTitle: chapter.title, before, after: null, planRule: rule, changed: outcome.changed, held: outcome.held },
    }),
  );
}
