import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, scalar } from '../db/rows.ts';
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
const ChapterRuleRow = ChapterSignoffRuleSchema.extend({ rule: col.text });
const SectionRuleRow = rowShape({ chapterId: col.text, chapterTitle: col.text, rule: col.nullableText });
const SideCountRow = rowShape({ side: SideSchema, n: col.int });
const SideRow = rowShape({ side: SideSchema });
const OrganisationNameRow = rowShape({ id: col.text, name: col.text });

/** The plan's sign-off rule (DEFAULT_SIGNOFF_RULE unless a coordinator set one). */
export function getRule(db: Db, planId: string): SignoffRule {
  const rule = scalar(db.prepare('SELECT rule FROM plan_signoff_rules WHERE plan_id = ?'), col.text, planId);
  if (rule === undefined) return DEFAULT_SIGNOFF_RULE;
  return SignoffRuleSchema.parse(JSON.parse(rule));
}

/** A chapter's own rule, or null when its sections follow the plan's. */
export function getChapterRule(db: Db, chapterId: string): SignoffRule | null {
  const rule = scalar(db.prepare('SELECT rule FROM chapter_signoff_rules WHERE chapter_id = ?'), col.text, chapterId);
  return rule !== undefined ? SignoffRuleSchema.parse(JSON.parse(rule)) : null;
}

/** The chapters of a plan (not in the bin) that have their own rule, in outline order. */
export function listChapterRules(db: Db, planId: string): ChapterSignoffRule[] {
  const rows = allRows(
    db.prepare(
      `SELECT r.chapter_id AS chapterId, c.title AS chapterTitle, r.rule, r.updated_at AS updatedAt, u.name AS updatedBy
         FROM chapter_signoff_rules r JOIN chapters c ON c.id = r.chapter_id LEFT JOIN users u ON u.id = r.updated_by
        WHERE r.plan_id = ? AND c.deleted_at IS NULL ORDER BY c.position`,
    ),
    ChapterRuleRow,
    planId,
  );
  return rows.map((r) => ({ ...r, rule: SignoffRuleSchema.parse(JSON.parse(r.rule)) }));
}

/** The rule in force for a section: its chapter's own if it has one, else the plan's. */
export function effectiveRule(db: Db, planId: string, sectionId: string): { rule: SignoffRule; source: RuleSource } {
  const row = oneRow(
    db.prepare(
      `SELECT c.id AS chapterId, c.title AS chapterTitle, r.rule FROM sections s JOIN chapters c ON c.id = s.chapter_id
         LEFT JOIN chapter_signoff_rules r ON r.chapter_id = c.id WHERE s.id = ? AND s.plan_id = ?`,
    ),
    SectionRuleRow,
    sectionId,
    planId,
  );
  if (row?.rule) {
    return { rule: SignoffRuleSchema.parse(JSON.parse(row.rule)), source: { scope: 'chapter', chapterId: row.chapterId, chapterTitle: row.chapterTitle } };
  }
  return { rule: getRule(db, planId), source: { scope: 'plan', chapterId: null, chapterTitle: null } };
}

/** Verified organisations per side, coordinators' verified sides, and the plan's organisations' names. */
export function ruleContext(db: Db, planId: string): RuleContext {
  const verified: Partial<Record<Side, number>> = {};
  const counts = allRows(
    db.prepare('SELECT side, count(*) AS n FROM organisation_verifications WHERE plan_id = ? GROUP BY side'),
    SideCountRow,
    planId,
  );
  for (const { side, n } of counts) verified[side] = n;
  const coordinatorSides = allRows(
    db.prepare(
      `SELECT DISTINCT v.side FROM plan_members m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = u.organisation_id
         JOIN organisation_verifications v ON v.plan_id = m.plan_id AND v.organisation_id = o.id AND v.side = o.side
        WHERE m.plan_id = ? AND m.role = 'coordinator'`,
    ),
    SideRow,
    planId,
  ).map((r) => r.side);
  // Every organisation's name: a rule may name one that has since left the plan's list.
  const organisations = new Map(allRows(db.prepare('SELECT id, name FROM organisations'), OrganisationNameRow).map((o) => [o.id, o.name]));
  return { verified, coordinatorSides, organisations };
}
