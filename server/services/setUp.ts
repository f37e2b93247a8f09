import { sql } from 'kysely';
import { createSession } from '../auth/sessions.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict } from '../errors.ts';
import { countUsers, createOrganisation, createUser, rememberBrowserLanguage } from './accounts.ts';
import { createSamplePlan, type SampleRecommendation } from './samplePlan.ts';
import type { Language, Side } from '../../shared/api/index.ts';

export interface SetUpInput {
  name: string;
  email: string;
  /** Hashed before: argon2 is asynchronous, and a transaction awaits nothing but its own queries. */
  passwordHash: string;
  organisation: { name: string; side: Side };
  /** The browser's Accept-Language and User-Agent headers. */
  acceptLanguage: string | undefined;
  userAgent: string | undefined;
  sample: SampleRequest | null;
}

export interface SampleRequest {
  /** The language set-up is done in: the sample is written in it. */
  language: Language;
  /** Read from the sample's file before the transaction (no file is read inside one). */
  recommendations: SampleRecommendation[];
  /**
   * What else the sample writes in set-up's transaction, once its plan exists: its recommendations'
   * import (samplePlan.ts importSampleRecommendations).
   */
  registry?: (tx: Sql, planId: string, userId: string) => Promise<void>;
}

export const alreadySetUp = () => conflict('already_set_up', 'Accord is already set up. Sign in, or ask a coordinator for an invite.');

/**
 * First start: the first person, their organisation (vouched for in every plan they create), their
 * session and, when asked for, the sample plan, in one transaction: a failure anywhere leaves
 * nothing, and Accord still waits to be set up. No person may exist yet, checked inside the
 * transaction: two first visitors at once cannot both become the first.
 */
export async function setUp(q: Sql, input: SetUpInput): Promise<{ userId: string; token: string; samplePlanId: string | null }> {
  return q.transaction(async (tx) => {
    // On PostgreSQL the check holds until the commit only with the table locked against adding
    // people (the lock conflicts with INSERT and with itself): two set-ups at once take turns, and
    // the second finds the first person. SQLite's write transactions take turns already.
    if (tx.engine === 'postgres') await tx.run(sql`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`);
    if ((await countUsers(tx)) > 0) throw alreadySetUp();
    const organisation = await createOrganisation(tx, input.organisation);
    const { id: userId } = await createUser(tx, { name: input.name, email: input.email, passwordHash: input.passwordHash, organisationId: organisation.id });
    await rememberBrowserLanguage(tx, userId, input.acceptLanguage);
    let samplePlanId: string | null = null;
    if (input.sample) {
      samplePlanId = await createSamplePlan(tx, userId, input.sample.recommendations, input.sample.language);
      await input.sample.registry?.(tx, samplePlanId, userId);
    }
    const { token } = await createSession(tx, userId, input.userAgent);
    return { userId, token, samplePlanId };
  });
}
