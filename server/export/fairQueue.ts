/**
 * Which export runs next. Waiting exports are kept per plan and plans take turns (round-robin),
 * each with at most `maxRunningPerPlan` running: one plan's queue of big exports never holds
 * another plan's small one behind it, and with two or more slots another plan always finds one
 * free unless several plans are busy at once. Caps on how many exports one person and one plan may
 * have waiting or running keep a single member from filling the queue.
 */
import { HttpError } from '../errors.ts';

export interface QueuedExport {
  planId: string;
  createdBy: string;
}

export interface FairQueueLimits {
  maxRunning: number;
  maxRunningPerPlan: number;
  maxPendingPerPerson: number;
  maxPendingPerPlan: number;
}

export type Refusal = { code: 'export_limit_person' | 'export_limit_plan'; max: number };

/** The 429 a refused export is answered with (plan exports and progress reports alike). */
export function refusalError(refusal: Refusal): HttpError {
  const message =
    refusal.code === 'export_limit_person'
      ? `You already have ${refusal.max} exports waiting or being made; start another once one has finished.`
      : `This plan already has ${refusal.max} exports waiting or being made; start another once one has finished.`;
  return new HttpError(429, refusal.code, message, undefined, { max: refusal.max });
}

export class FairQueue<T extends QueuedExport> {
  /** Plan → its waiting exports, oldest first; a plan moves to the back of the map each time it is served. */
  private readonly waiting = new Map<string, T[]>();
  private readonly runningByPlan = new Map<string, number>();
  /** Waiting and running: what the caps count. */
  private readonly active = new Set<T>();
  private running = 0;

  constructor(private readonly limits: FairQueueLimits) {}

  /** Why this person may not add an export to this plan now, or null if they may. */
  refusal(planId: string, userId: string): Refusal | null {
    let mine = 0;
    let plan = 0;
    for (const job of this.active) {
      if (job.createdBy === userId) mine++;
      if (job.planId === planId) plan++;
    }
    if (mine >= this.limits.maxPendingPerPerson) return { code: 'export_limit_person', max: this.limits.maxPendingPerPerson };
    if (plan >= this.limits.maxPendingPerPlan) return { code: 'export_limit_plan', max: this.limits.maxPendingPerPlan };
    return null;
  }

  /**
   * Counts the export against the caps before it may be taken: while its row is being written (an
   * await), another request of the same person is measured with it. Then `add`, or `drop`.
   */
  reserve(job: T): void {
    this.active.add(job);
  }

  add(job: T): void {
    this.active.add(job);
    const list = this.waiting.get(job.planId);
    if (list) list.push(job);
    else this.waiting.set(job.planId, [job]);
  }

  /** The next export to start (now counted as running), or null while none may. */
  take(): T | null {
    if (this.running >= this.limits.maxRunning) return null;
    for (const [planId, list] of this.waiting) {
      const planRunning = this.runningByPlan.get(planId) ?? 0;
      if (planRunning >= this.limits.maxRunningPerPlan) continue;
      const job = list.shift()!;
      // Re-inserting moves the plan behind the others: they are served before its next export.
      this.waiting.delete(planId);
      if (list.length > 0) this.waiting.set(planId, list);
      this.runningByPlan.set(planId, planRunning + 1);
      this.running++;
      return job;
    }
    return null;
  }

  /** A running export has ended (done, failed, timed out or stopped). */
  finished(job: T): void {
    if (!this.active.delete(job)) return;
    const planRunning = (this.runningByPlan.get(job.planId) ?? 1) - 1;
    if (planRunning > 0) this.runningByPlan.set(job.planId, planRunning);
    else this.runningByPlan.delete(job.planId);
    this.running--;
  }

  /** An export that never started leaves the queue (it failed before its turn). */
  drop(job: T): void {
    if (!this.active.delete(job)) return;
    const list = this.waiting.get(job.planId);
    const at = list?.indexOf(job) ?? -1;
    if (list && at >= 0) {
      list.splice(at, 1);
      if (list.length === 0) this.waiting.delete(job.planId);
    }
  }
}
