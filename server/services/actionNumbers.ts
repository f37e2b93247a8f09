/**
 * Plan-wide action numbers ("measure 12"), as the exports, the matrix and a decree cite them.
 *
 * Before adoption an action's number is its place in the plan: chapters, sections and actions in
 * their order, all actions counted (also those of sections an agreed-only export leaves out), so
 * an agreed-only export and a full one give the same action the same number. At adoption these
 * numbers are fixed (migration 029) and never change again; an action added afterwards takes the
 * next number after the highest ever given, in the order actions were created, and a deleted
 * action's number stays unused.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { rows, type Steps } from '../db/sql/steps.ts';

const NumberableAction = rowShape({ id: col.text, createdAt: col.text });
export type NumberableAction = z.output<typeof NumberableAction>;
const FixedNumberRow = rowShape({ id: col.text, number: col.int });

/**
 * Numbers for `ordered` (the plan's actions in plan order): the fixed ones where there are any,
 * the rest after the highest fixed number in creation order; without fixed numbers, 1…n in plan order.
 */
export function numberActions(ordered: NumberableAction[], fixed: ReadonlyMap<string, number>): Map<string, number> {
  const numbers = new Map<string, number>();
  if (fixed.size === 0) {
    ordered.forEach((a, i) => numbers.set(a.id, i + 1));
    return numbers;
  }
  let next = Math.max(...fixed.values()) + 1;
  const later: NumberableAction[] = [];
  for (const a of ordered) {
    const n = fixed.get(a.id);
    if (n === undefined) later.push(a);
    else numbers.set(a.id, n);
  }
  later.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  for (const a of later) numbers.set(a.id, next++);
  return numbers;
}

// Ties of position (which the services do not make) go by id, the same way on both engines.
const inPlanOrderQuery = (planId: string) =>
  sql`SELECT a.id, a.created_at AS "createdAt" FROM actions a
        JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
       WHERE a.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL
       ORDER BY c.position, c.id, s.position, s.id, a.position, a.id`;
const fixedQuery = (planId: string) => sql`SELECT action_id AS id, number FROM action_numbers WHERE plan_id = ${planId}`;
const fixedMap = (rows: Array<z.output<typeof FixedNumberRow>>) => new Map(rows.map((r) => [r.id, r.number]));

/** Every action's number as it stands now (steps.ts: read by actions.ts in both forms). */
export function* planActionNumbers(planId: string): Steps<Map<string, number>> {
  return numberActions(yield* rows(NumberableAction, inPlanOrderQuery(planId)), fixedMap(yield* rows(FixedNumberRow, fixedQuery(planId))));
}

/** The numbers fixed at adoption. */
export async function fixedActionNumbers(q: Sql, planId: string): Promise<Map<string, number>> {
  return fixedMap(await q.rows(FixedNumberRow, fixedQuery(planId)));
}

/**
 * Called inside the adoption's transaction (`tx`, monitoring/adoption.ts): the numbers as they
 * stand become the plan's for good.
 */
export async function fixActionNumbers(tx: Sql, planId: string): Promise<void> {
  const numbers = numberActions(await tx.rows(NumberableAction, inPlanOrderQuery(planId)), fixedMap(await tx.rows(FixedNumberRow, fixedQuery(planId))));
  for (const [id, n] of numbers) {
    await tx.run(sql`INSERT INTO action_numbers (plan_id, action_id, number) VALUES (${planId}, ${id}, ${n}) ON CONFLICT DO NOTHING`);
  }
}
