import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, DRAFTERS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { getRule, reopen, sectionAgreement, setStatus, sign, withdrawOwnSignoff } from '../services/agreement.ts';
import { removeChapterRule, rulesOverview, setChapterRule, setPlanRule } from '../services/signoffRuleChanges.ts';
import type { SignoffRuleChange } from '../../shared/api/index.ts';
import { ReopenSectionSchema, SetSectionStatusSchema, SignoffRuleSchema, SignSectionSchema, WithdrawSignoffSchema } from '../../shared/api/index.ts';

/**
 * Agreement of sections. Reading: any member. Status and sign-offs: coordinators and drafters
 * (any side). Reopening and the sign-off rules (the plan's, a chapter's own): coordinators. Every
 * change announces `{type:'agreement', sectionId}` and `{type:'outline'}` (the outline shows
 * status and signers); a rule change announces the sections it made agreed.
 */
export function agreementRoutes(appDeps: AppDeps): Router {
  const { events, sync } = appDeps;
  const sql = sqlOf(appDeps);
  const router = Router();
  const deps = { sql, events, sync };
  const announce = (planId: string, sectionId: string) => {
    events.emit('plan', planId, { type: 'agreement', sectionId });
    events.emit('plan', planId, { type: 'outline' });
  };
  const base = '/plans/:planId/sections/:sectionId';
  /**
   * A rule change: the sections it made agreed, the outline (statuses), and one `signoff-rule` for
   * every open agreement panel to read what its section needs now (one event, not one per section).
   */
  const announceRuleChange = (planId: string, change: SignoffRuleChange): SignoffRuleChange => {
    for (const { sectionId } of change.changed) events.emit('plan', planId, { type: 'agreement', sectionId });
    events.emit('plan', planId, { type: 'outline' });
    events.emit('plan', planId, { type: 'signoff-rule' });
    return change;
  };

  router.get(
    `${base}/agreement`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await sectionAgreement(deps, planId, idParam(req, 'sectionId')));
    }),
  );

  router.post(
    `${base}/status`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const sectionId = idParam(req, 'sectionId');
      const { status } = parse(SetSectionStatusSchema, req.body);
      const agreement = await setStatus(deps, planId, sectionId, who, status);
      announce(planId, sectionId);
      // Back to drafting may have withdrawn others' signatures: their notices arrive now.
      if (status === 'drafting') events.emit('plan', planId, { type: 'notifications' });
      res.json(agreement);
    }),
  );

  router.post(
    `${base}/signoffs`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const sectionId = idParam(req, 'sectionId');
      const { contentHash, reservation } = parse(SignSectionSchema, req.body);
      const agreement = await sign(deps, planId, sectionId, who, contentHash, reservation ?? null);
      announce(planId, sectionId);
      res.status(201).json(agreement);
    }),
  );

  router.post(
    `${base}/signoffs/withdraw`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      // Any member: only the caller's own signature is withdrawn, whatever their role now.
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const sectionId = idParam(req, 'sectionId');
      const { reason } = parse(WithdrawSignoffSchema, req.body ?? {});
      const agreement = await withdrawOwnSignoff(deps, planId, sectionId, who, reason || null);
      announce(planId, sectionId);
      res.json(agreement);
    }),
  );

  router.post(
    `${base}/reopen`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const sectionId = idParam(req, 'sectionId');
      const { reason } = parse(ReopenSectionSchema, req.body);
      const agreement = await reopen(deps, planId, sectionId, who, reason);
      announce(planId, sectionId);
      // The signers whose signatures the reopening withdrew have a notice.
      events.emit('plan', planId, { type: 'notifications' });
      res.json(agreement);
    }),
  );

  router.get(
    '/plans/:planId/signoff-rule',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await getRule(sql, planId));
    }),
  );

  router.put(
    '/plans/:planId/signoff-rule',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      res.json(announceRuleChange(planId, await setPlanRule(deps, planId, who, parse(SignoffRuleSchema, req.body))));
    }),
  );

  router.get(
    '/plans/:planId/signoff-rules',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await rulesOverview(sql, planId));
    }),
  );

  router.put(
    '/plans/:planId/chapters/:chapterId/signoff-rule',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      res.json(announceRuleChange(planId, await setChapterRule(deps, planId, idParam(req, 'chapterId'), who, parse(SignoffRuleSchema, req.body))));
    }),
  );

  router.delete(
    '/plans/:planId/chapters/:chapterId/signoff-rule',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      res.json(announceRuleChange(planId, await removeChapterRule(deps, planId, idParam(req, 'chapterId'), who)));
    }),
  );

  return router;
}
