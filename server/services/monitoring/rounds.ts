import { sql } from 'kysely';
import type { Sql } from '../../db/sql/Sql.ts';
import { col, rowShape } from '../../db/rows.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordChange, type Actor, diffFields } from '../history.ts';
import { requireAdopted } from './lifecycle.ts';
import { RoundSchema, type Round } from '../../../shared/api/index.ts';

/**
 * Reporting rounds: the plan's reporting calendar. Opened by coordinators, only after adoption.
 * On Sql (decision 0011).
 */

const COLUMNS = sql`id, name, due_date AS "dueDate", state, created_at AS "createdAt"`;

// Rounds due the same day come in the order they were opened; the id only settles a tie within a
// millisecond, the same way on both engines (PostgreSQL has no rowid).
const roundsQuery = (planId: string) => sql`SELECT ${COLUMNS} FROM reporting_rounds WHERE plan_id = ${planId} ORDER BY due_date, created_at, id`;

export function listRounds(q: Sql, planId: string): Promise<Round[]> {
  return q.rows(RoundSchema, roundsQuery(planId));
}

export async function getRound(q: Sql, planId: string, roundId: string): Promise<Round> {
  const row = await q.row(RoundSchema, sql`SELECT ${COLUMNS} FROM reporting_rounds WHERE id = ${roundId} AND plan_id = ${planId}`);
  if (!row) throw notFound('round');
  return row;
}

/** The round, or 409 `round_closed` when it no longer takes reports or assessments. */
export async function requireOpenRound(q: Sql, planId: string, roundId: string): Promise<Round> {
  const round = await getRound(q, planId, roundId);
  if (round.state !== 'open') throw conflict('round_closed', `The round “${round.name}” is closed: it no longer takes reports or assessments.`);
  return round;
}

const ActDateRow = rowShape({ actDate: col.text });

/** Reports are due after the plan was adopted: a due date before the adopting act is a typing slip. */
async function requireDueAfterAdoption(q: Sql, planId: string, dueDate: string): Promise<void> {
  const adopted = await q.row(ActDateRow, sql`SELECT act_date AS "actDate" FROM plan_adoptions WHERE plan_id = ${planId}`);
  if (adopted && dueDate < adopted.actDate) {
    throw badRequest(`Reports cannot be due before the plan was adopted (${adopted.actDate}).`, { dueDate: { code: 'adopted_before', params: { date: adopted.actDate } } });
  }
}

export async function createRound(q: Sql, planId: string, who: Actor, input: { name: string; dueDate: string }): Promise<Round> {
  return q.transaction(async (tx) => {
    await requireAdopted(tx, planId);
    await requireDueAfterAdoption(tx, planId, input.dueDate);
    const round: Round = { id: newId(), name: input.name, dueDate: input.dueDate, state: 'open', createdAt: nowIso() };
    await tx.run(
      sql`INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at)
          VALUES (${round.id}, ${planId}, ${round.name}, ${round.dueDate}, ${round.state}, ${who.principal.userId}, ${round.createdAt})`,
    );
    await recordChange(tx, {
      planId,
      who,
      action: 'round.created',
      targetType: 'round',
      targetId: round.id,
      summary: `${who.principal.name} opened the reporting round “${round.name}”, due ${round.dueDate}`,
      before: null,
      after: { name: round.name, dueDate: round.dueDate, state: round.state },
    });
    return round;
  });
}

export async function updateRound(q: Sql, planId: string, roundId: string, who: Actor, patch: Partial<Pick<Round, 'name' | 'dueDate' | 'state'>>): Promise<Round> {
  return q.transaction(async (tx) => {
    const before = await getRound(tx, planId, roundId);
    if (patch.dueDate !== undefined) await requireDueAfterAdoption(tx, planId, patch.dueDate);
    const after: Round = { ...before, ...patch };
    const pick = (r: Round) => ({ name: r.name, dueDate: r.dueDate, state: r.state });
    const diff = diffFields(pick(before), pick(after), ['name']);
    if (!diff) return before;
    await tx.run(sql`UPDATE reporting_rounds SET name = ${after.name}, due_date = ${after.dueDate}, state = ${after.state} WHERE id = ${roundId}`);
    const verb = before.state !== after.state ? (after.state === 'closed' ? 'closed' : 'reopened') : 'changed';
    await recordChange(tx, {
      planId,
      who,
      action: 'round.updated',
      targetType: 'round',
      targetId: roundId,
      summary: `${who.principal.name} ${verb} the reporting round “${after.name}”`,
      ...diff,
    });
    return after;
  });
}
