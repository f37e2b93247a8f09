import type { Sql } from '../../db/sql/Sql.ts';
import { monitoringBody, planAdoption, planStage } from './lifecycle.ts';
import { listRounds } from './rounds.ts';
import type { PlanLifecycle } from '../../../shared/api/index.ts';

/**
 * A plan's life after agreement in one answer: its stage, adoption, monitoring body and rounds.
 * Apart from lifecycle.ts, because rounds need the stage rules (requireAdopted) that live there.
 * Read in one snapshot, so the four parts are of one moment on PostgreSQL too.
 */
export function getLifecycle(q: Sql, planId: string): Promise<PlanLifecycle> {
  return q.transaction(
    async (tx) => ({ stage: await planStage(tx, planId), adoption: await planAdoption(tx, planId), monitoringBody: await monitoringBody(tx, planId), rounds: await listRounds(tx, planId) }),
    { snapshot: true },
  );
}
