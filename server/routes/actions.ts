import { Router } from 'express';
import { withdrawStaleSignatures } from '../services/agreement.ts';
import { userName } from '../services/audit.ts';
import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { ANY_MEMBER, DRAFTERS, handler, parse, parsePatch, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import {
  createAction,
  deleteAction,
  linkRecommendation,
  linkRecommendationGroup,
  listActions,
  listPlanActions,
  reorderAction,
  setActionRecommendations,
  unlinkRecommendation,
  updateAction,
} from '../services/actions.ts';
import { addIndicator, deleteIndicator, updateIndicator } from '../services/indicators.ts';
import { planCoverage } from '../services/coverage.ts';
import { addPlanOrganisation, planOrganisations } from '../services/planOrganisations.ts';
import {
  ActionInputSchema,
  ActionPositionSchema,
  ActionUpdateSchema,
  AddPlanOrganisationSchema,
  IdSchema,
  IndicatorInputSchema,
  IndicatorUpdateSchema,
  RemoveProposalSchema,
} from '../../shared/api/index.ts';

const LinksSchema = z.object({ recommendationIds: z.array(IdSchema).max(500) });

/**
 * Tells the plan's members a section's actions changed, and ends the signatures on the old content
 * in the name of the person who changed them. Shared by every route that writes actions.
 */
export async function announceActions(
  deps: Pick<AppDeps, 'events' | 'sync'> & { sql: Sql },
  planId: string,
  sectionId: string,
  linksChanged: boolean,
  editorId: string,
): Promise<void> {
  const { sql, events, sync } = deps;
  events.emit('plan', planId, { type: 'actions', sectionId });
  // Actions are part of what is signed: a change ends the signatures on the old content, in the
  // name of the person who made it.
  if ((await withdrawStaleSignatures({ sql, sync }, planId, sectionId, [{ userId: editorId, name: await userName(sql, editorId) }])) > 0) {
    events.emit('plan', planId, { type: 'agreement', sectionId });
    events.emit('plan', planId, { type: 'outline' });
  }
  if (linksChanged) events.emit('plan', planId, { type: 'recommendations' });
  // Signers whose signature ended, and members of an organisation whose proposal was changed or
  // removed (services/proposals.ts), may have a notice; each client reads only its own.
  events.emit('plan', planId, { type: 'notifications' });
}

/**
 * Actions, their indicators and links to recommendations; the organisations available to actions;
 * coverage. Reading: any member. Writing: coordinators and drafters. Every change announces
 * `{type:'actions', sectionId}`; a change of links also `{type:'recommendations'}`, since
 * recommendations show how many actions address them.
 */
export function actionRoutes(deps: AppDeps): Router {
  const { events, sync } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const announce = (planId: string, sectionId: string, linksChanged: boolean, editorId: string) =>
    announceActions({ sql, events, sync }, planId, sectionId, linksChanged, editorId);

  router.get(
    '/plans/:planId/sections/:sectionId/actions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listActions(sql, planId, idParam(req, 'sectionId')));
    }),
  );

  // The whole plan's actions in outline order, for views that show them all (progress): one
  // request instead of one per section.
  router.get(
    '/plans/:planId/actions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listPlanActions(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/sections/:sectionId/actions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { principal } = who;
      const sectionId = idParam(req, 'sectionId');
      const input = parse(ActionInputSchema, req.body);
      const action = await createAction(sql, planId, sectionId, who, input);
      await announce(planId, sectionId, action.recommendationIds.length > 0, principal.userId);
      res.status(201).json(action);
    }),
  );

  router.patch(
    '/plans/:planId/actions/:actionId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { action, linksChanged, fromSectionId } = await updateAction(sql, planId, idParam(req, 'actionId'), who, parsePatch(ActionUpdateSchema, req.body));
      // An action moved out of a section changes what was signed there too.
      if (fromSectionId) await announce(planId, fromSectionId, false, who.principal.userId);
      await announce(planId, action.sectionId, linksChanged, who.principal.userId);
      res.json(action);
    }),
  );

  // Reordering within a section: the section is in the path, so an action of another section is
  // not found, and a place outside the section is refused (services/actions.ts reorderAction).
  // Answers the section's actions in their new order, so the page can show it without a refetch.
  router.put(
    '/plans/:planId/sections/:sectionId/actions/:actionId/position',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const sectionId = idParam(req, 'sectionId');
      const { position } = parse(ActionPositionSchema, req.body);
      const { actions, moved } = await reorderAction(sql, planId, sectionId, idParam(req, 'actionId'), who, position);
      if (moved) await announce(planId, sectionId, false, who.principal.userId);
      res.json(actions);
    }),
  );

  // DELETE with a body: removing another organisation's proposal takes a reason (services/proposals.ts).
  router.delete(
    '/plans/:planId/actions/:actionId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { reason } = parse(RemoveProposalSchema, req.body ?? {});
      const { sectionId, hadLinks } = await deleteAction(sql, planId, idParam(req, 'actionId'), who, reason);
      await announce(planId, sectionId, hadLinks, who.principal.userId);
      res.status(204).end();
    }),
  );

  router.put(
    '/plans/:planId/actions/:actionId/recommendations',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { recommendationIds } = parse(LinksSchema, req.body);
      const action = await setActionRecommendations(sql, planId, idParam(req, 'actionId'), who, recommendationIds);
      await announce(planId, action.sectionId, true, who.principal.userId);
      res.json(action);
    }),
  );

  router.post(
    '/plans/:planId/actions/:actionId/recommendations/:recId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const action = await linkRecommendation(sql, planId, idParam(req, 'actionId'), who, idParam(req, 'recId'));
      await announce(planId, action.sectionId, true, who.principal.userId);
      res.json(action);
    }),
  );

  router.post(
    '/plans/:planId/actions/:actionId/recommendation-groups/:groupId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const action = await linkRecommendationGroup(sql, planId, idParam(req, 'actionId'), who, idParam(req, 'groupId'));
      await announce(planId, action.sectionId, true, who.principal.userId);
      res.json(action);
    }),
  );

  router.delete(
    '/plans/:planId/actions/:actionId/recommendations/:recId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const action = await unlinkRecommendation(sql, planId, idParam(req, 'actionId'), who, idParam(req, 'recId'));
      await announce(planId, action.sectionId, true, who.principal.userId);
      res.json(action);
    }),
  );

  router.post(
    '/plans/:planId/actions/:actionId/indicators',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const input = parse(IndicatorInputSchema, req.body);
      // Not said who proposed it: the organisation of the person entering it ("not recorded" is an explicit null).
      if (!(req.body !== null && typeof req.body === 'object' && 'proposedByOrganisationId' in req.body)) {
        input.proposedByOrganisationId = who.principal.organisationId;
      }
      const { indicator, sectionId } = await addIndicator(sql, planId, idParam(req, 'actionId'), who, input);
      await announce(planId, sectionId, false, who.principal.userId);
      res.status(201).json(indicator);
    }),
  );

  router.patch(
    '/plans/:planId/indicators/:indicatorId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const changes = parsePatch(IndicatorUpdateSchema, req.body);
      const { indicator, sectionId } = await updateIndicator(sql, planId, idParam(req, 'indicatorId'), who, changes);
      await announce(planId, sectionId, false, who.principal.userId);
      res.json(indicator);
    }),
  );

  router.delete(
    '/plans/:planId/indicators/:indicatorId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { reason } = parse(RemoveProposalSchema, req.body ?? {});
      const { sectionId } = await deleteIndicator(sql, planId, idParam(req, 'indicatorId'), who, reason);
      await announce(planId, sectionId, false, who.principal.userId);
      res.status(204).end();
    }),
  );

  // ---- Organisations and coverage ----

  router.get(
    '/plans/:planId/organisations',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await planOrganisations(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/organisations',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { organisation, added } = await addPlanOrganisation(sql, planId, who, parse(AddPlanOrganisationSchema, req.body));
      if (added) events.emit('plan', planId, { type: 'organisations' });
      res.status(added ? 201 : 200).json(organisation);
    }),
  );

  router.get(
    '/plans/:planId/coverage',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await planCoverage(sql, planId));
    }),
  );

  return router;
}
