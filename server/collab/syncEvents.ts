import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { sqliteSql } from '../db/sql/sqliteSql.ts';
import type { Sql } from '../db/sql/Sql.ts';
import type { EventBus } from '../events.ts';
import { textAccessInPlan } from '../services/suggestions.ts';
import type { Role, TextAccess } from '../../shared/api/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { SyncServer } from '../sync/SyncServer.ts';

export interface SyncEventDeps {
  db: Db;
  /** The database as the services that have moved to Sql reach it (absent: SQLite's `db`). */
  sql?: Sql;
  events: EventBus;
  logger: Logger;
}

/**
 * What happens elsewhere in Accord that open editors must feel at once: a person's role changed
 * or they were removed, a session was signed out, a section was agreed, reopened or moved to the
 * bin, a plan's suggestion rule changed. Each event becomes a call on the sync server's small
 * public API. Returns the function that stops listening.
 */
export function bridgeSyncEvents({ db, sql, events, logger }: SyncEventDeps, sync: SyncServer): () => void {
  const q = sql ?? sqliteSql(db);
  // Reviews of a plan's connections run one after another, in the order of their events: each
  // reads after its event's commit, so the last one applied matches the latest state (and a role
  // shown with a kept connection is the latest role given).
  const reviews = new Map<string, Promise<void>>();

  /** The text access of everyone connected to the plan (or only `userId`), as read now. */
  const accessOfConnected = async (planId: string, userId?: string): Promise<Map<string, TextAccess | null>> => {
    const access = new Map<string, TextAccess | null>();
    // Someone admitted while these are read may have been let in on an answer read before the
    // commit: they are read too, until everyone connected when the review applies was read.
    for (;;) {
      const unread = sync.peopleConnectedTo(planId).filter((id) => !access.has(id) && (userId === undefined || id === userId));
      if (unread.length === 0) return access;
      const read = await Promise.all(unread.map((id) => textAccessInPlan(q, planId, id)));
      unread.forEach((id, i) => access.set(id, read[i]!));
    }
  };

  const review = (planId: string, reason: string, person?: { userId: string; role: Role }): void => {
    const run = async () => {
      try {
        const access = await accessOfConnected(planId, person?.userId);
        sync.reviewAccess(planId, (userId) => access.get(userId) ?? null, reason, person);
      } catch (err) {
        // Access that could not be read is not trusted: those reviewed reconnect, and admission
        // reads it again (refusing with 503 while the database does not answer).
        logger.error({ err, planId }, 'reading access after a change failed: closing the connections it concerns');
        sync.reviewAccess(planId, () => null, reason, person);
      }
    };
    const queued = (reviews.get(planId) ?? Promise.resolve()).then(run).catch((err: unknown) => logger.error({ err, planId }, 'reviewing open connections failed'));
    reviews.set(planId, queued);
    void queued.then(() => {
      if (reviews.get(planId) === queued) reviews.delete(planId);
    });
  };

  const onAccess = (planId: string, userId: string, role: Role | null): void => {
    if (role === null) sync.closePersonInPlan(planId, userId, CloseCode.Forbidden, 'removed from this plan');
    else review(planId, 'role changed', { userId, role });
  };
  const onSessionEnded = (sessionHash: string): void => sync.closeSession(sessionHash, CloseCode.Unauthenticated, 'signed out');
  const onSectionDeleted = (_planId: string, sectionId: string): void => sync.dropSection(sectionId);
  const onSectionAgreed = (_planId: string, sectionId: string): void => sync.setSectionLocked(sectionId, true);
  const onSectionReopened = (_planId: string, sectionId: string): void => sync.setSectionLocked(sectionId, false);
  // Whoever's text access changed with the rule reconnects to pick up what they may now do.
  const onSuggestionRuleChanged = (planId: string): void => review(planId, 'suggestion rule changed');

  events.onEverywhere('access', onAccess);
  events.onEverywhere('sessionEnded', onSessionEnded);
  events.onEverywhere('sectionDeleted', onSectionDeleted);
  events.onEverywhere('sectionAgreed', onSectionAgreed);
  events.onEverywhere('sectionReopened', onSectionReopened);
  events.onEverywhere('suggestionRuleChanged', onSuggestionRuleChanged);
  return () => {
    events.offEverywhere('access', onAccess);
    events.offEverywhere('sessionEnded', onSessionEnded);
    events.offEverywhere('sectionDeleted', onSectionDeleted);
    events.offEverywhere('sectionAgreed', onSectionAgreed);
    events.offEverywhere('sectionReopened', onSectionReopened);
    events.offEverywhere('suggestionRuleChanged', onSuggestionRuleChanged);
  };
}
