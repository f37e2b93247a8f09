import type { Db } from '../../db/database.ts';
import { monitoringBody, planAdoption, planStage } from './lifecycle.ts';
import { listRounds } from './rounds.ts';
import type { PlanLifecycle } from '../../../shared/api/index.ts';

/**
 * A plan's life after agreement in one answer: its stage, adoption, monitoring body and rounds.
 * Apart from lifecycle.ts, because rounds need the stage rules (requireAdopted) that live there.
 */
export function getLifecycle(db: Db, planId: string): PlanLifecycle {
  return { stage: planStage(db, planId), adoption: planAdoption(db, planId), monitoringBody: monitoringBody(db, planId), rounds: listRounds(db, planId) };
}
