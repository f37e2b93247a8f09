import type { Request, RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { badOrigin, unsupportedMediaType } from '../errors.ts';

const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function sameOrigin(req: Request, origin: string, config: Config): boolean {
  if (config.publicUrl) {
    try {
      if (new URL(config.publicUrl).origin === origin) return true;
    } catch {
      // An unparsable PUBLIC_URL is refused by loadConfig; nothing to compare then.
    }
  }
  const host = req.get('host');
  return host !== undefined && origin === `${req.protocol}://${host}`;
}

/**
 * Cross-site request defence for /api, on top of SameSite=Lax cookies: a state-changing request
 * that names another origin is refused, and so is a body that is not JSON (a plain HTML form can
 * only send form or text bodies, which browsers let through without a preflight).
 */
export function originCheck(config: Config): RequestHandler {
  return (req, _res, next) => {
    if (!MUTATING.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin !== undefined && !sameOrigin(req, origin, config)) return next(badOrigin());
    if (hasBody(req) && !req.is('application/json')) return next(unsupportedMediaType());
    next();
  };
}
