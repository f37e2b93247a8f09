import Database from 'better-sqlite3';
import { migrate, type Db } from '../../server/db/database.ts';
import { createOrganisation, createUser } from '../../server/services/accounts.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { createPlan } from '../../server/services/plans.ts';

/** A migrated database in memory with one plan about Belarus, created by Olga of the Ministry (government). */
export async function memoryPlan(): Promise<{ db: Db; userId: string; planId: string }> {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const q = sqliteSql(db);
  const org = await createOrganisation(q, { name: 'MFA', side: 'government' });
  const userId = (await createUser(q, { name: 'Olga', email: 'olga@mfa.example', passwordHash: 'x', organisationId: org.id })).id;
  const planId = await createPlan(q, userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  return { db, userId, planId };
}
