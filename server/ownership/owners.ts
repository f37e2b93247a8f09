import { randomUUID } from 'node:crypto';

/**
 * Who runs long work (an import's commit or undo, an export): every process has an id of its own,
 * written with the work it starts, and can tell which owners are still running. Work whose owner
 * has stopped is half done for ever unless another process finishes or reverses it
 * (server/ownership/abandonedWork.ts). With several processes the answer comes from their heartbeats in
 * Redis (server/cluster/redisCluster.ts); a process on its own is the only one alive.
 */
export interface WorkOwners {
  /** This process's id. */
  readonly id: string;
  /** Of these owners, the ones running now. */
  living(owners: readonly string[]): Promise<Set<string>>;
}

/** A process with no other: every owner but itself has stopped. */
export function soleOwner(id: string = randomUUID()): WorkOwners {
  return { id, living: async (owners) => new Set(owners.filter((o) => o === id)) };
}
