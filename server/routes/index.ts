import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { actionRoutes } from './actions.ts';
import { agreementRoutes } from './agreement.ts';
import { auditRoutes } from './audit.ts';
import { binRoutes } from './bin.ts';
import { authRoutes, setupRoutes } from './auth.ts';
import { commentRoutes } from './comments.ts';
import { exportRoutes } from './exports.ts';
import { inviteRoutes } from './invites.ts';
import { matrixImportRoutes } from './matrixImports.ts';
import { memberRoutes } from './members.ts';
import { assessmentRoutes } from './monitoring/assessments.ts';
import { evidenceRoutes } from './monitoring/evidence.ts';
import { lifecycleRoutes } from './monitoring/lifecycle.ts';
import { progressRoutes } from './monitoring/progress.ts';
import { progressReportRoutes } from './monitoring/progressReport.ts';
import { reportRoutes } from './monitoring/reports.ts';
import { passwordResetRoutes } from './passwordResets.ts';
import { planEventRoutes } from './planEvents.ts';
import { planRoutes } from './plans.ts';
import { publicRecordRoutes } from './publicRecord.ts';
import { recommendationGroupRoutes } from './recommendationGroups.ts';
import { recommendationRoutes } from './recommendations.ts';
import { suggestionRoutes } from './suggestions.ts';
import { trustRoutes } from './trust.ts';
import { versionRoutes } from './versions.ts';

/** Every REST route under /api. Each module exports a function (deps) => Router. */
export function apiRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  router.use(setupRoutes(deps));
  router.use(authRoutes(deps));
  router.use(planRoutes(deps));
  router.use(binRoutes(deps));
  router.use(memberRoutes(deps));
  router.use(inviteRoutes(deps));
  router.use(passwordResetRoutes(deps));
  router.use(planEventRoutes(deps));
  router.use(recommendationGroupRoutes(deps));
  router.use(recommendationRoutes(deps));
  router.use(actionRoutes(deps));
  router.use(matrixImportRoutes(deps));
  router.use(exportRoutes(deps));
  router.use(agreementRoutes(deps));
  router.use(auditRoutes(deps));
  router.use(versionRoutes(deps));
  router.use(commentRoutes(deps));
  router.use(suggestionRoutes(deps));
  router.use(trustRoutes(deps));
  // After adoption (issue #15): lifecycle and rounds, progress reports, evidence, assessments, progress.
  router.use(lifecycleRoutes(deps));
  router.use(reportRoutes(deps));
  router.use(evidenceRoutes(deps));
  router.use(assessmentRoutes(deps));
  router.use(progressRoutes(deps));
  router.use(progressReportRoutes(deps));
  // The public record (issue #16): publishing; the public pages are outside /api (server/public/).
  router.use(publicRecordRoutes(deps));
  return router;
}
