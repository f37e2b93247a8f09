import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';

/** Every REST route under /api. Each module exports a function (deps) => Router. */
export function apiRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  void deps;
  return router;
}
