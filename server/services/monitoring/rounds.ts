import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { allRows, col, oneRow, rowShape } from '../../db/rows.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordChangeNow, type Actor, diffFields } from '../history.ts';
import { requireAdopted } from './lifecycle.ts';
import { RoundSchema, type Round } from '../../../shared/api/index.ts';

/** Reporting rounds: the plan's reporting calendar. Opened by coordinators, only after adoption. */

const COLUMNS = 'id, name, due_date AS dueDate, state, created_at AS createdAt';

// Rounds due the same day come in the order they were opened; the id only settles a tie within a
// millisecond, the same way on both engines (PostgreSQL has no rowid).
export function listRounds(db: Db, planId: string): Round[] {
  return allRows(db.prepare(`SELECT ${COLUMNS} FROM reporting_rounds WHERE plan_id = ? ORDER BY due_date, created_at, id`), RoundSchema, planId);
}

/** listRounds on Sql, for the reads moved to it (the progress page). */
export function roundsOf(db: Sql, planId: string): Promise<Round[]> {
  return db.rows(
    RoundSchema,
    sql`SELECT id, name, due_date AS "dueDate", state, created_at AS "createdAt" FROM reporting_rounds WHERE plan_id = ${planId} ORDER BY due_date, created_at, id`,
  );
}

export function getRound(db: Db, planId: string, roundId: string): Round {
  const row = oneRow(db.prepare(`SELECT ${COLUMNS} FROM reporting_rounds WHERE id = ? AND plan_id = ?`), RoundSchema, roundId, planId);
  if (!row) throw notFound('round');
  return row;
}

/** The round, or 409 `round_closed` when it no longer takes reports or assessments. */
export function requireOpenRound(db: Db, planId: string, roundId: string): Round {
  const round = getRound(db, planId, roundId);
  if (round.state !== 'open') throw conflict('round_closed', `The round “${round.name}” is closed: it no longer takes reports or assessments.`);
  return round;
}

const ActDateRow = rowShape({ actDate: col.text });

/** Reports are due after the plan was adopted: a due date before the adopting act is a typing slip. */
function requireDueAfterAdoption(db: Db, planId: string, dueDate: string): void {
  const adopted = oneRow(db.prepare('SELECT act_date AS actDate FROM plan_adoptions WHERE plan_id = ?'), ActDateRow, planId);
  if (adopted && dueDate < adopted.actDate) {
    throw badRequest(`Reports cannot be due before the plan was adopted (${adopted.actDate}).`, { dueDate: { code: 'adopted_before', params: { date: adopted.actDate } } });
  }
}

export function createRound(db: Db, planId: string, who: Actor, input: { name: string; dueDate: string }): Round {
  requireAdopted(db, planId);
  requireDueAfterAdoption(db, planId, input.dueDate);
  const round: Round = { id: newId(), name: input.name, dueDate: input.dueDate, state: 'open', createdAt: nowIso() };
  db.transaction(() => {
    db.prepare('INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      round.id,
      planId,
      round.name,
      round.dueDate,
      round.state,
      who.principal.userId,
      round.createdAt,
    );
    recordChangeNow(db, {
      planId,
      who,
      action: 'round.created',
      targetType: 'round',
      targetId: round.id,
      summary: `${who.principal.name} opened the reporting round “${round.name}”, due ${round.dueDate}`,
      before: null,
      after: { name: round.name, dueDate: round.dueDate, state: round.state },
    });
  })();
  return round;
}

export function updateRound(db: Db, planId: string, roundId: string, who: Actor, patch: Partial<Pick<Round, 'name' | 'dueDate' | 'state'>>): Round {
  const before = getRound(db, planId, roundId);
  if (patch.dueDate !== undefined) requireDueAfterAdoption(db, planId, patch.dueDate);
  const after: Round = { ...before, ...patch };
  const pick = (r: Round) => ({ name: r.name, dueDate: r.dueDate, state: r.state });
  const diff = diffFields(pick(before), pick(after), ['name']);
  if (!diff) return before;
  db.transaction(() => {
    db.prepare('UPDATE reporting_rounds SET name = ?, due_date = ?, state = ? WHERE id = ?').run(after.name, after.dueDate, after.state, roundId);
    const verb = before.state !== after.state ? (after.state === 'closed' ? 'closed' : 'reopened') : 'changed';
    recordChangeNow(db, {
      planId,
      who,
      action: 'round.updated',
      targetType: 'round',
      targetId: roundId,
      summary: `${who.principal.name} ${verb} the reporting round “${after.name}”`,
      ...diff,
    });
  })();
  return after;
}
