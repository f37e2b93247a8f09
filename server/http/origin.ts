import type { Request, RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { badOrigin, HttpError, unsupportedMediaType } from '../errors.ts';

const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * The routes that take a file (the import upload, a progress report's evidence) send its bytes as
 * application/octet-stream (a 20 MB export does not fit in JSON without base64 bloat). That is as
 * safe as JSON against cross-site forms: a form can only send urlencoded, multipart or text/plain
 * without a CORS preflight; any other type needs one, which Accord never answers, so a browser
 * never sends it cross-site. Every other route stays JSON-only.
 */
const UPLOAD_PATH = /^\/plans\/[^/]+\/(imports\/preview|matrix-imports\/preview|reports\/[^/]+\/evidence)\/?$/;

function acceptableBody(req: Request): boolean {
  if (req.is('application/json')) return true;
  return req.method === 'POST' && UPLOAD_PATH.test(req.path) && req.is('application/octet-stream') === 'application/octet-stream';
}

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
 * only send form or text bodies, which browsers let through without a preflight), except the raw
 * file on the import upload route.
 */
export function originCheck(config: Config): RequestHandler {
  return (req, _res, next) => {
    if (!MUTATING.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin !== undefined && !sameOrigin(req, origin, config)) return next(badOrigin());
    if (hasBody(req) && !acceptableBody(req)) {
      if (UPLOAD_PATH.test(req.path)) {
        return next(
          new HttpError(415, 'unsupported_media_type', 'Send the file as the request body with Content-Type: application/octet-stream.'),
        );
      }
      return next(unsupportedMediaType());
    }
    next();
  };
}
