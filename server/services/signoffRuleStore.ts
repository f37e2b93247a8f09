import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import {
  ChapterSignoffRuleSchema,
  DEFAULT_SIGNOFF_RULE,
  type ChapterSignoffRule,
  type RuleSource,
  type Side,
  SideSchema,
  type SignoffRule,
  SignoffRuleSchema,
} from '../../shared/api/index.ts';
import type { RuleContext } from './signoffRules.ts';

/**
 * Reading sign-off rules: the plan's (plan_signoff_rules, migration 005), a chapter's own
 * (chapter_signoff_rules, migration 017), and which one is in force for a section. Changing them
 * is in signoffRuleChanges.ts.
 */

// Rules are stored as JSON text, parsed against SignoffRuleSchema once read.
const RuleRow = rowShape({ rule: col.text });
const ChapterRuleRow = ChapterSignoffRuleSchema.extend({ rule: col.text });
const SectionRuleRow = rowShape({ chapterId: col.text, chapterTitle: col.text, rule: col.nullableText });
const SideCountRow = rowShape({ side: SideSchema, n: col.int });
const SideRow = rowShape({ side: SideSchema });
const OrganisationNameRow = rowShape({ id: col.text, name: col.text });

const parsed = (rule: string): SignoffRule => SignoffRuleSchema.parse(JSON.parse(rule));

/** The plan's sign-off rule (DEFAULT_SIGNOFF_RULE unless a coordinator set one). */
export async function getRule(q: Sql, planId: string): Promise<SignoffRule> {
  const row = await q.row(RuleRow, sql`SELECT rule FROM plan_signoff_rules WHERE plan_id = ${planId}`);
  return row ? parsed(row.rule) : DEFAULT_SIGNOFF_RULE;
}

/** A chapter's own rule, or null when its sections follow the plan's. */
export async function getChapterRule(q: Sql, chapterId: string): Promise<SignoffRule | null> {
  const row = await q.row(RuleRow, sql`SELECT rule FROM chapter_signoff_rules WHERE chapter_id = ${chapterId}`);
  return row ? parsed(row.rule) : null;
}

/** The chapters of a plan (not in the bin) that have their own rule, in outline order. */
export async function listChapterRules(q: Sql, planId: string): Promise<ChapterSignoffRule[]> {
  const rows = await q.rows(
    ChapterRuleRow,
    sql`SELECT r.chapter_id AS "chapterId", c.title AS "chapterTitle", r.rule, r.updated_at AS "updatedAt", u.name AS "updatedBy"
          FROM chapter_signoff_rules r JOIN chapters c ON c.id = r.chapter_id LEFT JOIN users u ON u.id = r.updated_by
         WHERE r.plan_id = ${planId} AND c.deleted_at IS NULL ORDER BY c.position, c.id`,
  );
  return rows.map((r) => ({ ...r, rule: parsed(r.rule) }));
}

/** The rule in force for a section: its chapter's own if it has one, else the plan's. */
export async function effectiveRule(q: Sql, planId: string, sectionId: string): Promise<{ rule: SignoffRule; source: RuleSource }> {
  const row = await q.row(
    SectionRuleRow,
    sql`SELECT c.id AS "chapterId", c.title AS "chapterTitle", r.rule FROM sections s JOIN chapters c ON c.id = s.chapter_id
          LEFT JOIN chapter_signoff_rules r ON r.chapter_id = c.id WHERE s.id = ${sectionId} AND s.plan_id = ${planId}`,
  );
  if (row?.rule) {
    return { rule: parsed(row.rule), source: { scope: 'chapter', chapterId: row.chapterId, chapterTitle: row.chapterTitle } };
  }
  return { rule: await getRule(q, planId), source: { scope: 'plan', chapterId: null, chapterTitle: null } };
}

/** Verified organisations per side, coordinators' verified sides, and the plan's organisations' names. */
export async function ruleContext(q: Sql, planId: string): Promise<RuleContext> {
  const verified: Partial<Record<Side, number>> = {};
  const counts = await q.rows(
    SideCountRow,
    sql`SELECT side, count(*) AS n FROM organisation_verifications WHERE plan_id = ${planId} GROUP BY side ORDER BY side`,
  );
  for (const { side, n } of counts) verified[side] = n;
  const coordinatorSides = (
    await q.rows(
      SideRow,
      sql`SELECT DISTINCT v.side FROM plan_members m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = u.organisation_id
            JOIN organisation_verifications v ON v.plan_id = m.plan_id AND v.organisation_id = o.id AND v.side = o.side
           WHERE m.plan_id = ${planId} AND m.role = 'coordinator' ORDER BY v.side`,
    )
  ).map((r) => r.side);
  // Every organisation's name: a rule may name one that has since left the plan's list.
  const organisations = new Map((await q.rows(OrganisationNameRow, sql`SELECT id, name FROM organisations`)).map((o) => [o.id, o.name]));
  return { verified, coordinatorSides, organisations };
}
