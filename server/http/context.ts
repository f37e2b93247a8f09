import type { SignInCounters } from '../auth/signInLimiter.ts';
import type { PreviewStore } from '../services/imports.ts';
import type { StoredMatrixPreview } from '../services/matrixImport.ts';
import type { ImportPreview } from '../../shared/api/index.ts';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { sqliteSql } from '../db/sql/sqliteSql.ts';
import type { EventBus } from '../events.ts';
import type { SyncServer } from '../sync/SyncServer.ts';
import type { Clock } from '../services/autoVersions.ts';
import { badRequest, forbidden, notFound, unauthenticated } from '../errors.ts';
import { type Principal, principalForToken, SESSION_COOKIE } from '../auth/sessions.ts';
import { roleInPlan } from '../services/access.ts';
import { fieldIssues, type Role } from '../../shared/api/index.ts';
import { nulLeftOut } from '../nul.ts';

/** Everything a route needs, passed in explicitly (no globals, no process.env). */
export interface AppDeps {
  config: Config;
  db: Db;
  /**
   * The database as services moved to Sql (server/db/sql/Sql.ts) reach it: PostgreSQL when the
   * deployment names one; absent, SQLite's `db` (see `sqlOf`).
   */
  sql?: Sql;
  events: EventBus;
  logger: Logger;
  /** Server-side reads and edits of section documents (versions, restores, exports). */
  sync: SyncServer;
  /** What time-based rules read the time from (sign-in throttling); tests pass one they move. */
  clock?: Clock;
  /**
   * Other Accord processes serve the same data now (REDIS_URL): what looks left half done by a stop
   * (a running export) may be theirs, so it is not touched at start. Absent: this process is alone.
   */
  othersRunning?: boolean;
  /** This process as the owner of long work it runs (server/ownership/owners.ts); absent, none is named. */
  workOwner?: string;
  /** Failed sign-ins counted where every process sees them (REDIS_URL); absent: in this process. */
  signInCounters?: SignInCounters;
  /** Import previews kept where every process finds them (REDIS_URL; sharedPreviews.ts); absent: in this process's memory. */
  previews?: { recommendations: PreviewStore<ImportPreview>; matrix: PreviewStore<StoredMatrixPreview> };
}

/** The Sql that services moved to it use: the deployment's, else the SQLite connection's. */
export function sqlOf(deps: Pick<AppDeps, 'db' | 'sql'>): Sql {
  return deps.sql ?? sqliteSql(deps.db);
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Wraps an async handler so a thrown error reaches the error middleware. */
export function handler(fn: (req: Request, res: Response) => Promise<unknown> | unknown): RequestHandler {
  return (req, res, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res))
      .catch(next);
  };
}

/** Parses a request body (or params, or query) with a shared zod schema, or throws a 400 naming each field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(nulLeftOut(value));
  if (result.success) return result.data;
  const fields = fieldIssues(result.error);
  const summary = Object.entries(fields)
    .map(([k, v]) => (k === '_' ? v.code : `${k}: ${v.code}`))
    .join('; ');
  throw badRequest(`The request is not valid. ${summary}`, fields);
}

/** Reads the session cookie into req.principal when it names a valid session. */
export function loadPrincipal(q: Sql): RequestHandler {
  return (req, _res, next) => {
    const token = (req as Request & { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    principalForToken(q, token).then((principal) => {
      if (principal) req.principal = principal;
      next();
    }, next);
  };
}

export function requirePrincipal(req: Request): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}

/**
 * The signed-in person's role in a plan, checked against the roles allowed. A non-member gets 404
 * (not 403), so plan identifiers cannot be probed.
 */
export async function requirePlanRole(q: Sql, req: Request, planId: string, allowed: readonly Role[]): Promise<{ principal: Principal; role: Role }> {
  const principal = requirePrincipal(req);
  const role = await roleInPlan(q, planId, principal.userId);
  if (!role) throw notFound('plan');
  if (!allowed.includes(role)) throw forbidden();
  return { principal, role };
}

export const ANY_MEMBER: readonly Role[] = ['coordinator', 'drafter', 'commenter', 'observer'];
export const COORDINATORS: readonly Role[] = ['coordinator'];
/** Roles that write plan content: recommendations, imports, actions, indicators, organisations. */
export const DRAFTERS: readonly Role[] = ['coordinator', 'drafter'];

/**
 * Parses a PATCH body and keeps only the fields the client sent. The shared update schemas are
 * `.partial()` of input schemas with defaults, and zod applies those defaults to absent keys:
 * without this, `PATCH {title}` would reset every other field to its default.
 */
export function parsePatch<S extends z.ZodType>(schema: S, body: unknown): Partial<z.infer<S>> {
  const parsed = parse(schema, body) as Record<string, unknown>;
  const sent = body !== null && typeof body === 'object' ? new Set(Object.keys(body)) : new Set<string>();
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => sent.has(key))) as Partial<z.infer<S>>;
}
