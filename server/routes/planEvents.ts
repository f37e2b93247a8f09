import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, handler, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { hashToken } from '../ids.ts';
import type { PlanEvent, Role } from '../../shared/api/index.ts';

/** Proxies and load balancers close connections idle for a minute or so: a comment keeps it open. */
export const HEARTBEAT_MS = 25_000;

/**
 * GET /plans/:planId/events (any member): a Server-Sent Events stream of PlanEvents, so every
 * member's outline and member list follow changes without polling. A removed member gets
 * `{type:'access', role:null}` and the stream ends.
 */
export function planEventRoutes(deps: AppDeps): Router {
  const { events } = deps;
  const router = Router();
  const sql = sqlOf(deps);

  router.get(
    '/plans/:planId/events',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const userId = principal.userId;

      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Connection', 'keep-alive');
      // nginx buffers responses by default, which would hold events back.
      res.setHeader('X-Accel-Buffering', 'no');

      let closed = false;
      const send = (event: PlanEvent) => {
        if (closed || res.writableEnded) return;
        res.write(`data: ${JSON.stringify(event)}\n\n`);
      };
      const onPlan = (id: string, event: PlanEvent) => {
        if (id === planId) send(event);
      };
      const onAccess = (id: string, who: string, role: Role | null) => {
        if (id !== planId || who !== userId) return;
        send({ type: 'access', role });
        if (role === null) {
          // Unsubscribe now, not on 'finish' (later): the removal's own 'members' event follows at once.
          cleanup();
          res.end();
        }
      };
      const sessionHash = hashToken(
        (req as typeof req & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE] ?? '',
      );
      const onSessionEnded = (hash: string) => {
        if (hash !== sessionHash) return;
        cleanup();
        res.end();
      };
      const heartbeat = setInterval(() => {
        if (!closed) res.write(': heartbeat\n\n');
      }, HEARTBEAT_MS);
      heartbeat.unref();

      const cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        events.offEverywhere('plan', onPlan);
        events.offEverywhere('access', onAccess);
        events.offEverywhere('sessionEnded', onSessionEnded);
      };
      events.onEverywhere('plan', onPlan);
      events.onEverywhere('access', onAccess);
      events.onEverywhere('sessionEnded', onSessionEnded);
      res.on('close', cleanup);
      res.on('finish', cleanup);

      res.flushHeaders();
      // Lets a client (and a test) know the subscription is in place.
      res.write(': connected\n\n');
    }),
  );

  return router;
}
