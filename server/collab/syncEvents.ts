import type { Db } from '../db/database.ts';
import type { EventBus } from '../events.ts';
import { textAccessInPlanNow } from '../services/suggestions.ts';
import type { Role } from '../../shared/api/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { SyncServer } from '../sync/SyncServer.ts';

/**
 * What happens elsewhere in Accord that open editors must feel at once: a person's role changed
 * or they were removed, a session was signed out, a section was agreed, reopened or moved to the
 * bin, a plan's suggestion rule changed. Each event becomes a call on the sync server's small
 * public API. Returns the function that stops listening.
 */
export function bridgeSyncEvents({ db, events }: { db: Db; events: EventBus }, sync: SyncServer): () => void {
  const accessNow = (planId: string) => (userId: string) => textAccessInPlanNow(db, planId, userId);
  const onAccess = (planId: string, userId: string, role: Role | null): void => {
    if (role === null) sync.closePersonInPlan(planId, userId, CloseCode.Forbidden, 'removed from this plan');
    else sync.reviewAccess(planId, accessNow(planId), 'role changed', { userId, role });
  };
  const onSessionEnded = (sessionHash: string): void => sync.closeSession(sessionHash, CloseCode.Unauthenticated, 'signed out');
  const onSectionDeleted = (_planId: string, sectionId: string): void => sync.dropSection(sectionId);
  const onSectionAgreed = (_planId: string, sectionId: string): void => sync.setSectionLocked(sectionId, true);
  const onSectionReopened = (_planId: string, sectionId: string): void => sync.setSectionLocked(sectionId, false);
  // Whoever's text access changed with the rule reconnects to pick up what they may now do.
  const onSuggestionRuleChanged = (planId: string): void => sync.reviewAccess(planId, accessNow(planId), 'suggestion rule changed');

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
