import { openDatabase, type Db } from '../../server/db/database.ts';
import { EventBus } from '../../server/events.ts';
import { createOrganisation, createUser } from '../../server/services/accounts.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import type { Acting } from '../../server/services/agreement.ts';
import { principalOfNow } from '../../server/services/audit.ts';
import { addMember } from '../../server/services/members.ts';
import { addChapter, addSection, createPlan } from '../../server/services/plans.ts';
import { verifyOrganisation } from '../../server/services/verification.ts';
import { appendBlocks } from '../../shared/doc/schema.ts';
import { MemoryDocuments } from './memoryDocuments.ts';

/**
 * A plan drafted by both sides, made through the real services on a database in memory, with its
 * section documents in memory (MemoryDocuments): what the domain's rules need, and no server.
 *
 * Olga (Ministry of Foreign Affairs, government) created it and coordinates it; Ales (Viasna,
 * civil society) drafts, and Olga has verified Viasna, so under the default rule (both sides sign)
 * their two signatures agree a section.
 */
export interface DomainPlan {
  db: Db;
  events: EventBus;
  documents: MemoryDocuments;
  deps: { db: Db; sql: Sql; sync: MemoryDocuments; events: EventBus };
  planId: string;
  sectionId: string;
  olga: Acting;
  ales: Acting;
}

export const FIRST_TEXT = 'The State will abolish the death penalty.';

export async function domainPlan(): Promise<DomainPlan> {
  const db = openDatabase(':memory:');
  const events = new EventBus();
  const documents = new MemoryDocuments(db, events);
  const q = sqliteSql(db);
  const person = async (name: string, organisation: string, side: 'government' | 'civil_society') => {
    const org = await createOrganisation(q, { name: organisation, side });
    return (await createUser(q, { name, email: `${name.toLowerCase()}@example.org`, passwordHash: 'x', organisationId: org.id })).id;
  };
  const olgaId = await person('Olga', 'Ministry of Foreign Affairs', 'government');
  const alesId = await person('Ales', 'Viasna', 'civil_society');
  const planId = await createPlan(q, olgaId, { title: 'National Human Rights Action Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }, 'empty');
  const chapterId = await addChapter(q, planId, 'Right to life');
  const sectionId = await addSection(q, planId, chapterId, 'Death penalty', (doc) => appendBlocks(doc, [{ type: 'paragraph', text: FIRST_TEXT }]));
  await addMember(q, planId, alesId, 'drafter');
  const acting = (userId: string, role: Acting['role']): Acting => ({ principal: principalOfNow(db, userId)!, role });
  const olga = acting(olgaId, 'coordinator');
  await verifyOrganisation(q, planId, olga, acting(alesId, 'drafter').principal.organisationId);
  return {
    db,
    events,
    documents,
    deps: { db, sql: sqliteSql(db), sync: documents, events },
    planId,
    sectionId,
    olga,
    ales: acting(alesId, 'drafter'),
  };
}

/** The error `run` throws (or its promise rejects with); fails the test when there is none. */
export const rejection = async (run: () => unknown): Promise<unknown> => {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
};
