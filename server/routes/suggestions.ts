import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { decide, getSuggestionRule, listDecisions, setSuggestionRule } from '../services/suggestions.ts';
import { DecideSuggestionsSchema, SuggestionRuleSchema, type Role } from '../../shared/api/index.ts';

/** Roles that may ever hold suggesting or editing access (observers only read). */
const WRITERS: readonly Role[] = ['coordinator', 'drafter', 'commenter'];

/**
 * Suggestions. The suggestions themselves travel in the section text (sync endpoint); these routes
 * decide them and keep the record. Reading the rule and the record: any member. Accepting: people
 * who edit the text; rejecting: they, or the suggestion's author (checked per suggestion in the
 * service, since it depends on the rule and on whose suggestion it is). The rule: coordinators.
 */
export function suggestionRoutes(deps: AppDeps): Router {
  const { events, sync } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const base = '/plans/:planId/sections/:sectionId/suggestions';

  router.get(
    `${base}/decisions`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listDecisions(sql, planId, idParam(req, 'sectionId')));
    }),
  );

  router.post(
    `${base}/decisions`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, WRITERS);
      const sectionId = idParam(req, 'sectionId');
      const { decided, notified } = await decide({ sql, sync }, planId, sectionId, who, parse(DecideSuggestionsSchema, req.body));
      if (decided.length > 0) {
        // Committed: open editors (in every process) keep these ids as decided from now on.
        events.emit('suggestionsDecided', planId, sectionId, decided.map((d) => d.suggestionId));
        events.emit('plan', planId, { type: 'suggestions', sectionId });
      }
      // The authors were told (not the person deciding, nor someone withdrawing their own).
      if (notified > 0) events.emit('plan', planId, { type: 'notifications' });
      res.json({ decided });
    }),
  );

  router.get(
    '/plans/:planId/suggestion-rule',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await getSuggestionRule(sql, planId));
    }),
  );

  router.put(
    '/plans/:planId/suggestion-rule',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const rule = await setSuggestionRule(sql, planId, who, parse(SuggestionRuleSchema, req.body));
      events.emit('suggestionRuleChanged', planId);
      events.emit('plan', planId, { type: 'suggestion-rule' });
      res.json(rule);
    }),
  );

  return router;
}
