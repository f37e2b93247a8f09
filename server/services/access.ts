import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import { rowNow } from '../db/sql/sqliteNow.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { RoleSchema, type Role } from '../../shared/api/index.ts';

const RoleRow = rowShape({ role: RoleSchema });
const roleQuery = (planId: string, userId: string) => sql`SELECT role FROM plan_members WHERE plan_id = ${planId} AND user_id = ${userId}`;

/** The person's role in a plan, or null when they are not a member. */
export async function roleInPlan(q: Sql, planId: string, userId: string): Promise<Role | null> {
  return (await q.row(RoleRow, roleQuery(planId, userId)))?.role ?? null;
}

/** roleInPlan for synchronous callers (decision 0011): the same query. */
export function roleInPlanNow(db: Db, planId: string, userId: string): Role | null {
  return rowNow(db, RoleRow, roleQuery(planId, userId))?.role ?? null;
}

const SectionPlanRow = rowShape({ planId: col.text, inBin: col.bool });
const sectionPlanQuery = (sectionId: string) =>
  sql`SELECT plan_id AS "planId", ${flag(sql`deleted_at IS NOT NULL`)} AS "inBin" FROM sections WHERE id = ${sectionId}`;

/**
 * The plan a section belongs to and whether it is in the bin, or null when there is no such
 * section (purged from the bin included).
 */
export async function planOfSection(q: Sql, sectionId: string): Promise<{ planId: string; inBin: boolean } | null> {
  return (await q.row(SectionPlanRow, sectionPlanQuery(sectionId))) ?? null;
}

/** planOfSection for synchronous callers (decision 0011): the same query. */
export function planOfSectionNow(db: Db, sectionId: string): { planId: string; inBin: boolean } | null {
  return rowNow(db, SectionPlanRow, sectionPlanQuery(sectionId)) ?? null;
}
