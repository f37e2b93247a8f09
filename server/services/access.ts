import type { Db } from '../db/database.ts';
import type { Role } from '../../shared/api/index.ts';

/** The person's role in a plan, or null when they are not a member. */
export function roleInPlan(db: Db, planId: string, userId: string): Role | null {
  const row = db.prepare('SELECT role FROM plan_members WHERE plan_id = ? AND user_id = ?').get(planId, userId) as
    | { role: Role }
    | undefined;
  return row?.role ?? null;
}

/**
 * The plan a section belongs to and whether it is in the bin, or null when there is no such
 * section (purged from the bin included).
 */
export function planOfSection(db: Db, sectionId: string): { planId: string; inBin: boolean } | null {
  const row = db.prepare('SELECT plan_id AS planId, deleted_at IS NOT NULL AS inBin FROM sections WHERE id = ?').get(sectionId) as
    | { planId: string; inBin: number }
    | undefined;
  return row ? { planId: row.planId, inBin: row.inBin === 1 } : null;
}
