import type { Sql } from '../db/sql/Sql.ts';
import { decidedSuggestionIds } from '../services/suggestions.ts';
import { isOrganisationVerified } from '../services/verification.ts';

/**
 * What the sync server's hooks ask synchronously, on paths too hot to wait for a database a server
 * away (every presence update, every keystroke), read through Sql ahead of time: when a person is
 * admitted (an awaited step already) and again after the commit of whatever changes the answer, as
 * announced in every process (server/events.ts). In between, the last answer read is given.
 */

/**
 * Whether an organisation is verified for a plan, per plan and organisation. Read when one of its
 * people is admitted and when a verification is given or withdrawn; of two reads of one pair under
 * way, the one started last is kept (it began after the latest commit it was started for), so two
 * changes in quick succession end with the latest, whatever order the answers come back in.
 */
export class VerifiedOrganisations {
  private readonly known = new Map<string, boolean>();
  private readonly latestRead = new Map<string, number>();
  private reads = 0;

  constructor(private readonly q: Sql) {}

  async read(planId: string, organisationId: string): Promise<void> {
    const key = `${planId} ${organisationId}`;
    const read = ++this.reads;
    this.latestRead.set(key, read);
    try {
      const verified = await isOrganisationVerified(this.q, planId, organisationId);
      // An earlier read is kept only until the latest answers (nothing better is known meanwhile).
      if (this.latestRead.get(key) === read || !this.known.has(key)) this.known.set(key, verified);
    } catch (err) {
      // Not vouched for on an answer that may be old: shown unverified until read again.
      if (this.latestRead.get(key) === read) this.known.delete(key);
      throw err;
    } finally {
      if (this.latestRead.get(key) === read) this.latestRead.delete(key);
    }
  }

  isVerified(planId: string, organisationId: string): boolean {
    return this.known.get(`${planId} ${organisationId}`) ?? false;
  }
}

/**
 * The ids of each section's decided (accepted or rejected) suggestions, for sections opened by
 * someone who may only suggest (only their typing is repaired when it races a decision: see
 * racedTyping.ts). A decision is never undone, so the ids only grow: a section's set exists from
 * the moment its read starts, and ids decided meanwhile (`add`, after their commit) are kept
 * beside what the read returns. One short id per decision of an opened section; a section moved to
 * the bin is forgotten (its connections close; opening it again reads it again).
 */
export class DecidedSuggestions {
  private readonly bySection = new Map<string, Set<string>>();

  constructor(private readonly q: Sql) {}

  async read(sectionId: string): Promise<void> {
    let ids = this.bySection.get(sectionId);
    if (!ids) this.bySection.set(sectionId, (ids = new Set()));
    for (const id of await decidedSuggestionIds(this.q, sectionId)) ids.add(id);
  }

  /** Suggestions decided (committed): kept for sections being followed; others read them when opened. */
  add(sectionId: string, suggestionIds: readonly string[]): void {
    const ids = this.bySection.get(sectionId);
    if (ids) for (const id of suggestionIds) ids.add(id);
  }

  has(sectionId: string, suggestionId: string): boolean {
    return this.bySection.get(sectionId)?.has(suggestionId) ?? false;
  }

  forget(sectionId: string): void {
    this.bySection.delete(sectionId);
  }
}
