import type { Db } from '../db/database.ts';
import { col, oneRow, rowShape, scalar } from '../db/rows.ts';
import { RoleSchema, type Role } from '../../shared/api/index.ts';

/** The person's role in a plan, or null when they are not a member. */
export function roleInPlan(db: Db, planId: string, userId: string): Role | null {
  return scalar(db.prepare('SELECT role FROM plan_members WHERE plan_id = ? AND user_id = ?'), RoleSchema, planId, userId) ?? null;
}

const SectionPlanRow = rowShape({ planId: col.text, inBin: col.bool });

/**
 * The plan a section belongs to and whether it is in the bin, or null when there is no such
 * section (purged from the bin included).
 */
export function planOfSection(db: Db, sectionId: string): { planId: string; inBin: boolean } | null {
  const stmt = db.prepare('SELECT plan_id AS planId, deleted_at IS NOT NULL AS inBin FROM sections WHERE id = ?');
  return oneRow(stmt, SectionPlanRow, sectionId) ?? null;
}
