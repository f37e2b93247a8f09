import Database from 'better-sqlite3';
import { migrate, type Db } from '../../server/db/database.ts';
import { createOrganisationNow, createUserNow } from '../../server/services/accounts.ts';
import { createPlan } from '../../server/services/plans.ts';

/** A migrated database in memory with one plan about Belarus, created by Olga of the Ministry (government). */
export function memoryPlan(): { db: Db; userId: string; planId: string } {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const org = createOrganisationNow(db, { name: 'MFA', side: 'government' });
  const userId = createUserNow(db, { name: 'Olga', email: 'olga@mfa.example', passwordHash: 'x', organisationId: org.id }).id;
  const planId = createPlan(db, userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  return { db, userId, planId };
}
